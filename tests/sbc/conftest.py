"""The SBC suite: playbooks/sbc_kamailio.yml, the sinch.est.kamailio role and est_trunk_check against
the emulator's SIP edge, with real Kamailio instances and SIPp as the PBX.

One emulator for the session (`--sip-port 0`), a fresh project of its own, configured only through
the collection's modules (the admin API only seeds the numbers the project owns and raises a
trunk's callsPerSecond, which the API shows read-only). Every Kamailio runs in the role's process
mode from a directory of the session; each one is stopped at the end through its pid file. Every
address is on 127.0.0.0/8 and every port one the OS just reported free. Tests run in file order.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from est_emulator.process import EmulatorProcess

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BIN = Path(sys.executable).parent
# SIPp runs through the SIP suite's runner (tests/sip/sipp.py), and its scenario files.
sys.path.insert(0, str(REPO / "tests" / "sip"))
from sipp import Sipp, free_port  # noqa: E402  pylint: disable=wrong-import-position

PROJECT, KEY, SECRET = "sbc-project", "sbc-key", "Sbc-Secret-8d2f6a1c"
CALLER = "+14155550300"
NUMBERS = {"acl": "+14155550301", "digest": "+14155550302", "bare": "+14155550303"}
RECAP = re.compile(r"^localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


def domain(host_name: str) -> str:
    return f"{host_name}.pstn.sinch.com"


class Run:
    """One ansible-playbook run: exit status, recap counts, output."""

    def __init__(self, completed: subprocess.CompletedProcess) -> None:
        self.rc = completed.returncode
        self.output = completed.stdout + completed.stderr
        match = RECAP.search(completed.stdout)
        self.ok, self.changed, self.unreachable, self.failed = (int(v) for v in match.groups()) if match else (0, 0, 0, 0)

    def __repr__(self) -> str:
        failures = [line for line in self.output.splitlines() if line.startswith(("fatal:", "failed:", "[ERROR]"))]
        return (f"Run(rc={self.rc}, changed={self.changed}, failed={self.failed}) " + " | ".join(failures)[:6000]
                + "\n" + self.output[-3000:])


class Kamailio:
    """One Kamailio the role runs in process mode: its address, port, directory and PBX."""

    def __init__(self, workdir: Path, name: str, address: str) -> None:
        self.name = name
        self.address = address
        self.port = free_port(address)
        self.pbx_port = free_port()
        self.config_dir = workdir / f"kamailio-{name}"

    @property
    def pid(self) -> int | None:
        pid_file = self.config_dir / "run" / "kamailio.pid"
        return int(pid_file.read_text().strip()) if pid_file.exists() else None

    def log(self) -> str:
        path = self.config_dir / "kamailio.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def role_vars(self, trunk: str, edges: list, credentials: list | None = None) -> dict:
        return {"kamailio_trunk": trunk, "kamailio_credentials": credentials or [],
                "kamailio_listen": f"{self.address}:{self.port}", "kamailio_pbx": f"sip:127.0.0.1:{self.pbx_port}",
                "kamailio_sinch_edge": edges, "kamailio_config_dir": str(self.config_dir),
                "kamailio_run": "process", "kamailio_install": False}

    def stop(self) -> None:
        """SIGTERM to the pid in its pid file (the process this suite started), SIGKILL after 5 s."""
        pid = self.pid
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGTERM)
            for _attempt in range(50):
                os.kill(pid, 0)
                time.sleep(0.1)
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


class SbcSession:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        config = workdir / "projects.json"
        config.write_text(json.dumps({"projects": [{"id": PROJECT, "keys": [{"id": KEY, "secret": SECRET}]}]}))
        self.emulator = EmulatorProcess("--config", str(config), "--provisioning-delay", "0", "--sip-port", "0",
                                        "--sip-attempt-timeout", "1")
        self.edge_port = self.emulator.admin("GET", "/health")["sip"]["udp"]
        self.edge = f"127.0.0.1:{self.edge_port}"
        self.kamailios: dict[str, Kamailio] = {}
        self.pbx_runners: dict[str, Sipp] = {}
        self.edge_runner = Sipp(workdir / "sipp-edge", self.edge_port)
        self.runs = 0
        self.emulator.admin("POST", "/seed", {"project": PROJECT, "phone_numbers": list(NUMBERS.values()),
                                              "numbers": 0, "calls": 0})

    def kamailio(self, name: str, address: str = "127.0.0.1") -> Kamailio:
        if name not in self.kamailios:
            self.kamailios[name] = Kamailio(self.workdir, name, address)
        return self.kamailios[name]

    def env(self) -> dict:
        env = dict(os.environ)
        env.update({
            "ANSIBLE_COLLECTIONS_PATH": os.environ.get("EST_COLLECTIONS_PATH", str(REPO / ".ansible" / "collections")),
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_RETRY_FILES_ENABLED": "0", "ANSIBLE_LOCALHOST_WARNING": "0",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
            "SINCH_PROJECT_ID": PROJECT, "SINCH_KEY_ID": KEY, "SINCH_KEY_SECRET": SECRET,
            "SINCH_EST_API_URL": self.emulator.url, "SINCH_AUTH_URL": self.emulator.url,
            "SINCH_NUMBERS_API_URL": self.emulator.url,
        })
        return env

    def playbook(self, playbook: Path | str, variables: dict, *options: str) -> Run:
        """ansible-playbook from the repository root with these variables (a file of its own)."""
        self.runs += 1
        extra = self.workdir / f"vars-{self.runs:02d}.json"
        extra.write_text(json.dumps(variables))
        path = playbook if Path(playbook).is_absolute() else HERE / playbook
        completed = subprocess.run(
            [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(path), "-e", f"@{extra}", *options],
            cwd=str(REPO), env=self.env(), capture_output=True, text=True, timeout=300, check=False)
        return Run(completed)

    def check(self, *checks: dict) -> list[dict]:
        """est_trunk_check for each {trunk, sbc_addresses, usernames, destinations}: each result."""
        results = self.workdir / f"checks-{self.runs + 1:02d}.json"
        run = self.playbook("check.yml", {"sbc_checks": list(checks), "sbc_results_file": str(results)})
        assert run.rc == 0, run
        return json.loads(results.read_text())

    def calls(self, trunk: str) -> list[dict]:
        results = self.workdir / f"calls-{self.runs + 1:02d}.json"
        run = self.playbook("call_info.yml", {"sbc_trunk": trunk, "sbc_results_file": str(results)})
        assert run.rc == 0, run
        return json.loads(results.read_text())

    def state(self) -> dict:
        return self.emulator.admin("GET", "/state", params={"project": PROJECT})

    def trunk_id(self, host_name: str) -> str:
        return next(t["id"] for t in self.state()["trunks"] if t["hostName"] == host_name)

    def pbx(self, kamailio: Kamailio) -> Sipp:
        """SIPp as the PBX behind this Kamailio: its calls go to the Kamailio's address and port."""
        if kamailio.name not in self.pbx_runners:
            runner = Sipp(self.workdir / f"sipp-{kamailio.name}", kamailio.port)
            runner.kamailio = kamailio
            self.pbx_runners[kamailio.name] = runner
        return self.pbx_runners[kamailio.name]

    def close(self) -> None:
        for runner in self.pbx_runners.values():
            runner.stop_all()
        for kamailio in self.kamailios.values():
            kamailio.stop()
        self.emulator.stop()


