#!/usr/bin/env bash
# Build the Galaxy tarball as it is published, without touching the working tree:
#
#   tools/build-release.sh [OUTPUT_DIR]      (default: build)
#
# Prints the tarball's path on stdout; what it does goes to stderr.
#
# 1. tools/stage.sh copies the git-tracked and untracked-not-ignored files, minus galaxy.yml's
#    build_ignore, to build/stage-release/ansible_collections/sinch/est (caches and scratch files
#    in the working tree can never ship);
# 2. there, `antsibull-changelog release` releases galaxy.yml's version: changelogs/changelog.yaml
#    and CHANGELOG.md gain that version with every fragment, and the fragments go. A version that
#    changelog.yaml already holds (the release was committed) is built as it is, and then no
#    fragment may be waiting: they would belong to a version galaxy.yml does not name yet;
# 3. tools/rst2md.py renders the guides (docs/docsite/rst/*.rst) as docs/*.md, the pages Galaxy
#    and Automation Hub show next to the README;
# 4. plain `ansible-galaxy collection build` builds the tarball from that tree.
# Needs .venv (make install-main): antsibull-changelog, ansible-core, docutils.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
out="${1:-build}"
case "$out" in /*) ;; *) out="$repo/$out" ;; esac
bin="$repo/.venv/bin"
export PATH="$bin:$PATH"  # antsibull-changelog runs ansible-doc from PATH

staged=$(tools/stage.sh build/stage-release | tail -n 1)
cd "$staged"
version=$("$bin/python" -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])')
released=$("$bin/python" -c 'import sys, yaml
releases = (yaml.safe_load(open("changelogs/changelog.yaml")) or {}).get("releases") or {}
print("yes" if sys.argv[1] in releases else "no")' "$version")
waiting=0  # a release removes the fragments, and git keeps no empty directory
if [ -d changelogs/fragments ]; then
    waiting=$(find changelogs/fragments -maxdepth 1 -type f \( -name '*.yml' -o -name '*.yaml' \) | wc -l)
fi
if [ "$released" = yes ]; then
    if [ "$waiting" -gt 0 ]; then
        echo "build-release: $version is already released in changelogs/changelog.yaml, but $waiting" \
             "fragment(s) wait in changelogs/fragments: set the next version in galaxy.yml" >&2
        exit 1
    fi
    echo "build-release: changelog: $version already released (changelogs/changelog.yaml)" >&2
else
    "$bin/antsibull-changelog" release --version "$version" >&2
    if ! "$bin/python" -c 'import sys, yaml
sys.exit(sys.argv[1] not in yaml.safe_load(open("changelogs/changelog.yaml"))["releases"])' "$version"; then
        echo "build-release: antsibull-changelog release did not release $version" >&2
        exit 1
    fi
    echo "build-release: changelog: released $version with $waiting fragment(s) (in the staged copy only)" >&2
fi
rm -f changelogs/.plugin-cache.yaml  # antsibull-changelog's scratch file

"$bin/python" "$repo/tools/rst2md.py" docs/docsite/rst docs >&2

mkdir -p "$out"
rm -f "$out/sinch-est-$version.tar.gz"
"$bin/ansible-galaxy" collection build --output-path "$out" . >/dev/null
echo "build-release: built $out/sinch-est-$version.tar.gz ($(du -h "$out/sinch-est-$version.tar.gz" | cut -f1))" >&2
echo "$out/sinch-est-$version.tar.gz"
