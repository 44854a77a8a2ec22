"""End to end: ansible-rulebook runs extensions/eda/rulebooks/asr_watch.yml (loaded from the collection
as sinch.est.asr_watch) against the emulator, sees a seeded ASR drop and fails the trunk over once."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time

from conftest import BIN, COLLECTIONS, KEY, PROJECT, SECRET, record_figure

WINDOW = 3


def endpoint_priorities(emulator) -> dict:
    return {endpoint["name"]: endpoint["priority"] for endpoint in emulator.admin("GET", "/state")["endpoints"]}


def wait_for(predicate, timeout: float, process: subprocess.Popen) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        assert process.poll() is None, "ansible-rulebook stopped"
        time.sleep(0.2)
    return predicate()


def test_a_seeded_asr_drop_runs_the_failover_playbook_once(fresh, tmp_path):
    trunk = fresh.trunk("acme-prod")
    for name, priority in (("sbc-primary", 1), ("sbc-backup", 2)):
        response = fresh.api("POST", f"/trunks/{trunk['id']}/endpoints",
                             {"name": name, "priority": priority, "address": f"{name}.example.net"})
        assert response.status_code in (200, 201), response.text
    (tmp_path / "vars.yml").write_text(json.dumps({
        "asr_threshold": 0.5, "asr_min_calls": 10, "asr_window": WINDOW, "asr_interval": 0.5, "asr_overlap": 1}))
    (tmp_path / "inventory.yml").write_text(json.dumps({"all": {"hosts": {"localhost": {
        "ansible_connection": "local", "ansible_python_interpreter": str(BIN / "python")}}}}))
    env = dict(os.environ, PATH=f"{BIN}:{os.environ['PATH']}", HOME=str(tmp_path), ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS),
               ANSIBLE_NOCOLOR="1", SINCH_PROJECT_ID=PROJECT, SINCH_KEY_ID=KEY, SINCH_KEY_SECRET=SECRET,
               SINCH_EST_API_URL=fresh.url, SINCH_AUTH_URL=fresh.url)
    output = tmp_path / "rulebook.log"
    started = time.monotonic()
    with output.open("w") as log:
        process = subprocess.Popen(
            [str(BIN / "ansible-rulebook"), "--rulebook", "sinch.est.asr_watch", "-i", str(tmp_path / "inventory.yml"),
             "--vars", str(tmp_path / "vars.yml"), "--print-events"],
            cwd=str(tmp_path), env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        # the source is up once it reads /calls
        assert wait_for(lambda: any(entry["path"].endswith("/calls") for entry in fresh.requests_log()), 60, process)
        ready = time.monotonic() - started
        fresh.add_calls([{"trunk": "acme-prod", "callResult": "COMPLETED" if i < 11 else "BUSY"} for i in range(12)])
        time.sleep(WINDOW + 0.5)  # the next window: the ASR drop, then one more bad window
        fresh.add_calls([{"trunk": "acme-prod", "callResult": "COMPLETED" if i < 3 else "FAILED"} for i in range(14)])
        time.sleep(WINDOW + 0.5)
        fresh.add_calls([{"trunk": "acme-prod", "callResult": "FAILED"} for _ in range(12)])
        assert wait_for(lambda: endpoint_priorities(fresh) == {"sbc-primary": 2, "sbc-backup": 1}, 90, process), \
            output.read_text()[-4000:]
        failed_over = time.monotonic() - started
        # every window seeded is summarised, and any further run would have started by then
        time.sleep(WINDOW + 4)
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    text = output.read_text()
    # --print-events: the healthy window, the drop, and one more bad window that the throttle holds back
    assert [float(value) for value in re.findall(r"'asr': ([0-9.]+)", text)] == [0.9167, 0.2143, 0.0], text[-4000:]
    assert text.count("PLAY [Fail a trunk over to another SBC endpoint]") == 1, text[-4000:]
    assert "PLAY RECAP" in text and "failed=0" in text
    assert SECRET not in text
    record_figure("rulebook: seconds until the source polled (JVM and rule engine start)", round(ready, 1))
    record_figure("rulebook: seconds from start to the failover done", round(failed_over, 1))
