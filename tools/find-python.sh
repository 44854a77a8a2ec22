#!/usr/bin/env bash
# Print the path of a working Python X.Y interpreter, or exit 1 (with a message on stderr).
#
# Order: `pythonX.Y` on PATH (only if it really runs -- pyenv shims exist for every installed
# version but fail unless that version is selected), then pyenv's versions directory, then the
# usual system locations. Usage: tools/find-python.sh 3.10
set -u
want="${1:?usage: find-python.sh X.Y}"

works() {
    [ -x "$1" ] || return 1
    local got
    got=$("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || return 1
    [ "$got" = "$want" ]
}

candidates=()
if p=$(command -v "python$want" 2>/dev/null); then candidates+=("$p"); fi
pyenv_root="${PYENV_ROOT:-}"
if [ -z "$pyenv_root" ] && command -v pyenv >/dev/null 2>&1; then
    pyenv_root=$(pyenv root 2>/dev/null || true)
fi
[ -n "$pyenv_root" ] || pyenv_root="$HOME/.pyenv"
for d in $(ls -d "$pyenv_root/versions/$want".* "$pyenv_root/versions/$want" 2>/dev/null | sort -rV); do
    candidates+=("$d/bin/python$want")
done
candidates+=("/usr/bin/python$want" "/usr/local/bin/python$want" "/opt/python$want/bin/python$want")
if command -v uv >/dev/null 2>&1; then
    if p=$(uv python find "$want" 2>/dev/null); then candidates+=("$p"); fi
fi

for c in "${candidates[@]}"; do
    if works "$c"; then
        echo "$c"
        exit 0
    fi
done
echo "find-python: no working python$want found (tried: ${candidates[*]})" >&2
exit 1
