"""Reliability suite: real playbooks through ansible-playbook against the real emulator process.

Server state is always read back through the emulator's admin API, never taken from the modules.
ansible-playbook comes from the same virtual environment as this pytest; the collection is found
through EST_COLLECTIONS_PATH (default: the repository's .ansible/collections, made by `make install`).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from est_emulator.process import EmulatorProcess

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PROJECT, KEY, SECRET = "demo-project", "demo-key", "Key-Secret-7f3a9c2e"
OTHER_PROJECT, OTHER_KEY, OTHER_SECRET = "other-project", "other-key", "Other-Secret-1b8d4e6f"
PASSWORD = "Pbx01-Password-5c7e2a91"
SITE_NUMBERS = ["+14155550100", "+14155550101"]
RECAP = re.compile(r"^localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


class Emulator(EmulatorProcess):
    """The emulator process with this suite's two projects (numbers go live after 0.2 s)."""

    def __init__(self, tmp_path: Path, *args: str) -> None:
        config = tmp_path / "projects.json"
        config.write_text(json.dumps({"projects": [
            {"id": PROJECT, "keys": [{"id": KEY, "secret": SECRET}]},
            {"id": OTHER_PROJECT, "keys": [{"id": OTHER_KEY, "secret": OTHER_SECRET}]},
        ]}))
        super().__init__("--config", str(config), "--provisioning-delay", "0.2", *args)

    def reset(self) -> None:
        self.admin("POST", "/reset", {})
        self.admin("DELETE", "/faults")
        self.admin("DELETE", "/requests")

    def seed_site_numbers(self) -> None:
        self.admin("POST", "/seed", {"project": PROJECT, "phone_numbers": SITE_NUMBERS, "numbers": 0, "calls": 0})

    def faults(self, **config) -> None:
        self.admin("POST", "/faults", config)

    def state(self, project: str = PROJECT) -> dict:
        return self.admin("GET", "/state", params={"project": project})

    def requests_log(self) -> list:
        return self.admin("GET", "/requests")["requests"]

    def api(self, method: str, path: str, body=None, project=PROJECT, auth=(KEY, SECRET)):
        return requests.request(method, f"{self.url}/v1/projects/{project}{path}", json=body, auth=auth, timeout=30)


class Run:
    def __init__(self, completed: subprocess.CompletedProcess) -> None:
        self.rc = completed.returncode
        self.output = completed.stdout + completed.stderr
        match = RECAP.search(completed.stdout)
        self.ok, self.changed, self.unreachable, self.failed = (int(value) for value in match.groups()) if match else (0, 0, 0, 0)

    def __repr__(self) -> str:
        failures = [line for line in self.output.splitlines() if line.startswith(("fatal:", "failed:", "[ERROR]"))]
        return f"Run(rc={self.rc}, changed={self.changed}, failed={self.failed}) " + " | ".join(failures)[:6000]


def connection_env(emulator: Emulator, **overrides: str) -> dict:
    env = dict(os.environ)
    collections = os.environ.get("EST_COLLECTIONS_PATH", str(REPO / ".ansible" / "collections"))
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": collections,
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_DEPRECATION_WARNINGS": "0",
        "SINCH_PROJECT_ID": PROJECT,
        "SINCH_KEY_ID": KEY,
        "SINCH_KEY_SECRET": SECRET,
        "SINCH_EST_API_URL": emulator.url,
        "SINCH_AUTH_URL": emulator.url,
        "SINCH_NUMBERS_API_URL": emulator.url,
        "SINCH_API_RETRY_DEADLINE": "60",
        "PBX01_PASSWORD": PASSWORD,
    })
    env.update(overrides)
    return env


def run_playbook(emulator: Emulator, playbook, *args: str, timeout: int = 300, **env_overrides: str) -> Run:
    env = connection_env(emulator, **env_overrides)
    completed = subprocess.run(
        [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook), *args],
        cwd=str(REPO), env=env, capture_output=True, text=True, timeout=timeout, check=False)
    return Run(completed)


def write_playbook(path: Path, tasks: list) -> Path:
    play = [{"name": "Reliability scenario", "hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    path.write_text(json.dumps(play, indent=1))
    return path


def wait_until(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    process = Emulator(tmp_path_factory.mktemp("emulator"))
    yield process
    process.stop()


@pytest.fixture
def fresh(emulator):
    emulator.reset()
    return emulator
