#!/usr/bin/env python3
"""Run a command against a fresh EST emulator on a free port, then stop the emulator.

    .venv/bin/python tools/with-emulator.py [--log FILE] [--emulator-arg ARG]... [--own-process-group] \
        -- COMMAND [ARGS...]

Starts ``est-emulator --host 127.0.0.1 --port 0`` (from the same venv as this interpreter,
else PATH), waits for its ``listening on http://HOST:PORT`` line, runs COMMAND with the
connection in the environment and stops the emulator whatever happens (exit, failure, Ctrl-C,
SIGTERM). Exit status: COMMAND's, 130 after Ctrl-C, or 2 when the emulator could not start.

With --own-process-group, COMMAND and the emulator run in sessions of their own, so a Ctrl-C in
the terminal reaches this script alone: it ends COMMAND's whole process group (SIGTERM, then
SIGKILL after 10 s), stops the emulator and prints one line, instead of every process answering
the signal on its own (tracebacks, "User interrupted execution", requests to an emulator that is
already gone). Only for commands that do not read the terminal: they have none.

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


def end_group(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """SIGTERM to the process group that ``process`` leads, SIGKILL when it outlives ``timeout``."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", help="emulator output file (default: a temporary file)")
    parser.add_argument("--startup-timeout", type=float, default=60.0)
    parser.add_argument("--emulator-arg", action="append", default=[], help="extra argument for est-emulator")
    parser.add_argument("--own-process-group", action="store_true",
                        help="run COMMAND and the emulator in sessions of their own: Ctrl-C ends them quietly")
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
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"},
                                   start_new_session=args.own_process_group)

    command_group: list[subprocess.Popen] = []  # COMMAND, once it runs in a session of its own

    def on_signal(signum, _frame):
        for child in command_group:
            end_group(child)
        stop(process)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    interrupted = False
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
        if not args.own_process_group:
            try:
                return subprocess.call(command, env=env)
            except KeyboardInterrupt:
                interrupted = True
                return 130
        try:
            command_group.append(subprocess.Popen(command, env=env, start_new_session=True))
            return command_group[0].wait()
        except KeyboardInterrupt:
            interrupted = True
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not break the cleanup
            for child in command_group:
                end_group(child)
            return 130
    except KeyboardInterrupt:  # while the emulator was starting
        interrupted = True
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        return 130
    finally:
        stop(process)
        print(f"with-emulator: {'interrupted; ' if interrupted else ''}emulator stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
