#!/usr/bin/env bash
# The review promise: `site.yml --check --diff` on an EMPTY project (what a new user or an AWX
# "Check" job runs first) exits 0, sends no write, and reports as changed exactly the task results
# the real run then changes. Then a check run of the converged project reports nothing.
#
#   .venv/bin/python tools/with-emulator.py -- tests/integration/check_then_apply.sh   (a fresh emulator)
#   EST_EMULATOR_URL=http://127.0.0.1:8765 tests/integration/check_then_apply.sh          (RESETS its project)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
source tests/integration/emulator-env.bash
python=${PYTHON:-python3}
export ANSIBLE_CALLBACK_PLUGINS="$repo/tests/integration/callback_plugins" ANSIBLE_CALLBACKS_ENABLED=record_changes
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

playbook() {  # NAME OUT ARGS...: run site.yml, recording each result into OUT; it must exit 0
    local name=$1 out=$2
    shift 2
    echo "==> $name: ansible-playbook playbooks/site.yml $*"
    if ! RECORD_CHANGES_OUT="$out" ansible-playbook playbooks/site.yml "$@" >"$work/$name.log" 2>&1; then
        cat "$work/$name.log"
        echo "FAIL: $name exited non-zero" >&2
        exit 1
    fi
}

demo_project playbooks/vars/site.yml  # an empty project owning the demo's phone numbers

playbook check-on-empty "$work/check.json" --check --diff
"$python" -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' \
    "$EST_EMULATOR_URL/_emulator/requests" >"$work/check-requests.json"
playbook apply "$work/apply.json" --diff
playbook check-converged "$work/check-again.json" --check --diff

"$python" - "$work" <<'PY'
import json
import os
import re
import sys

work = sys.argv[1]
load = lambda name: json.load(open(os.path.join(work, name), encoding="utf-8"))  # noqa: E731
check, apply, again = load("check.json"), load("apply.json"), load("check-again.json")
problems = []

writes = [entry for entry in load("check-requests.json")["requests"]
          if entry["method"] != "GET" and entry["path"] != "/oauth2/token"]
if writes:
    problems.append(f"check mode sent {len(writes)} writes: {writes[:3]}")


def changed(results):
    return sorted((result["task"], str(result["item"])) for result in results if result["changed"])


if [r for r in check if r["status"] == "failed"]:
    problems.append("check mode failed: " + str([r for r in check if r["status"] == "failed"]))
if changed(check) != changed(apply):
    only_check = sorted(set(changed(check)) - set(changed(apply)))
    only_apply = sorted(set(changed(apply)) - set(changed(check)))
    problems.append(f"changed only in check mode: {only_check}; changed only for real: {only_apply}")
if changed(again):
    problems.append(f"check mode on the converged project reports changes: {changed(again)}")

# The diffs too: check mode's diff takes the real run's form. An id the real run assigns is the
# placeholder PLACEHOLDER in check mode; every id (a ULID) compares as <id>.
PLACEHOLDER = "(created: id assigned by Sinch)"
ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


def normal(value):
    if isinstance(value, dict):
        return {key: normal(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((normal(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if value == PLACEHOLDER or (isinstance(value, str) and ULID.match(value)):
        return "<id>"
    return value


def diffs(results):
    return {(result["task"], str(result["item"])): normal(result["diff"]) for result in results
            if result["changed"] and not result["censored"]}  # no_log results carry no diff to compare


check_diffs, apply_diffs = diffs(check), diffs(apply)
differing = [key for key in apply_diffs if check_diffs.get(key) != apply_diffs[key]]
for key in differing:
    problems.append(f"diff of {key} differs: check {json.dumps(check_diffs.get(key), sort_keys=True)} "
                    f"!= real {json.dumps(apply_diffs[key], sort_keys=True)}")
no_diff = [key for key, diff in apply_diffs.items() if not diff]
if no_diff:
    problems.append(f"changed results without a diff: {no_diff}")
warned = [r for r in check if any("yet" in warning for warning in r["warnings"])]
print(f"    check on empty: {len(changed(check))} results changed, {len(writes)} writes, "
      f"{len(warned)} results warned that a parent does not exist yet")
print(f"    apply: {len(changed(apply))} results changed; check on converged: {len(changed(again))} changed")
print(f"    diffs compared: {len(apply_diffs)}, differing: {len(differing)}")
for problem in problems:
    print("  - " + problem)
if problems:
    sys.exit("FAIL: check mode did not predict the real run")
print("check then apply: check mode predicted the real run exactly, diffs included")
PY
