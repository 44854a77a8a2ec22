"""The cost of one no-op est_trunk task against one ansible.builtin.uri task doing the same read.

    python tests/bench/task_overhead.py [--rounds 10] [--tasks 1] [--collections PATH] [--compare PATH] [--direct N]

One harness, alternating runs: each round plays the est_trunk play, then the uri play (Basic
authentication both, so each task sends the same single GET of the trunk list). A play starts with a
warm-up task (left out), then --tasks timed tasks; a task's time is its wall time as the bench
callback measures it. Prints the median per variant and their ratio (the performance guide quotes it).
--collections points at another checkout's collections directory (e.g. an older commit unpacked
beside this one); --compare PATH puts that checkout's est_trunk into the same alternating rounds, so
before and after meet the same load. `make bench` runs it as
`--only overhead`. --direct N also keeps the AnsiballZ files of one task of each (their size is the
payload) and runs each N times alternately with the same Python, outside Ansible: the module's own
cost (start, imports, work), without the controller's.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import KEY, SECRET, Emulator, ansible_env, run_playbook, write_playbook  # noqa: E402

BENCH_TRUNK = "bench-trunk"


def books(emulator: Emulator, workdir: Path, tasks: int) -> dict:
    # Both authenticate in the task's own arguments (no module_defaults, whose group lookup the
    # controller would pay on one side only).
    est_task = {"sinch.est.est_trunk": {"host_name": BENCH_TRUNK, "name": "Bench trunk", "auth_method": "basic"}}
    uri_task = {"ansible.builtin.uri": {"url": f"{emulator.base}/trunks?domain={BENCH_TRUNK}", "url_username": KEY,
                                        "url_password": SECRET, "force_basic_auth": True}}
    plays = {}
    for name, task in (("est_trunk", est_task), ("uri", uri_task)):
        listed = [dict(task, name="warm-up")] + [dict(task, name=f"task {i}") for i in range(tasks)]
        plays[name] = write_playbook(workdir / f"overhead_{name}.json", listed)
    return plays


def measure(rounds: int = 10, tasks: int = 1, progress: bool = True, compare: str = "") -> dict:
    """{"est_trunk": [seconds...], "uri": [seconds...]}: `rounds` alternating plays of each; with
    `compare` (another collections path) also "est_trunk@compare", in the same rounds."""
    with tempfile.TemporaryDirectory(prefix="est-overhead-") as tmp:
        workdir = Path(tmp)
        emulator = Emulator(workdir)
        try:
            emulator.api("POST", "/trunks", {"name": "Bench trunk", "hostName": BENCH_TRUNK})
            plays = {name: (book, {}) for name, book in books(emulator, workdir, tasks).items()}
            if compare:
                plays["est_trunk@compare"] = (plays["est_trunk"][0], {"ANSIBLE_COLLECTIONS_PATH": compare})
            samples: dict = {name: [] for name in plays}
            for number in range(rounds):
                for name, (book, env) in plays.items():
                    run = run_playbook(emulator, book, workdir=workdir, **env).check(changed=0)
                    samples[name] += [task["seconds"] for task in run.tasks if task["name"] != "warm-up"]
                if progress:
                    print(f"round {number + 1}/{rounds}: " + ", ".join(
                        f"{name} {samples[name][-1]:.3f}s" for name in plays), file=sys.stderr, flush=True)
        finally:
            emulator.stop()
    return samples


def direct(runs: int) -> dict:
    """{"est_trunk": (payload bytes, [wall seconds...], [CPU seconds...]), "uri": (...)}: the kept AnsiballZ
    files run alternately. CPU time (user + system of the child) varies less than wall time on a busy machine."""
    with tempfile.TemporaryDirectory(prefix="est-overhead-") as tmp:
        workdir = Path(tmp)
        emulator = Emulator(workdir)
        try:
            emulator.api("POST", "/trunks", {"name": "Bench trunk", "hostName": BENCH_TRUNK})
            files = {}
            for name, book in books(emulator, workdir, 0).items():
                remote = workdir / f"remote-{name}"
                run_playbook(emulator, book, workdir=workdir, ANSIBLE_KEEP_REMOTE_FILES="1",
                             ANSIBLE_REMOTE_TMP=str(remote)).check(changed=0)
                files[name] = next(remote.rglob("AnsiballZ_*.py"))
            samples: dict = {name: [] for name in files}
            cpu: dict = {name: [] for name in files}
            env = ansible_env(emulator)  # est_trunk takes the connection from SINCH_*
            for _ in range(runs):
                for name, path in files.items():
                    started, used = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
                    subprocess.run([sys.executable, str(path)], check=True, capture_output=True, env=env)
                    samples[name].append(time.perf_counter() - started)
                    now = resource.getrusage(resource.RUSAGE_CHILDREN)
                    cpu[name].append(now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime)
        finally:
            emulator.stop()
        return {name: (path.stat().st_size, samples[name], cpu[name]) for name, path in files.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=10, help="alternating plays of each variant")
    parser.add_argument("--tasks", type=int, default=1, help="timed tasks per play (after the warm-up task)")
    parser.add_argument("--collections", help="the collections path to take sinch.est from")
    parser.add_argument("--direct", type=int, default=0, help="also run the kept AnsiballZ files N times each")
    parser.add_argument("--compare", default="", help="another collections path whose est_trunk joins the rounds")
    args = parser.parse_args()
    if args.collections:
        os.environ["EST_COLLECTIONS_PATH"] = args.collections
    if args.direct:
        for name, (size, seconds, cpu) in direct(args.direct).items():
            print(f"{name:10} AnsiballZ {size / 1024:.0f} KiB, run alone: median {statistics.median(seconds):.3f} s wall, "
                  f"{statistics.median(cpu):.3f} s CPU, of {len(seconds)}")
    if not args.rounds:
        return 0
    samples = measure(args.rounds, args.tasks, compare=args.compare)
    uri = statistics.median(samples["uri"])
    print(f"uri task:             median {uri:.3f} s of {len(samples['uri'])}")
    for name in ("est_trunk", "est_trunk@compare"):
        if name in samples:
            est = statistics.median(samples[name])
            print(f"{name} no-op task: median {est:.3f} s of {len(samples[name])}; ratio to uri {est / uri:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
