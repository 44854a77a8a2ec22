#!/usr/bin/env bash
# `make integration`: the integration tests against a fresh emulator (no containers; the .venv
# Python, which has requests, runs the modules).
#
#   tools/integration.sh [TARGET...]      (default: all ansible-test targets + the scripts)
#
# 1. Starts the emulator on a free port (tools/with-emulator.py, which always stops it), with
#    tests/integration/emulator-config.json when it exists (several projects and keys).
# 2. Writes tests/integration/integration_config.yml into the staged tree (never into the
#    working tree): est_api_url, est_project_id, est_key_id, est_key_secret, and
#    est_other_project_id / est_other_key_id / est_other_key_secret from a second project.
# 3. Runs `.venv/bin/ansible-test integration` there, then (without TARGET arguments) each
#    scripted test: tests/integration/*.sh and tests/integration/*/run.sh (not under targets/),
#    run from the working tree with the emulator's SINCH_* / EST_EMULATOR_URL environment.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
emulator_config=tests/integration/emulator-config.json

if [ "${1:-}" != "--inside-emulator" ]; then
    tools/mkvenv.sh .venv "${PYTHON:-python3}" tests/requirements.txt tests/emulator
    mkdir -p build/logs
    extra=()
    [ -f "$emulator_config" ] && extra=(--emulator-arg=--config "--emulator-arg=$repo/$emulator_config")
    exec .venv/bin/python tools/with-emulator.py --log build/logs/emulator-integration.log "${extra[@]}" \
        -- "$0" --inside-emulator "$@"
fi
shift

# Inside with-emulator: SINCH_* and EST_EMULATOR_URL are set.
export INTEGRATION_CONFIG
INTEGRATION_CONFIG=$(.venv/bin/python - "$emulator_config" <<'PY'
import json, os, sys
lines = ["---",
         "est_api_url: %s" % os.environ["EST_EMULATOR_URL"],
         "est_project_id: %s" % os.environ["SINCH_PROJECT_ID"],
         "est_key_id: %s" % os.environ["SINCH_KEY_ID"],
         "est_key_secret: %s" % os.environ["SINCH_KEY_SECRET"]]
if os.path.exists(sys.argv[1]):
    projects = json.load(open(sys.argv[1]))["projects"]
    if projects[0]["id"] != os.environ["SINCH_PROJECT_ID"]:
        sys.exit("integration: the first project of %s must be %s" % (sys.argv[1], os.environ["SINCH_PROJECT_ID"]))
    if len(projects) > 1:
        other = projects[1]
        lines += ["est_other_project_id: %s" % other["id"],
                  "est_other_key_id: %s" % other["keys"][0]["id"],
                  "est_other_key_secret: %s" % other["keys"][0]["secret"]]
print("\n".join(lines))
PY
)
export STAGE_HOOK='printf "%s\n" "$INTEGRATION_CONFIG" > tests/integration/integration_config.yml'

status=0
# Module defaults come from integration_config.yml only, so a target that forgets
# module_defaults fails here as it would for users.
env -u SINCH_PROJECT_ID -u SINCH_KEY_ID -u SINCH_KEY_SECRET -u SINCH_EST_API_URL \
    -u SINCH_AUTH_URL -u SINCH_NUMBERS_API_URL \
    tools/ansible-test.sh main integration "$@" || status=1

if [ $# -eq 0 ]; then
    export PATH="$repo/.venv/bin:$PATH" PYTHON="$repo/.venv/bin/python"
    for script in tests/integration/*.sh tests/integration/*/run.sh; do
        [ -x "$script" ] || continue
        case "$script" in tests/integration/targets/*) continue ;; esac
        echo "==> $script (emulator $EST_EMULATOR_URL)"
        if "$script"; then echo "ok   $script"; else echo "FAIL $script"; status=1; fi
    done
fi
exit $status