def pbx_call(pbx: Sipp, to: str, **options):
    """The PBX calls `to` through its Kamailio, from its own port, with its own domain in From
    (Kamailio puts the trunk's domain in the Request-URI, From and To)."""
    kamailio = pbx.kamailio
    keys = {"trunk": f"{kamailio.address}:{kamailio.port}", "to": to, "from": CALLER, "from_domain": "pbx.example.com"}
    return pbx.run("uac_call.xml", keys=keys, port=kamailio.pbx_port, remote=False,
                   extra=(f"{kamailio.address}:{kamailio.port}",), **options)


def edge_call(sbc, trunk: str, to: str, **options):
    """A call straight to the edge (no Kamailio), as the SIP suite places them."""
    runner = sbc.edge_runner
    keys = {"trunk": domain(trunk), "to": to, "from": CALLER, "from_domain": domain(trunk)}
    try:
        return runner.run("uac_call.xml", keys=keys, **options)
    finally:
        runner.stop_all()


def codes(result: dict) -> list:
    return [problem["sip_code"] for problem in result["problems"] if problem["sip_code"] is not None]


@pytest.fixture(scope="session")
def sbc(tmp_path_factory):
    session = SbcSession(tmp_path_factory.mktemp("sbc"))
    try:
        yield session
    finally:
        session.close()
