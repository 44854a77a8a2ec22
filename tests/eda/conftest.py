"""The sinch.est.calls event source against the real emulator process.

The source is loaded the way ansible-rulebook loads it: runpy.run_path of the file inside the
collection link (.ansible/collections/ansible_collections/sinch/est, made by `make link`), so its
own sys.path setup is what makes the collection's module_utils importable. Server state is read
through the emulator's admin API, never taken from the source.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import runpy
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import pytest
import requests
from est_emulator.process import EmulatorProcess

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
COLLECTIONS = Path(os.environ.get("EST_COLLECTIONS_PATH", str(REPO / ".ansible" / "collections")))
SOURCE = COLLECTIONS / "ansible_collections" / "sinch" / "est" / "extensions" / "eda" / "plugins" / "event_source" / "calls.py"
FIGURES = REPO / "build" / "eda-figures.txt"
PROJECT, KEY, SECRET = "eda-project", "eda-key", "Eda-Secret-4c1f9a7b"

os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")


class Emulator(EmulatorProcess):
    """The emulator with a file database, so a stop and a start (same port) keep its state."""

    def __init__(self, tmp_path: Path, *args: str) -> None:
        super().__init__("--db", str(tmp_path / "est.sqlite"), "--project-id", PROJECT, "--key-id", KEY,
                         "--key-secret", SECRET, *args)

    def api(self, method: str, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        return requests.request(method, f"{self.url}/v1/projects/{PROJECT}{path}", json=body, auth=(KEY, SECRET),
                                timeout=30, **kwargs)

    def add_calls(self, calls: List[dict]) -> List[dict]:
        return self.admin("POST", "/calls", {"project": PROJECT, "calls": calls})["calls"]

    def trunk(self, host: str) -> dict:
        response = self.api("POST", "/trunks", {"name": f"Trunk {host}", "hostName": host})
        assert response.status_code == 201, response.text
        return response.json()

    def requests_log(self, since: int = 0) -> List[dict]:
        return self.admin("GET", "/requests", params={"since": since})["requests"]

    def last_seq(self) -> int:
        log = self.requests_log()
        return log[-1]["seq"] if log else 0

    def reset(self) -> None:
        self.admin("POST", "/time", {"offset_seconds": 0})
        self.admin("DELETE", "/faults")
        self.admin("POST", "/reset", {})
        self.admin("DELETE", "/requests")


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    process = Emulator(tmp_path_factory.mktemp("emulator"))
    yield process
    process.stop()


@pytest.fixture
def fresh(emulator):
    emulator.reset()
    return emulator


@pytest.fixture(scope="session")
def plugin() -> Dict[str, Any]:
    assert SOURCE.is_file(), f"{SOURCE} is missing: run `make link`"
    return runpy.run_path(str(SOURCE))


def connection(emulator: Emulator, **extra: Any) -> Dict[str, Any]:
    """Source arguments for the emulator (given as arguments, not SINCH_* variables)."""
    return {"project_id": PROJECT, "key_id": KEY, "key_secret": SECRET, "api_url": emulator.url,
            "auth_url": emulator.url, **extra}


class Feed:
    """One source instance running on the test's event loop, and the events it put on its queue."""

    def __init__(self, plugin: Dict[str, Any], args: Dict[str, Any], environ: Optional[Dict[str, str]] = None) -> None:
        self.settings = plugin["Settings"](args, environ or {}, plugin["utc_now"]())
        self.source = plugin["CallSource"](self.settings)
        self.queue: asyncio.Queue = asyncio.Queue()
        self.events: List[dict] = []
        self.task = asyncio.create_task(self.source.run(self.queue))

    def drain(self) -> List[dict]:
        while not self.queue.empty():
            self.events.append(self.queue.get_nowait())
        return self.events

    async def until(self, predicate: Callable[[List[dict]], bool], timeout: float = 30.0) -> List[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert not self.task.done(), f"the source stopped: {self.task.exception()!r}"
            if predicate(self.drain()):
                return self.events
            await asyncio.sleep(0.05)
        raise AssertionError(f"timed out after {timeout}s with {len(self.drain())} events")

    async def polls(self, count: int, timeout: float = 30.0) -> List[dict]:
        """Waits for `count` more successful polls, so anything a poll would still emit is out."""
        target = self.source.polls + count
        return await self.until(lambda _: self.source.polls >= target, timeout)

    async def stop(self) -> None:
        self.task.cancel()
        try:
            await self.task
        except asyncio.CancelledError:
            pass


def call_ids(events: List[dict]) -> List[str]:
    return [event["sinch_est"]["call"]["call_id"] for event in events]


def calls_polls(log: List[dict]) -> List[dict]:
    return [entry for entry in log if entry["path"].endswith("/calls") and entry["method"] == "GET"]


def record_figure(name: str, value: Any) -> None:
    """Measured figures for the closing note; `make eda` prints the file."""
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    with FIGURES.open("a", encoding="utf-8") as handle:
        handle.write(f"{name}: {json.dumps(value)}\n")


@pytest.fixture
def source_log(caplog):
    caplog.set_level(logging.DEBUG, logger="sinch.est.calls")
    return caplog
