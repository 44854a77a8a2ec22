"""The SIP suite: the emulator's SIP edge, configured through the collection's modules, played with SIPp.

One emulator for the session (`--sip-port 0`: UDP and TCP on a free loopback port), configured by
tests/sip/configure.yml through ansible-playbook; the only admin calls are what no module can do:
owning the phone numbers (seeded, as a real account buys them), a trunk's callsPerSecond (read-only
in the API, raised by Sinch support), the scripted PSTN destinations and the inbound calls.

Each test that places a call notes the call record it must leave in the session's `ledger`;
test_4_records.py checks them all through est_call_info at the end. Tests run in file order.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from est_emulator.process import EmulatorProcess

from sipp import Sipp, free_port

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BIN = Path(sys.executable).parent
PROJECT, KEY, SECRET = "sip-project", "sip-key", "Sip-Secret-4e8b1c7a"
DOMAIN = "pstn.sinch.com"
# Our numbers (From of outbound calls, To of inbound ones), seeded as the project's EST numbers.
NUMBERS = {"static": "+14155550100", "registered": "+14155550103", "none": "+14155550104"}
CALLER = NUMBERS["static"]


def domain(host_name: str) -> str:
    return f"{host_name}.{DOMAIN}"


class SipEmulator(EmulatorProcess):
    """The emulator with the SIP edge on a free port, its stdout drained so it can never block."""

    def __init__(self, workdir: Path) -> None:
        config = workdir / "projects.json"
        config.write_text(json.dumps({"projects": [{"id": PROJECT, "keys": [{"id": KEY, "secret": SECRET}]}]}))
        super().__init__("--config", str(config), "--provisioning-delay", "0", "--sip-port", "0",
                         "--sip-attempt-timeout", "1")
        if getattr(self, "sip_port", None) is None:  # a process helper that does not read the "sip on" line
            self.sip_port = self.admin("GET", "/health")["sip"]["udp"]
        self.output: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        for line in self.proc.stdout:
            self.output.append(line)

    def state(self, calls: bool = False) -> dict:
        return self.admin("GET", "/state", params={"project": PROJECT, **({"calls": "1"} if calls else {})})

    def trunk_id(self, host_name: str) -> str:
        return next(t["id"] for t in self.state()["trunks"] if t["hostName"] == host_name)

    def set_cps(self, host_name: str, calls_per_second: int) -> None:
        self.admin("PATCH", f"/trunks/{self.trunk_id(host_name)}", {"callsPerSecond": calls_per_second})


def ansible_env(emulator: SipEmulator) -> dict:
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": os.environ.get("EST_COLLECTIONS_PATH", str(REPO / ".ansible" / "collections")),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "SINCH_PROJECT_ID": PROJECT,
        "SINCH_KEY_ID": KEY,
        "SINCH_KEY_SECRET": SECRET,
        "SINCH_EST_API_URL": emulator.url,
        "SINCH_AUTH_URL": emulator.url,
        "SINCH_NUMBERS_API_URL": emulator.url,
    })
    return env


def run_playbook(emulator: SipEmulator, playbook: str, extra_vars: Path) -> subprocess.CompletedProcess:
    completed = subprocess.run(
        [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(HERE / playbook), "-e", f"@{extra_vars}"],
        cwd=str(REPO), env=ansible_env(emulator), capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, f"{playbook} failed:\n{completed.stdout[-6000:]}\n{completed.stderr[-3000:]}"
    return completed


class Ledger:
    """The call records the session's calls must leave, by (direction, from, to): (callResult, final SIP code)."""

    def __init__(self) -> None:
        self.expected: dict[tuple, Counter] = {}

    def expect(self, direction: str, from_number: str, to_number: str, *outcomes: tuple[str, int]) -> None:
        self.expected.setdefault((direction, from_number, to_number), Counter()).update(outcomes)


class Session:
    """What the tests share: the emulator, the SIPp runner, the SIPp ports and the password."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.emulator = SipEmulator(workdir)
        self.sipp = Sipp(workdir / "sipp", self.emulator.sip_port)
        self.password = "Sipp-" + secrets.token_hex(6) + "-A1"
        self.ports = {"primary": free_port(), "backup": free_port()}
        self.ledger = Ledger()

    def configure(self) -> None:
        self.emulator.admin("POST", "/seed", {"project": PROJECT, "phone_numbers": list(NUMBERS.values()),
                                              "numbers": 0, "calls": 0})
        variables = self.workdir / "vars.json"
        variables.write_text(json.dumps({"sip_password": self.password, "sip_numbers": NUMBERS,
                                         "sip_primary_port": self.ports["primary"],
                                         "sip_backup_port": self.ports["backup"]}))
        run_playbook(self.emulator, "configure.yml", variables)
        # The API's default is 1 call per second; the tests place calls faster than that.
        for host_name in ("sipp-acl", "sipp-digest"):
            self.emulator.set_cps(host_name, 100)

    def records(self) -> tuple[list[dict], list[dict]]:
        """The session's call records from est_call_info, and the rows of est_call_export's CSV."""
        records, export = self.workdir / "records.json", self.workdir / "export.csv"
        variables = self.workdir / "records-vars.json"
        variables.write_text(json.dumps({"sip_records_file": str(records), "sip_export_file": str(export)}))
        run_playbook(self.emulator, "call_records.yml", variables)
        with open(export, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        return json.loads(records.read_text()), rows

    def close(self) -> None:
        self.sipp.stop_all()
        self.emulator.stop()


@pytest.fixture(scope="session")
def sip(tmp_path_factory):
    session = Session(tmp_path_factory.mktemp("sip"))
    try:
        session.configure()
        yield session
    finally:
        session.close()


@pytest.fixture
def sipp(sip):
    """The SIPp runner; every SIPp a test starts is stopped when the test ends."""
    yield sip.sipp
    sip.sipp.stop_all()
