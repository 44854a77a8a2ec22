#!/usr/bin/env bash
# `make build`: build the Galaxy tarball into build/ as it is published (tools/build-release.sh:
# staged tree, changelog released, guides as Markdown), install it into a temporary collections
# path and render the docs of every plugin from that install with ansible-doc. Fails when the
# build or any ansible-doc call fails, or when a development path leaked into the tarball.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
bin="$repo/.venv/bin"
rm -f build/sinch-est-*.tar.gz
tarball=$(tools/build-release.sh build)
tarball=${tarball#"$repo/"}

leaked=$(tar -tzf "$tarball" | grep -E '^(tests/emulator/tests|tests/emulator/bench\.py|tests/bench|tests/reliability|tests/output|tools|\.ci|\.venv[^/]*|\.ansible|\.git|\.hypothesis|build)(/|$)|^(Makefile|ansible\.cfg)$|(^|/)\.gitignore$|\.egg-info(/|$)|integration_config\.yml$|^tests/requirements' || true)
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
check() {  # type name...: one ansible-doc call for all of them (each call costs a second or two);
           # only when it fails is each name asked again, to say which one fails
    local type=$1 out name
    shift
    [ $# -gt 0 ] || return 0
    if out=$("$bin/ansible-doc" -t "$type" "$@" 2>&1) && ! grep -q '^\[\?ERROR' <<< "$out" \
            && [ "$(grep -cE '^> [A-Z]+ ' <<< "$out")" -eq $# ]; then
        checked=$((checked + $#))
        for name in "$@"; do echo "ok   ansible-doc -t $type $name"; done
        return 0
    fi
    for name in "$@"; do
        if out=$("$bin/ansible-doc" -t "$type" "$name" 2>&1) && [ -n "$out" ] && ! grep -q '^\[\?ERROR' <<< "$out"; then
            checked=$((checked + 1)); echo "ok   ansible-doc -t $type $name"
        else
            failures=$((failures + 1)); echo "FAIL ansible-doc -t $type $name"; echo "$out" | tail -20
        fi
    done
}
plugin_names() {  # directory: module-like files, private (_*) and __init__ excluded
    local f
    for f in "$installed/plugins/$1"/*.py; do
        [ -e "$f" ] || continue
        f=$(basename "$f" .py)
        [[ "$f" == _* ]] || echo "$f"
    done
}
names() {  # directory: the FQCNs of its plugins
    local name
    for name in $(plugin_names "$1"); do echo "sinch.est.$name"; done
}
# shellcheck disable=SC2046  # one word per plugin name
check module $(names modules)
# shellcheck disable=SC2046
check lookup $(names lookup)
# shellcheck disable=SC2046
check inventory $(names inventory)
# A filter file can hold several filters: ask ansible-doc which ones the collection has and
# require at least one per filter file.
if [ -n "$(plugin_names filter)" ]; then
    filters=$("$bin/ansible-doc" -t filter -l sinch.est 2>&1 | awk '/^sinch\.est\./ { print $1 }')
    if [ -z "$filters" ]; then
        failures=$((failures + 1)); echo "FAIL ansible-doc -t filter -l sinch.est lists no documented filter"
    fi
    # shellcheck disable=SC2086  # one word per filter name
    check filter $filters
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
