#!/usr/bin/env bash
# Stage the collection for ansible-test: ansible-test needs the tree at a path ending in
# ansible_collections/sinch/est, inside git, with .ansible/ and tests/output/ ignored.
#
#   tools/stage.sh [DEST_ROOT]     (default: build)  ->  DEST_ROOT/ansible_collections/sinch/est
#
# Copies the git-tracked and untracked-not-ignored files of this working tree, minus the paths
# galaxy.yml's build_ignore lists (the emulator, tools, Makefile, ...), so the staged tree is what
# the Galaxy tarball would ship, plus tests/. The staged tree is recreated from scratch on every
# call and committed into a throw-away git repository of its own. Prints the staged path.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dest_root="${1:-build}"
case "$dest_root" in /*) ;; *) dest_root="$repo/$dest_root" ;; esac
dest="$dest_root/ansible_collections/sinch/est"
cd "$repo"

# The file list: git's view of the tree, filtered by galaxy.yml build_ignore (fnmatch on the path
# and on each of its leading directories, as ansible-galaxy does).
filelist=$(mktemp)
trap 'rm -f "$filelist"' EXIT
git ls-files -z -co --exclude-standard | python3 -c '
import fnmatch, os, re, sys
patterns = []
in_block = False
with open("galaxy.yml") as galaxy:
    for line in galaxy:
        if re.match(r"^build_ignore:\s*$", line):
            in_block = True
            continue
        if in_block:
            item = re.match(r"^\s+-\s+(.+?)\s*$", line)
            if item:
                patterns.append(item.group(1).strip("\"'"'"'"))
            elif line.strip() and not line.lstrip().startswith("#"):
                in_block = False
def ignored(path):
    parts = path.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    return any(fnmatch.fnmatch(p, pat) for p in prefixes for pat in patterns)
for path in sys.stdin.buffer.read().decode().split("\0"):
    if path and os.path.lexists(path) and not ignored(path):
        sys.stdout.write(path + "\0")
' > "$filelist"

rm -rf "$dest"
mkdir -p "$dest"
# tar keeps modes and symlinks; --null/-T reads the NUL-separated list.
tar -C "$repo" --null -T "$filelist" -cf - | tar -C "$dest" -xf -

cd "$dest"
touch .gitignore
for pattern in .ansible/ tests/output/; do
    grep -qxF "$pattern" .gitignore || echo "$pattern" >> .gitignore
done
git init -q .
git add -A
git -c user.name="sinch.est stage" -c user.email="stage@localhost" -c commit.gpgsign=false \
    commit -q --no-verify --allow-empty -m "staged $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo worktree)"
echo "$dest"
