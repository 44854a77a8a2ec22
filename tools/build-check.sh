#!/usr/bin/env bash
# `make build`: build the Galaxy tarball into build/, install it into a temporary collections
# path and render the docs of every plugin from that install with ansible-doc. Fails when the
# build or any ansible-doc call fails, or when a development path leaked into the tarball.
# The tarball is built from the staged tree (git-tracked + untracked-not-ignored files), so
# caches and scratch files in the working tree (.hypothesis, build/, ...) can never ship.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
bin="$repo/.venv/bin"
mkdir -p build
rm -f build/sinch-est-*.tar.gz
staged=$(tools/stage.sh build/stage-build | tail -n 1)
"$bin/ansible-galaxy" collection build --force --output-path "$repo/build/" "$staged"
tarball=$(ls build/sinch-est-*.tar.gz)
echo "built $tarball ($(du -h "$tarball" | cut -f1))"

leaked=$(tar -tzf "$tarball" | grep -E '^(tests/emulator|tests/bench|tests/reliability|tests/output|tools|\.ci|\.venv[^/]*|\.ansible|\.git|\.hypothesis|build)(/|$)|^Makefile$|integration_config\.yml$' || true)
if [ -n "$leaked" ]; then
    echo "FAIL: development paths in the tarball:"; echo "$leaked"
    exit 1
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Work from the scratch directory with only the installed tarball on the collections path, so
# neither the working tree's ansible.cfg nor its .ansible/collections link can answer instead.
cd "$scratch"
printf '[defaults]\n' > "$scratch/ansible.cfg"
export ANSIBLE_CONFIG="$scratch/ansible.cfg" ANSIBLE_COLLECTIONS_PATH="$scratch" ANSIBLE_NOCOLOR=1
"$bin/ansible-galaxy" collection install --force -p "$scratch" "$repo/$tarball" >/dev/null
installed="$scratch/ansible_collections/sinch/est"

failures=0; checked=0
check() {  # type name
    local out
    if out=$("$bin/ansible-doc" -t "$1" "$2" 2>&1) && [ -n "$out" ] && ! grep -q '^ERROR' <<< "$out"; then
        checked=$((checked + 1))
        echo "ok   ansible-doc -t $1 $2"
    else
        failures=$((failures + 1))
        echo "FAIL ansible-doc -t $1 $2"; echo "$out" | tail -20
    fi
}
plugin_names() {  # directory: module-like files, private (_*) and __init__ excluded
    local f
    for f in "$installed/plugins/$1"/*.py; do
        [ -e "$f" ] || continue
        f=$(basename "$f" .py)
        [[ "$f" == _* ]] || echo "$f"
    done
}
for name in $(plugin_names modules); do check module "sinch.est.$name"; done
for name in $(plugin_names lookup); do check lookup "sinch.est.$name"; done
for name in $(plugin_names inventory); do check inventory "sinch.est.$name"; done
# A filter file can hold several filters: ask ansible-doc which ones the collection has and
# require at least one per filter file.
if [ -n "$(plugin_names filter)" ]; then
    filters=$("$bin/ansible-doc" -t filter -l sinch.est 2>&1 | awk '/^sinch\.est\./ { print $1 }')
    if [ -z "$filters" ]; then
        failures=$((failures + 1)); echo "FAIL ansible-doc -t filter -l sinch.est lists no documented filter"
    fi
    for name in $filters; do check filter "$name"; done
fi
echo "build: $checked plugin docs rendered from the installed tarball, $failures failed"

# Execution environment: ansible-builder must find the collection's runtime requirement in the
# installed tarball (meta/execution-environment.yml -> requirements.txt), and turn the example
# definition into a build context. Building the image needs a container engine: not done here.
if [ -x "$bin/ansible-builder" ]; then
    ee_root=$(cd "$installed/../../.." && pwd)
    # Read the whole answer first: `grep -q` leaving a pipe early would fail it under pipefail.
    introspection=$("$bin/ansible-builder" introspect --sanitize "$ee_root" 2>&1 || true)
    if grep -qF 'requests>=2.25  # from collection sinch.est' <<< "$introspection"; then
        echo "ok   ansible-builder introspect finds requests>=2.25 from sinch.est"
    else
        failures=$((failures + 1)); echo "FAIL ansible-builder introspect does not see sinch.est's requirements"
    fi
    rm -rf "$repo/build/ee"
    if "$bin/ansible-builder" create -f "$repo/extensions/ee/execution-environment.yml" -c "$repo/build/ee" \
            --output-filename Containerfile >/dev/null 2>&1 && [ -s "$repo/build/ee/Containerfile" ]; then
        echo "ok   ansible-builder create -f extensions/ee/execution-environment.yml (build/ee/Containerfile)"
    else
        failures=$((failures + 1)); echo "FAIL ansible-builder create -f extensions/ee/execution-environment.yml"
    fi
fi
[ "$failures" -eq 0 ]
