"""The benchmark's plumbing: the emulator process, playbook runs, the per-task request log.

Modelled on tests/reliability/conftest.py, without pytest: the emulator runs on a free loopback
port, ansible-playbook comes from the same virtual environment as this Python, and the collection
is found through EST_COLLECTIONS_PATH (default: the repository's .ansible/collections, made by
`make install`).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests
from est_emulator.process import EmulatorProcess

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PROJECT, KEY, SECRET = "demo-project", "demo-key", "Bench-Secret-3d9a7f21"
PASSWORD = "Pbx01-Password-5c7e2a91"
RECAP = re.compile(r"^localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


class Emulator(EmulatorProcess):
    """The emulator with the benchmark's project (numbers provisioned at once)."""

    def __init__(self, workdir: Path, *extra: str) -> None:
        config = workdir / "projects.json"
        config.write_text(json.dumps({"projects": [{"id": PROJECT, "keys": [{"id": KEY, "secret": SECRET}]}]}))
        super().__init__("--config", str(config), "--provisioning-delay", "0", *extra)
        self.base = f"{self.url}/v1/projects/{PROJECT}"
        self.session = requests.Session()
        self.session.auth = (KEY, SECRET)

    def reset(self) -> None:
        self.admin("POST", "/reset", {})
        self.admin("DELETE", "/faults")
        self.clear_log()

    def clear_log(self) -> None:
        self.admin("DELETE", "/requests")

    def log(self) -> list:
        return self.admin("GET", "/requests")["requests"]

    def api(self, method: str, path: str, body=None, **kwargs):
        response = self.session.request(method, self.base + path, json=body, timeout=60, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None


def ansible_env(emulator: Emulator, **overrides: str) -> dict:
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": os.environ.get("EST_COLLECTIONS_PATH", str(REPO / ".ansible" / "collections")),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_DEPRECATION_WARNINGS": "0",
        "ANSIBLE_SYSTEM_WARNINGS": "0",
        "ANSIBLE_ACTION_WARNINGS": "0",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_CALLBACK_PLUGINS": str(HERE / "callback_plugins"),
        "ANSIBLE_CALLBACKS_ENABLED": "bench_tasks",
        "BENCH_EMULATOR_URL": emulator.url,
        "SINCH_PROJECT_ID": PROJECT,
        "SINCH_KEY_ID": KEY,
        "SINCH_KEY_SECRET": SECRET,
        "SINCH_EST_API_URL": emulator.url,
        "SINCH_AUTH_URL": emulator.url,
        "SINCH_NUMBERS_API_URL": emulator.url,
        "PBX01_PASSWORD": PASSWORD,
    })
    env.pop("SINCH_ACCESS_TOKEN", None)
    env.pop("SINCH_AUTH_METHOD", None)
    env.update(overrides)
    return env


class Run:
    """One ansible-playbook run: wall time, recap, and per task (from the callback) its wall time
    and the API requests it caused."""

    def __init__(self, completed: subprocess.CompletedProcess, seconds: float, tasks: list) -> None:
        self.rc = completed.returncode
        self.output = completed.stdout + completed.stderr
        self.seconds = seconds
        self.tasks = tasks
        match = RECAP.search(completed.stdout)
        self.ok, self.changed, self.unreachable, self.failed = (int(v) for v in match.groups()) if match else (0, 0, 0, 0)

    def check(self, changed: int | None = None) -> "Run":
        if self.rc != 0 or self.failed or (changed is not None and self.changed != changed):
            raise RuntimeError(f"playbook run failed (rc={self.rc}, changed={self.changed}, want {changed}):\n"
                               f"{self.output[-5000:]}")
        return self

    @property
    def requests(self) -> list:
        return [request for task in self.tasks for request in task["requests"]]


def run_playbook(emulator: Emulator, playbook: Path, *args: str, workdir: Path, timeout: int = 900,
                 wrapper: list | None = None, **env_overrides: str) -> Run:
    tasks_file = workdir / "tasks.json"
    if tasks_file.exists():
        tasks_file.unlink()
    env = ansible_env(emulator, BENCH_TASKS_OUT=str(tasks_file), **env_overrides)
    command = [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook), *args]
    started = time.perf_counter()
    completed = subprocess.run((wrapper or []) + command, cwd=str(REPO), env=env, capture_output=True, text=True,
                               timeout=timeout, check=False)
    seconds = time.perf_counter() - started
    tasks = json.loads(tasks_file.read_text()) if tasks_file.exists() else []
    return Run(completed, seconds, tasks)


def write_playbook(path: Path, tasks: list, module_defaults: dict | None = None, pre_tasks: list | None = None,
                   play_vars: dict | None = None) -> Path:
    play = {"name": "Bench", "hosts": "localhost", "gather_facts": False, "tasks": (pre_tasks or []) + tasks}
    if module_defaults:
        play["module_defaults"] = module_defaults
    if play_vars:
        play["vars"] = play_vars
    path.write_text(json.dumps([play], indent=1))
    return path


def machine() -> dict:
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    core = subprocess.run([str(BIN / "python"), "-c", "import ansible.release as r; print(r.__version__)"],
                          capture_output=True, text=True, check=False).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": sys.version.split()[0],
        "ansible_core": core,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
