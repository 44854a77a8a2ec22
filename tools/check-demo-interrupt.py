#!/usr/bin/env python3
"""`make demo` as a user meets it at a terminal: no warning, and Ctrl-C ends it with one line.

    python3 tools/check-demo-interrupt.py        (from anywhere; runs `make -C <repo> demo`)

Starts `make demo` in a process group of its own, as a shell runs a foreground job, and reads its
output up to the first task of the first playbook run: no line so far may be a warning. Then it
sends SIGINT to the whole group, as Ctrl-C in the terminal does, and checks that the demo ends
with the line "with-emulator: interrupted; emulator stopped", that no line after the signal is a
traceback or an error (make's "Error 130" included), that make ends by the signal (so the calling
shell sees an interrupted command), and that the emulator no longer answers at its URL.
Exit status 1 when a check fails.
"""
from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LAST_LINE = "with-emulator: interrupted; emulator stopped"
WARNING = re.compile(r"^\[(WARNING|DEPRECATION WARNING)\]|warning:", re.IGNORECASE)
FAILURE = re.compile(r"Traceback|^\[ERROR\]|Error \d+|\*\*\* .*Interrupt|User interrupted|^Terminated")
LISTENING = re.compile(r"emulator listening on (http://\S+)")
# Guards against a demo that hangs, not measurements: the demo reaches its first task in seconds.
FIRST_TASK_TIMEOUT = 300.0
END_TIMEOUT = 60.0


def read_lines(stream, lines: queue.Queue) -> None:
    for raw in iter(stream.readline, b""):
        lines.put(raw.decode(errors="replace").rstrip("\n"))
    lines.put(None)


def main() -> int:
    env = {**os.environ, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0"}
    demo = subprocess.Popen(["make", "--no-print-directory", "-C", str(REPO), "demo"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=read_lines, args=(demo.stdout, lines), daemon=True).start()
    failures: list[str] = []
    before: list[str] = []
    url = None
    try:
        while True:
            line = lines.get(timeout=FIRST_TASK_TIMEOUT)
            if line is None:
                print("\n".join(before[-20:]))
                print("FAIL make demo ended before its first task")
                return 1
            before.append(line)
            url = url or (LISTENING.search(line).group(1) if LISTENING.search(line) else None)
            if line.startswith("TASK ["):
                break
    except queue.Empty:
        os.killpg(demo.pid, signal.SIGKILL)
        print(f"FAIL make demo printed no task within {FIRST_TASK_TIMEOUT:.0f} s")
        return 1
    warnings = [line for line in before if WARNING.search(line)]
    if warnings:
        failures.append(f"warnings before the first task: {warnings}")

    os.killpg(demo.pid, signal.SIGINT)
    after: list[str] = []
    try:
        while (line := lines.get(timeout=END_TIMEOUT)) is not None:
            after.append(line)
        status = demo.wait(timeout=END_TIMEOUT)
    except (queue.Empty, subprocess.TimeoutExpired):
        os.killpg(demo.pid, signal.SIGKILL)
        print(f"FAIL make demo did not end within {END_TIMEOUT:.0f} s of SIGINT")
        return 1
    if not after or after[-1] != LAST_LINE:
        failures.append(f"the last line is {after[-1:]}, not {LAST_LINE!r}")
    noise = [line for line in after if FAILURE.search(line)]
    if noise:
        failures.append(f"after SIGINT: {noise}")
    if status != -signal.SIGINT:
        failures.append(f"make ended with status {status}, not by SIGINT")
    if url is None:
        failures.append("no 'emulator listening on' line")
    else:
        try:
            urllib.request.urlopen(f"{url}/_emulator/state?project=demo-project", timeout=5)
            failures.append(f"the emulator still answers at {url}")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass

    if failures:
        print("\n".join(before[-5:] + ["--- SIGINT ---"] + after))
        for failure in failures:
            print(f"FAIL make demo: {failure}")
        return 1
    print(f"ok   make demo: no warning up to its first task; Ctrl-C ends it with {LAST_LINE!r} "
          f"({len(after)} line(s) after the signal), make ends by SIGINT, the emulator is gone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
