"""SIPp, the real SIP stack of these tests: one run of a scenario file, its answers read from its trace files.

Every SIPp socket is on loopback and on a port the OS just reported free: SIP (-p), media (-mp, and
-mp + 2) and the control socket (-ci/-cp, which SIPp would otherwise open on 0.0.0.0:8888). Each run
has a global timeout, so a scenario waiting for an answer that never comes fails instead of hanging.
What SIPp saw on the wire is read back from its trace files: the message counts (-trace_counts), the
statistics (-trace_stat) and every message sent and received (-trace_msg).
"""

from __future__ import annotations

import csv
import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
SIPP = shutil.which("sipp") or "/usr/bin/sipp"
# Transports as SIPp names them: one UDP socket, or one TCP connection, for all calls.
TRANSPORTS = {"udp": "u1", "tcp": "t1"}


def free_port(ip: str = "127.0.0.1", pair_step: int = 0) -> int:
    """A port free for UDP and TCP on `ip` (and, with pair_step, port + pair_step free for UDP too)."""
    for _attempt in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind((ip, 0))
            port = udp.getsockname()[1]
            if port + pair_step > 65535 or not _free(ip, port, socket.SOCK_STREAM):
                continue
            if pair_step and not _free(ip, port + pair_step, socket.SOCK_DGRAM):
                continue
            return port
    raise RuntimeError(f"no free port on {ip}")


def _free(ip: str, port: int, kind: int) -> bool:
    with socket.socket(socket.AF_INET, kind) as sock:
        try:
            sock.bind((ip, port))
        except OSError:
            return False
    return True


@dataclass
class SippRun:
    """What one SIPp run saw: exit status, per-message counts, call statistics, the message trace."""

    name: str
    rc: int
    workdir: Path
    port: int
    counts: dict = field(default_factory=dict)
    stats: dict = field(default_factory=dict)
    messages: str = ""
    output: str = ""

    def received(self, what: str) -> int:
        """How many times a response code ("403") or a request ("INVITE") was received as the scenario expected."""
        return sum(int(value) for key, value in self.counts.items() if re.fullmatch(rf"\d+_{what}_Recv", key))

    def sent(self, what: str) -> int:
        return sum(int(value) for key, value in self.counts.items() if re.fullmatch(rf"\d+_{what}_Sent", key))

    @property
    def successful(self) -> int:
        return int(self.stats.get("SuccessfulCall(C)", 0))

    @property
    def failed(self) -> int:
        return int(self.stats.get("FailedCall(C)", 0))

    def received_messages(self) -> list[str]:
        """Every SIP message SIPp received, as text."""
        parts = re.split(r"^-{20,} .*$", self.messages, flags=re.M)
        return [part.split("\n", 2)[2].strip() for part in parts
                if re.match(r"\s*(UDP|TCP) message received", part) and part.count("\n") >= 2]

    def __repr__(self) -> str:
        counts = {k: v for k, v in self.counts.items() if v not in ("0", "") and "Time" not in k}
        return (f"SippRun({self.name}: rc={self.rc}, successful={self.successful}, failed={self.failed}, "
                f"counts={counts}, "
                f"output={self.output[-1500:]!r}, workdir={self.workdir})")


