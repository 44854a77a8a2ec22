#!/usr/bin/env bash
# ansible-test integration against a fresh emulator (no containers; the .venv Python, which has
# requests, runs the modules).
#
#   tools/integration.sh [TARGET...]      (default: all targets)
#
# Starts the emulator on a free port (tools/with-emulator.py, which always stops it), writes
# tests/integration/integration_config.yml into the staged tree (never into the working tree)
# and runs `.venv/bin/ansible-test integration` there.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

if ! ls -d tests/integration/targets/*/ >/dev/null 2>&1; then
    echo "*** SKIPPED integration: no targets in tests/integration/targets yet ***"
    exit 0
fi

if [ "${1:-}" != "--inside-emulator" ]; then
    tools/mkvenv.sh .venv "${PYTHON:-python3}" tests/requirements.txt tests/emulator
    mkdir -p build/logs
    exec .venv/bin/python tools/with-emulator.py --log build/logs/emulator-integration.log \
        -- "$0" --inside-emulator "$@"
fi
shift

# Inside with-emulator: SINCH_* and EST_EMULATOR_URL are set.
config="---
est_api_url: ${EST_EMULATOR_URL}
est_project_id: ${SINCH_PROJECT_ID}
est_key_id: ${SINCH_KEY_ID}
est_key_secret: ${SINCH_KEY_SECRET}
"
export INTEGRATION_CONFIG="$config"
export STAGE_HOOK='printf "%s" "$INTEGRATION_CONFIG" > tests/integration/integration_config.yml'
# Module defaults come from integration_config.yml, not from the environment the emulator
# wrapper exports, so a target that forgets module_defaults fails here as it would for users.
unset SINCH_PROJECT_ID SINCH_KEY_ID SINCH_KEY_SECRET SINCH_EST_API_URL SINCH_AUTH_URL SINCH_NUMBERS_API_URL
exec tools/ansible-test.sh main integration -v "$@"
