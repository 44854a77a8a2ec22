#!/usr/bin/env python3
"""Run a command against a fresh EST emulator on a free port, then stop the emulator.

    .venv/bin/python tools/with-emulator.py [--log FILE] [--emulator-arg ARG]... -- COMMAND [ARGS...]

Starts ``est-emulator --host 127.0.0.1 --port 0`` (from the same venv as this interpreter,
else PATH), waits for its ``listening on http://HOST:PORT`` line, runs COMMAND with the
connection in the environment and stops the emulator whatever happens (exit, failure, Ctrl-C,
SIGTERM). Exit status: COMMAND's, or 2 when the emulator could not start.

Environment given to COMMAND:
    EST_EMULATOR_URL, SINCH_EST_API_URL, SINCH_AUTH_URL, SINCH_NUMBERS_API_URL  (all the emulator)
    SINCH_PROJECT_ID=demo-project SINCH_KEY_ID=demo-key SINCH_KEY_SECRET=demo-secret
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LISTENING = re.compile(r"listening on (http://\S+?)/?\s*$", re.MULTILINE)
DEFAULTS = {"SINCH_PROJECT_ID": "demo-project", "SINCH_KEY_ID": "demo-key", "SINCH_KEY_SECRET": "demo-secret"}


def find_emulator() -> str | None:
    beside = Path(sys.executable).parent / "est-emulator"
    if beside.exists():
        return str(beside)
    return shutil.which("est-emulator")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", help="emulator output file (default: a temporary file)")
    parser.add_argument("--startup-timeout", type=float, default=60.0)
    parser.add_argument("--emulator-arg", action="append", default=[], help="extra argument for est-emulator")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")

    emulator = find_emulator()
    if not emulator:
        print("with-emulator: est-emulator is not installed (tests/emulator has no package yet, "
              "or run `make install`)", file=sys.stderr)
        return 2
    log_path = Path(args.log) if args.log else Path(tempfile.mkstemp(prefix="est-emulator-", suffix=".log")[1])
    log_path.parent.mkdir(parents=True, exist_ok=True)
    argv = [emulator, "--host", "127.0.0.1", "--port", "0",
            "--project-id", DEFAULTS["SINCH_PROJECT_ID"], "--key-id", DEFAULTS["SINCH_KEY_ID"],
            "--key-secret", DEFAULTS["SINCH_KEY_SECRET"], *args.emulator_arg]
    with open(log_path, "wb") as log:
        # Output goes to a file, not a pipe, so a chatty emulator can never block on a full pipe.
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})

    def on_signal(signum, _frame):
        stop(process)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        deadline = time.monotonic() + args.startup_timeout
        url = None
        while url is None:
            match = LISTENING.search(log_path.read_text(errors="replace"))
            if match:
                url = match.group(1)
            elif process.poll() is not None or time.monotonic() > deadline:
                why = f"exited with {process.returncode}" if process.poll() is not None else "timed out"
                print(f"with-emulator: emulator {why} before listening; its output ({log_path}):",
                      file=sys.stderr)
                print(log_path.read_text(errors="replace")[-4000:], file=sys.stderr)
                return 2
            else:
                time.sleep(0.1)
        print(f"with-emulator: emulator listening on {url} (log: {log_path})", flush=True)
        env = {**os.environ, **DEFAULTS, "EST_EMULATOR_URL": url, "SINCH_EST_API_URL": url,
               "SINCH_AUTH_URL": url, "SINCH_NUMBERS_API_URL": url}
        try:
            return subprocess.call(command, env=env)
        except KeyboardInterrupt:
            return 130
    finally:
        stop(process)
        print("with-emulator: emulator stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
