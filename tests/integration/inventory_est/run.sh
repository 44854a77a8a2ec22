#!/usr/bin/env bash
# The sinch.est.est inventory plugin against a running EST emulator, through `ansible-inventory`
# as a user runs it.
#
#   EST_EMULATOR_URL=http://127.0.0.1:8765 tests/integration/inventory_est/run.sh
#   .venv/bin/python tools/with-emulator.py -- tests/integration/inventory_est/run.sh   (a fresh emulator)
#
# Needs: ansible-inventory and python3 (with PyYAML, which ansible-core brings) on PATH, the
# collection reachable as sinch.est (ANSIBLE_COLLECTIONS_PATH, default: this tree's
# .ansible/collections, which `make install` links). It RESETS the emulator's project.
# SINCH_PROJECT_ID / SINCH_KEY_ID / SINCH_KEY_SECRET default to the emulator's demo values.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
here="$repo/tests/integration/inventory_est"
: "${EST_EMULATOR_URL:?set EST_EMULATOR_URL to the emulator, e.g. http://127.0.0.1:8765}"
export EST_EMULATOR_URL
export SINCH_PROJECT_ID=${SINCH_PROJECT_ID:-demo-project}
export SINCH_KEY_ID=${SINCH_KEY_ID:-demo-key}
export SINCH_KEY_SECRET=${SINCH_KEY_SECRET:-demo-secret}
export SINCH_EST_API_URL=$EST_EMULATOR_URL SINCH_AUTH_URL=$EST_EMULATOR_URL
export ANSIBLE_COLLECTIONS_PATH=${ANSIBLE_COLLECTIONS_PATH:-$repo/.ansible/collections}
export ANSIBLE_INVENTORY_UNPARSED_FAILED=true ANSIBLE_INVENTORY_ENABLED=sinch.est.est
export ANSIBLE_NOCOLOR=1 ANSIBLE_DEPRECATION_WARNINGS=false
python=${PYTHON:-python3}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

check() {  # check NAME CASE FILE: assert case CASE of checks.py on ansible-inventory's JSON in FILE
    if "$python" "$here/checks.py" "$2" "$3"; then
        echo "ok: $1"; passed=$((passed + 1))
    else
        echo "FAILED: $1"; failed=$((failed + 1))
    fi
}

inventory() {  # inventory SOURCE OUT [ansible-inventory args...]
    local source=$1 out=$2
    shift 2
    ansible-inventory -i "$source" --list "$@" >"$out" 2>"$out.err" || {
        echo "ansible-inventory -i $source failed:" >&2
        cat "$out.err" >&2
        return 1
    }
}

"$python" "$here/checks.py" seed -

# 1. The plain source: hosts, trunk groups, est_* variables, no ansible_host.
cat >"$work/plain.est.yml" <<'EOF'
plugin: sinch.est.est
EOF
inventory "$work/plain.est.yml" "$work/plain.json"
check "every endpoint is a host named trunk_endpoint, grouped by trunk, with est_* vars" plain "$work/plain.json"

# 2. Constructed features: compose, groups, keyed_groups, strict, a trunk filter, disabled endpoints left out.
cat >"$work/constructed.est.yaml" <<'EOF'
plugin: sinch.est.est
trunks: [ACME-PROD]
include_disabled: false
compose:
  ansible_host: est_address
  sbc_role: "'primary' if est_priority == 1 else 'backup'"
groups:
  est_primary: est_priority == 1
  est_registered: est_is_registered
keyed_groups:
  - key: est_transport | lower
    prefix: est_transport
EOF
inventory "$work/constructed.est.yaml" "$work/constructed.json"
check "compose/groups/keyed_groups/trunks/include_disabled" constructed "$work/constructed.json"

# strict: true turns a compose expression that fails for a host (no est_address on a registered
# endpoint) into an error of the source.
cat >"$work/strict.est.yml" <<'EOF'
plugin: sinch.est.est
strict: true
compose:
  ansible_host: est_address
EOF
if ansible-inventory -i "$work/strict.est.yml" --list >/dev/null 2>"$work/strict.err"; then
    echo "FAILED: strict: true must fail on a registered endpoint without est_address"; failed=$((failed + 1))
elif grep -q "est_address" "$work/strict.err"; then
    echo "ok: strict: true fails on an undefined compose variable"; passed=$((passed + 1))
else
    echo "FAILED: unexpected strict error:"; cat "$work/strict.err"; failed=$((failed + 1))
fi

# 3. Cache: a second run reads the cache (a new endpoint is not seen) until --flush-cache.
cat >"$work/cached.est.yml" <<EOF
plugin: sinch.est.est
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: $work/cache
cache_timeout: 600
EOF
inventory "$work/cached.est.yml" "$work/cached1.json"
"$python" "$here/checks.py" add-endpoint -
inventory "$work/cached.est.yml" "$work/cached2.json"
check "a cached run does not see the new endpoint" cached-stale "$work/cached2.json"
if ansible-inventory --help | grep -q -- --flush-cache; then
    inventory "$work/cached.est.yml" "$work/cached3.json" --flush-cache
else  # ansible-core < 2.17 has no ansible-inventory --flush-cache
    rm -rf "$work/cache"
    inventory "$work/cached.est.yml" "$work/cached3.json"
fi
check "a flushed cache reads the API again" cached-fresh "$work/cached3.json"

# 4. A wrong key fails the source clearly, without the secret.
cat >"$work/wrong.est.yml" <<'EOF'
plugin: sinch.est.est
key_id: demo-key
key_secret: not-the-secret-xyzzy
EOF
if ansible-inventory -i "$work/wrong.est.yml" --list >"$work/wrong.json" 2>"$work/wrong.err"; then
    echo "FAILED: a wrong key_secret must fail the inventory source"; failed=$((failed + 1))
elif grep -q UNAUTHENTICATED "$work/wrong.err" && ! grep -q xyzzy "$work/wrong.err"; then
    echo "ok: a wrong key fails with UNAUTHENTICATED and without the secret"; passed=$((passed + 1))
else
    echo "FAILED: unexpected error output:"; cat "$work/wrong.err"; failed=$((failed + 1))
fi

# 5. A file whose name does not end in est.yml is not this plugin's.
cp "$work/plain.est.yml" "$work/inventory.yml"
if ansible-inventory -i "$work/inventory.yml" --list >/dev/null 2>"$work/name.err"; then
    echo "FAILED: inventory.yml must not be accepted by sinch.est.est"; failed=$((failed + 1))
else
    echo "ok: a source not named *est.yml is refused"; passed=$((passed + 1))
fi

echo "inventory: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
