#!/usr/bin/env bash
# Round trip of playbooks/export.yml against the EST emulator:
#   1. site.yml with the demo variables (playbooks/vars/site.yml) builds a project;
#   2. export.yml reads it back into a variables file;
#   3. the exported file holds what the demo variables said (compared field by field);
#   4. site.yml with the EXPORTED file, in check mode and then for real, reports changed=0.
#
#   .venv/bin/python tools/with-emulator.py -- tests/integration/export_roundtrip.sh   (a fresh emulator)
#   EST_EMULATOR_URL=http://127.0.0.1:8765 tests/integration/export_roundtrip.sh          (RESETS its project)
#
# Needs ansible-playbook and python3 (PyYAML) on PATH; run from anywhere (it runs from the
# repository root, whose ansible.cfg finds sinch.est under .ansible/collections).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
source tests/integration/emulator-env.bash
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

recap() {  # "changed=N failed=N" of a run's log
    sed -n '/^PLAY RECAP/,$p' "$1" | awk '{for (i = 1; i <= NF; i++) { split($i, kv, "=");
        if (kv[1] ~ /^(changed|failed|unreachable)$/) sum[kv[1]] += kv[2] }}
        END { printf "changed=%d failed=%d unreachable=%d", sum["changed"], sum["failed"], sum["unreachable"] }'
}

run() {  # run NAME LOG ansible-playbook-args...: the run must succeed
    local name=$1 log=$2
    shift 2
    echo "==> $name: ansible-playbook $*"
    if ! ansible-playbook "$@" >"$log" 2>&1; then
        cat "$log"
        echo "FAILED: $name" >&2
        exit 1
    fi
    echo "    $(recap "$log")"
}

cp playbooks/vars/site.yml "$work/demo.yml"
demo_project "$work/demo.yml"  # a fresh project owning the demo's phone numbers

run "site.yml with the demo variables" "$work/site1.log" playbooks/site.yml -e "@$work/demo.yml"
run "export.yml" "$work/export.log" playbooks/export.yml -e "export_dest=$work/exported.yml"

# Every password variable the export asks for, set to a throwaway value: with update_password
# on_create no password is sent for a user name the server already has.
while read -r variable; do
    export "$variable=Roundtrip-unused-1"
done < <(grep -o "EST_PASSWORD_[A-Z0-9_]*" "$work/exported.yml" | sort -u)

"$python" - "$work/demo.yml" "$work/exported.yml" <<'PY'
import sys

import yaml

demo, exported = (yaml.safe_load(open(path, encoding="utf-8")) for path in sys.argv[1:])
problems = []


def same(label, want, got):
    if want != got:
        problems.append("%s: demo %r, exported %r" % (label, want, got))


def by_name(items, key="name"):
    return dict((item[key], item) for item in items)


def compare_fields(label, want, got):
    # Only what the demo states: the export also writes the values the server defaulted.
    for key, value in want.items():
        if key in ("endpoints", "credentials", "ip_ranges"):
            continue
        if isinstance(value, list):
            same("%s %s" % (label, key), sorted(value), sorted(got.get(key) or []))
        else:
            same("%s %s" % (label, key), value, got.get(key))


same("trunks", sorted(by_name(demo["est_trunks"], "host_name")), sorted(by_name(exported["est_trunks"], "host_name")))
for host_name, trunk in by_name(demo["est_trunks"], "host_name").items():
    got = by_name(exported["est_trunks"], "host_name").get(host_name, {})
    compare_fields("trunk " + host_name, trunk, got)
    got_endpoints = by_name(got.get("endpoints") or [])
    same("trunk %s endpoints" % host_name, sorted(by_name(trunk["endpoints"])), sorted(got_endpoints))
    for name, endpoint in by_name(trunk["endpoints"]).items():
        compare_fields("endpoint %s" % name, endpoint, got_endpoints.get(name, {}))
for acl_name, acl in by_name(demo["est_acls"]).items():
    got = by_name(exported["est_acls"]).get(acl_name, {})
    compare_fields("acl " + acl_name, acl, got)
    same("acl %s ip_ranges" % acl_name, sorted(map(repr, acl["ip_ranges"])), sorted(map(repr, got.get("ip_ranges") or [])))
for list_name, credential_list in by_name(demo["est_credential_lists"]).items():
    got = by_name(exported["est_credential_lists"]).get(list_name, {})
    same("credential list %s users" % list_name, sorted(c["username"] for c in credential_list["credentials"]),
         sorted(c["username"] for c in got.get("credentials") or []))
    for credential in got.get("credentials") or []:
        if "lookup('ansible.builtin.env', 'EST_PASSWORD_" not in credential["password"]:
            problems.append("credential %s: the password must be an env lookup, got %r"
                            % (credential["username"], credential["password"]))
same("countries", sorted(demo["est_enabled_countries"]), sorted(exported["est_enabled_countries"]))
for rule_name, rule in by_name(demo["est_call_blocking_rules"]).items():
    compare_fields("rule " + rule_name, rule, by_name(exported["est_call_blocking_rules"]).get(rule_name, {}))
for problem in problems:
    print("  - " + problem)
if problems:
    sys.exit("FAILED: the exported file differs from the demo variables")
print("    the exported file matches the demo variables")
PY

run "site.yml --check --diff with the exported file" "$work/check.log" playbooks/site.yml -e "@$work/exported.yml" --check --diff
run "site.yml with the exported file" "$work/site2.log" playbooks/site.yml -e "@$work/exported.yml"
status=0
for log in check site2; do
    result=$(recap "$work/$log.log")
    if [ "$result" != "changed=0 failed=0 unreachable=0" ]; then
        echo "FAILED: site.yml with the exported variables ($log) reported $result, expected changed=0" >&2
        grep -E "^(changed|TASK)" "$work/$log.log" | grep -B1 "^changed" >&2 || true
        status=1
    fi
done
if [ $status -eq 0 ]; then
    echo "export round trip: 1 passed, 0 failed"
else
    echo "export round trip: 0 passed, 1 failed"
fi
exit $status
