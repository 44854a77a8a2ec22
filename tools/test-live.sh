#!/usr/bin/env bash
# `make test-live`: the integration targets against a real Sinch project. Opt-in: needs
# SINCH_PROJECT_ID, SINCH_KEY_ID and SINCH_KEY_SECRET (SINCH_EST_API_URL, SINCH_AUTH_URL and
# SINCH_NUMBERS_API_URL are optional). Targets get est_live: true (skip emulator-only checks)
# and est_name_prefix (every object they create is named with it, and they clean up).
#   tools/test-live.sh [TARGET...]     (default: live_smoke)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
missing=()
for var in SINCH_PROJECT_ID SINCH_KEY_ID SINCH_KEY_SECRET; do
    [ -n "${!var:-}" ] || missing+=("$var")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "skipped: test-live needs ${missing[*]} (a real Sinch project); nothing was run."
    exit 0
fi
prefix="ansible-test-$(date +%s)-$$"
export INTEGRATION_CONFIG="---
est_live: true
est_name_prefix: ${prefix}
est_api_url: ${SINCH_EST_API_URL:-https://elastic-trunking.api.sinch.com}
est_auth_url: ${SINCH_AUTH_URL:-https://auth.sinch.com}
est_numbers_api_url: ${SINCH_NUMBERS_API_URL:-https://numbers.api.sinch.com}
est_project_id: ${SINCH_PROJECT_ID}
est_key_id: ${SINCH_KEY_ID}
est_key_secret: ${SINCH_KEY_SECRET}
"
export STAGE_HOOK='printf "%s" "$INTEGRATION_CONFIG" > tests/integration/integration_config.yml; chmod 600 tests/integration/integration_config.yml'
# Only targets written to be safe against a real project (no emulator admin API, everything
# named with est_name_prefix and deleted again): live_smoke, unless targets are named.
if [ $# -eq 0 ]; then
    set -- live_smoke
fi
echo "test-live: project ${SINCH_PROJECT_ID}, object name prefix ${prefix}, targets: $*"
exec tools/ansible-test.sh main integration "$@"