class Sipp:
    """Runs SIPp scenarios against the edge at 127.0.0.1:`edge_port`; stops every SIPp it started."""

    def __init__(self, workdir: Path, edge_port: int) -> None:
        self.workdir = workdir
        self.edge_port = edge_port
        self.running: list[subprocess.Popen] = []
        self._numbers = itertools.count(1)

    def command(self, scenario: str, *, ip: str = "127.0.0.1", port: int | None = None, transport: str = "udp",
                calls: int = 1, rate: float | None = None, keys: dict | None = None, extra: tuple = (),
                timeout: float = 20, remote: bool = True) -> tuple[list[str], Path, int]:
        """The SIPp argv for one scenario run, its trace directory and its SIP port."""
        port = port or free_port(ip)
        workdir = self.workdir / f"{next(self._numbers):02d}-{Path(scenario).stem}"
        workdir.mkdir(parents=True)
        argv = [SIPP, "-sf", str(SCENARIOS / scenario), "-i", ip, "-bind_local", "-p", str(port),
                "-t", TRANSPORTS[transport], "-mi", ip, "-mp", str(free_port(ip, pair_step=2)),
                "-ci", "127.0.0.1", "-cp", str(free_port()), "-m", str(calls), "-nostdin",
                "-timeout", f"{timeout:g}s", "-timeout_error", "-recv_timeout", "8000", "-default_behaviors", "abortunexp,pingreply",
                "-trace_counts", "-trace_stat", "-fd", "1", "-trace_msg", "-trace_err",
                "-message_file", str(workdir / "messages.log"), "-error_file", str(workdir / "errors.log"),
                "-stf", str(workdir / "stats.csv")]
        if rate is not None:
            argv += ["-r", f"{rate:g}", "-l", str(max(calls, 1))]
        for key, value in (keys or {}).items():
            argv += ["-key", key, str(value)]
        argv += list(extra)
        if remote:
            argv.append(f"127.0.0.1:{self.edge_port}")
        return argv, workdir, port

    def start(self, scenario: str, **options) -> "SippProcess":
        """SIPp in the background (a UAS, or a phone that waits for a call)."""
        argv, workdir, port = self.command(scenario, **options)
        with open(workdir / "output.txt", "wb") as output:
            process = subprocess.Popen(argv, cwd=workdir, stdin=subprocess.DEVNULL, stdout=output,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.running.append(process)
        return SippProcess(self, process, Path(scenario).stem, workdir, port)

    def run(self, scenario: str, **options) -> SippRun:
        """SIPp in the foreground: returns when every call has ended (or the run timed out)."""
        return self.start(scenario, **options).wait(options.get("timeout", 20) + 10)

    def stop_all(self) -> None:
        for process in self.running:
            _end(process)
        self.running.clear()


class SippProcess:
    def __init__(self, owner: Sipp, process: subprocess.Popen, name: str, workdir: Path, port: int) -> None:
        self.owner, self.process, self.name, self.workdir, self.port = owner, process, name, workdir, port

    def wait_ready(self, timeout: float = 5.0) -> None:
        """Until SIPp listens on its SIP port (its screen is not a reliable signal)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"SIPp {self.name} exited early: {self.result()!r}")
            if not _free("127.0.0.1", self.port, socket.SOCK_DGRAM):
                return
            time.sleep(0.05)
        raise RuntimeError(f"SIPp {self.name} did not bind 127.0.0.1:{self.port}")

    def wait(self, timeout: float) -> SippRun:
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            _end(self.process)
        return self.result()

    def stop(self) -> SippRun:
        _end(self.process)
        return self.result()

    def result(self) -> SippRun:
        if self.process in self.owner.running and self.process.poll() is not None:
            self.owner.running.remove(self.process)
        rc = self.process.poll()
        return SippRun(self.name, -999 if rc is None else rc, self.workdir, self.port,
                       counts=_last_row(self.workdir.glob("*_counts.csv")), stats=_last_row([self.workdir / "stats.csv"]),
                       messages=_read(self.workdir / "messages.log"), output=_read(self.workdir / "output.txt"))


def _end(process: subprocess.Popen) -> None:
    """SIGTERM to the SIPp process (its own session), SIGKILL after 5 s."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(5)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def _last_row(paths) -> dict:
    """The last row of a SIPp CSV file (';'-separated, a header line first) as a dict."""
    for path in paths:
        if not Path(path).exists():
            continue
        rows = list(csv.reader(Path(path).read_text(errors="replace").splitlines(), delimiter=";"))
        if len(rows) >= 2:
            return dict(zip(rows[0], rows[-1]))
    return {}
