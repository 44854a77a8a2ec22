#!/usr/bin/env bash
# `make demo`: playbooks/site.yml twice against a fresh emulator; the second run must report
# changed=0 (idempotence). The emulator is always stopped (tools/with-emulator.py); Ctrl-C ends
# the demo with one line (with-emulator --own-process-group) and exit status 130.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
playbook=${DEMO_PLAYBOOK:-playbooks/site.yml}

if [ "${1:-}" != "--inside-emulator" ]; then
    if [ ! -f "$playbook" ]; then
        echo "demo: $playbook does not exist yet; nothing to demonstrate" >&2
        exit 1
    fi
    mkdir -p build/logs
    # The SIP edge on 127.0.0.1:${EST_SIP_PORT:-5080} (UDP and TCP), for SIPp, a softphone or an SBC.
    exec .venv/bin/python tools/with-emulator.py --own-process-group --log build/logs/emulator-demo.log \
        --emulator-arg=--sip-port --emulator-arg="${EST_SIP_PORT:-5080}" -- "$0" --inside-emulator
fi

recap() {  # the PLAY RECAP host lines of a run's output
    sed -n '/^PLAY RECAP/,$p' "$1" | grep -E ' ok=[0-9]+ ' || true
}
totals() {  # "ok=N changed=N failed=N" summed over hosts
    recap "$1" | awk '{for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] ~ /^(ok|changed|unreachable|failed)$/) sum[kv[1]] += kv[2] }}
        END { printf "ok=%d changed=%d unreachable=%d failed=%d", sum["ok"], sum["changed"], sum["unreachable"], sum["failed"] }'
}

# A real project owns its numbers; the emulator starts with none: seed the ones the demo
# variables route (est_trunks[].phone_numbers in playbooks/vars/site.yml).
.venv/bin/python - "${DEMO_VARS:-playbooks/vars/site.yml}" <<'PY'
import json, os, sys, urllib.request
import yaml
if not os.path.exists(sys.argv[1]):
    sys.exit(0)
with open(sys.argv[1], encoding="utf-8") as handle:
    demo = yaml.safe_load(handle) or {}
numbers = [n for trunk in demo.get("est_trunks") or [] for n in trunk.get("phone_numbers") or []]
if numbers:
    body = json.dumps({"project": os.environ["SINCH_PROJECT_ID"], "phone_numbers": numbers}).encode()
    request = urllib.request.Request(os.environ["EST_EMULATOR_URL"] + "/_emulator/seed", data=body,
                                     method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=30).read()
    print("demo: seeded %d EST number(s) in the emulator: %s" % (len(numbers), ", ".join(numbers)))
PY

.venv/bin/python - <<'PY'
import json, os, urllib.request
sip = json.load(urllib.request.urlopen(os.environ["EST_EMULATOR_URL"] + "/_emulator/health", timeout=30)).get("sip")
if sip:
    print("demo: the SIP edge answers on udp://127.0.0.1:%d and tcp://127.0.0.1:%d (trunk <host_name>.pstn.sinch.com)"
          % (sip["udp"], sip["tcp"]))
PY

export ANSIBLE_FORCE_COLOR=0 ANSIBLE_NOCOLOR=1
logs="$repo/build/logs"
status=0
rm -f "$logs"/demo-run[12].log
for run in 1 2; do
    echo "==> demo run $run: ansible-playbook $playbook (emulator $SINCH_EST_API_URL)"
    if ! .venv/bin/ansible-playbook "$playbook" 2>&1 | tee "$logs/demo-run$run.log"; then
        echo "demo: run $run failed" >&2
        status=1
        break
    fi
done

echo
echo "==================== demo summary ===================="
for run in 1 2; do
    if [ -f "$logs/demo-run$run.log" ]; then echo "run $run: $(totals "$logs/demo-run$run.log")"; fi
done
if [ $status -eq 0 ]; then
    second=$(totals "$logs/demo-run2.log")
    if [ -z "$(recap "$logs/demo-run2.log")" ]; then
        echo "FAIL: no PLAY RECAP in the second run"; status=1
    elif [[ "$second" != *" changed=0 "* ]] || [[ "$second" != *" failed=0" ]]; then
        echo "FAIL: the second run is not idempotent (expected changed=0 failed=0)"; status=1
    else
        echo "OK: the second run changed nothing (idempotent)"
    fi
fi
.venv/bin/python - <<'PY' || true
import json, os, urllib.request
url = "%s/_emulator/state?project=%s" % (os.environ["EST_EMULATOR_URL"], os.environ["SINCH_PROJECT_ID"])
state = json.load(urllib.request.urlopen(url, timeout=30))
counts = ["%s=%d" % (key, len(value)) for key, value in sorted(state.items()) if isinstance(value, list)]
print("emulator state of %s: %s" % (os.environ["SINCH_PROJECT_ID"], " ".join(counts)))
PY
echo "======================================================"
exit $status
