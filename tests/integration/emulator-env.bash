# Sourced by the scripted integration tests (not a test itself: it is not executable).
# Points the SINCH_* connection at the emulator in EST_EMULATOR_URL and gives demo_project.
: "${EST_EMULATOR_URL:?set EST_EMULATOR_URL to the emulator, e.g. http://127.0.0.1:8765}"
export SINCH_PROJECT_ID=${SINCH_PROJECT_ID:-demo-project}
export SINCH_KEY_ID=${SINCH_KEY_ID:-demo-key}
export SINCH_KEY_SECRET=${SINCH_KEY_SECRET:-demo-secret}
export SINCH_EST_API_URL=$EST_EMULATOR_URL SINCH_AUTH_URL=$EST_EMULATOR_URL SINCH_NUMBERS_API_URL=$EST_EMULATOR_URL
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0

demo_project() {  # VARS_FILE: reset the project; seed the phone numbers the variables route (a real project owns them)
    "${PYTHON:-python3}" - "$EST_EMULATOR_URL" "$SINCH_PROJECT_ID" "$1" <<'PY'
import json
import sys
import urllib.request

import yaml

url, project, vars_file = sys.argv[1:]
with open(vars_file, encoding="utf-8") as handle:
    wanted = yaml.safe_load(handle)


def admin(method, path, body=None):
    request = urllib.request.Request(url + "/_emulator" + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"{}")


admin("POST", "/reset", {"project": project})
admin("POST", "/seed", {"project": project,
                        "phone_numbers": [n for trunk in wanted["est_trunks"] for n in trunk.get("phone_numbers") or []]})
admin("DELETE", "/requests")
PY
}
