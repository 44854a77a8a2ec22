#!/usr/bin/env bash
# Create or refresh a virtual environment from pinned requirements.
#
#   tools/mkvenv.sh VENV PYTHON REQUIREMENTS [EDITABLE_PACKAGE_DIR...]
#
# PYTHON is a command/path (python3) or a version (3.10), found with tools/find-python.sh.
# The venv is rebuilt from scratch only when its stamp (hash of the interpreter, the
# requirements file and each editable package's pyproject.toml/setup.cfg) changed, so repeated
# runs cost a second. Editable packages are installed with the requirements as constraints and
# with their [test] extra; a directory without pyproject.toml/setup.py is an error.
# Exit codes: 0 ok, 3 the interpreter is not available here (callers skip that stage loudly).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv="$1"; python="$2"; requirements="$3"; shift 3
cd "$repo"

case "$python" in
    [0-9]*.[0-9]*)
        if ! python=$("$repo/tools/find-python.sh" "$python"); then
            echo "mkvenv: *** SKIPPING $venv: no Python $2 on this machine ***" >&2
            exit 3
        fi ;;
    *)
        if ! command -v "$python" >/dev/null 2>&1 || ! "$python" -c '' 2>/dev/null; then
            echo "mkvenv: *** $python is not a working interpreter ***" >&2
            exit 3
        fi ;;
esac

stamp_input() {
    "$python" -c 'import sys; print(sys.version)'
    sha256sum "$requirements"
    for pkg in "$@"; do
        for f in "$pkg/pyproject.toml" "$pkg/setup.cfg" "$pkg/setup.py"; do
            [ -f "$f" ] && sha256sum "$f"
        done
    done
    return 0
}
want=$(stamp_input "$@" | sha256sum | cut -d' ' -f1)
stamp="$venv/.requirements-stamp"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/python" ]; then
    echo "mkvenv: $venv up to date ($("$venv/bin/python" -c 'import sys; print(sys.version.split()[0])'))"
    exit 0
fi

echo "mkvenv: creating $venv with $python from $requirements"
rm -rf "$venv"
"$python" -m venv "$venv"
pip_pin=$(grep -E '^pip==' "$requirements" || true)
if [ -n "$pip_pin" ]; then
    "$venv/bin/python" -m pip install -q "$pip_pin"
fi
"$venv/bin/python" -m pip install -q -r "$requirements"
for pkg in "$@"; do
    if [ -f "$pkg/pyproject.toml" ] || [ -f "$pkg/setup.py" ]; then
        echo "mkvenv: installing $pkg (editable, [test] extra)"
        "$venv/bin/python" -m pip install -q -c "$requirements" -e "$pkg[test]"
    else
        echo "mkvenv: *** $pkg has no pyproject.toml or setup.py: cannot install it ***" >&2
        exit 1
    fi
done
"$venv/bin/python" -m pip check
echo "$want" > "$stamp"
echo "mkvenv: $venv ready"
