"""`make bench`: sinch.est against hand-written ansible.builtin.uri tasks, and at scale, on the emulator.

    python tests/bench/run.py [--quick] [--rounds N] [--no-write] [--only NAME,...]

Writes its tables into docs/docsite/rst/performance.rst between the BENCH markers (the prose around
them is kept) and the raw figures into build/bench/results.json. --quick runs every measurement
once at its smallest size (for CI: proves the scripts work; its figures are not meant to be read).
Measurements (see the guide for what each means):
  per_task  a no-op est_trunk task vs a uri GET of the same trunk; Basic, OAuth2 per task, per play
  site      playbooks/site.yml no-op: requests per task against the API minimum; uri_site.yml beside it
  trunks    est_trunk lookups with 1k/5k/10k trunks stored
  acl       est_acl with 50/200 IP ranges in one task, first run and no-op
  numbers   est_phone_number phone_numbers: 100/1000 numbers in one task, first run and no-op
  calls     est_call_info max_items: 0, created_after: -30d over 10k/50k calls: wall time, peak RSS
  overhead  a no-op est_trunk task vs a uri task: alternating plays, median of 10 each (task_overhead.py)
  latency   with 50 ms added to every request (the emulator's latency fault): site.yml and the uri
            baseline, first run and no-op; 1,000 numbers routed at concurrency 1, 4, 8 and 16
  estates   with 50 ms per request: site.yml (one est_site task) and the uri baseline on estates of 1, 5 and
            20 trunks, first run and no-op, no-op requests, the per-trunk slope
  sip       calls per second the emulator's SIP edge sustains with SIPp on loopback, and one call
            record per call (tests/bench/sip_load.py; its own table between the SIP BENCH markers,
            so `--only sip` rewrites that table alone)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import task_overhead  # noqa: E402
from _harness import HERE, KEY, PASSWORD, PROJECT, REPO, SECRET, Emulator, machine, run_playbook, write_playbook  # noqa: E402

DOC = REPO / "docs" / "docsite" / "rst" / "performance.rst"
BEGIN, END = ".. BEGIN BENCH TABLES (written by tests/bench/run.py)", ".. END BENCH TABLES"
SIP_BEGIN, SIP_END = ".. BEGIN SIP BENCH (written by tests/bench/run.py)", ".. END SIP BENCH"
SITE = REPO / "playbooks" / "site.yml"
URI_SITE = HERE / "uri_site.yml"
PER_OBJECT_SITE = HERE / "per_object_site.yml"  # site.yml before est_site: one task per object kind
# The estates step's playbooks: (short name, column label, playbook).
ESTATE_BOOKS = (("site", "est_site", SITE), ("per_object", "per-object", PER_OBJECT_SITE), ("uri", "uri", URI_SITE))
BENCH_TRUNK = "bench-trunk"
SITE_TASK = "The whole project in one task (each collection read once)"
COLLECTIONS = ("trunks", "acls", "credential_lists", "numbers", "rules", "countries")
ESTATE_SIZES = (1, 5, 20)
LATENCY_MS = 50


def median(values):
    return statistics.median(values) if values else float("nan")


def table(headers, rows):
    """An RST simple table."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    rule = "  ".join("=" * w for w in widths)
    lines = [rule, "  ".join(c.ljust(w) for c, w in zip(cells[0], widths)).rstrip(), rule]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells[1:]]
    lines.append(rule)
    return "\n".join(lines)


class Bench:
    def __init__(self, args, workdir: Path) -> None:
        self.args = args
        self.quick = args.quick
        self.work = workdir
        self.emulator = Emulator(workdir)
        self.results = {}
        self.sections = []
        self.sip_sections = []

    # ---------------------------------------------------------------- helpers

    def play(self, playbook, *extra, changed=None, **env):
        run = run_playbook(self.emulator, playbook, *extra, workdir=self.work, **env)
        return run.check(changed)

    def scale_book(self, name, tasks):
        """A play whose tasks share one token (fetched by a first task, like playbooks/site.yml):
        the requests counted per task are the task's own."""
        pre = [{"name": "pre", "ansible.builtin.set_fact": {"est_access_token": "{{ lookup('sinch.est.token') }}"},
                "no_log": True}]
        return write_playbook(self.work / name, tasks, pre_tasks=pre,
                              module_defaults={"group/sinch.est.all": {"access_token": "{{ est_access_token }}"}})

    def task(self, run, name):
        return next(t for t in run.tasks if t["name"] == name)

    def post_trunks(self, start, stop, prefix="bench"):
        base = self.emulator.base

        def worker(chunk):
            session = requests.Session()
            session.auth = (KEY, SECRET)
            for i in chunk:
                session.post(base + "/trunks", json={"name": f"{prefix} {i}", "hostName": f"{prefix}-{i}"},
                             timeout=60).raise_for_status()
        indexes = list(range(start, stop))
        chunks = [indexes[i::4] for i in range(4)]
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(worker, chunks))

    def numbers_on_a_trunk(self, size):
        """A fresh project with `size` seeded EST numbers and the trunk bench-numbers; the numbers."""
        e = self.emulator
        e.reset()
        e.admin("POST", "/seed", {"project": PROJECT, "numbers": size})
        e.api("POST", "/trunks", {"name": "Numbers", "hostName": "bench-numbers"})
        numbers = []
        page = 1
        while len(numbers) < size:
            numbers += [n["phoneNumber"] for n in e.api("GET", f"/phoneNumbers?size=500&page={page}")["phoneNumbers"]]
            page += 1
        return numbers

    def site_vars(self) -> Path:
        """playbooks/vars/site.yml with its two numbers replaced by two seeded EST numbers."""
        numbers = [n["phoneNumber"] for n in self.emulator.api("GET", "/phoneNumbers?size=2")["phoneNumbers"]]
        wanted = yaml.safe_load((REPO / "playbooks" / "vars" / "site.yml").read_text())
        for trunk in wanted["est_trunks"]:
            if "phone_numbers" in trunk:
                trunk["phone_numbers"] = numbers[:len(trunk["phone_numbers"])]
        path = self.work / "site_vars.json"
        path.write_text(json.dumps({"est_trunks": wanted["est_trunks"]}))
        return path

    # ---------------------------------------------------------------- 1. per-task cost

    def per_task(self):
        e = self.emulator
        e.reset()
        e.api("POST", "/trunks", {"name": "Bench trunk", "hostName": BENCH_TRUNK})
        k = 2 if self.quick else self.args.tasks
        rounds = 1 if self.quick else self.args.rounds
        token_url = f"{e.url}/oauth2/token"
        get_url = f"{e.base}/trunks?domain={BENCH_TRUNK}"
        est_task = {"sinch.est.est_trunk": {"host_name": BENCH_TRUNK, "name": "Bench trunk"}}
        uri_basic = {"ansible.builtin.uri": {"url": get_url, "url_username": KEY, "url_password": SECRET,
                                             "force_basic_auth": True}}
        uri_token = {"ansible.builtin.uri": {"url": token_url, "method": "POST", "url_username": KEY,
                                             "url_password": SECRET, "force_basic_auth": True,
                                             "body_format": "form-urlencoded",
                                             "body": {"grant_type": "client_credentials"}},
                     "register": "est_token", "no_log": True}
        uri_bearer = {"ansible.builtin.uri": {"url": get_url, "headers": {
            "Authorization": "Bearer {{ est_token.json.access_token }}"}}}
        lookup = {"ansible.builtin.set_fact": {"est_access_token": "{{ lookup('sinch.est.token') }}"}, "no_log": True}
        group = "group/sinch.est.all"
        variants = {
            # name: (pre_tasks, task, module_defaults, tasks per object)
            "est_basic": ([], est_task, {group: {"auth_method": "basic"}}, 1),
            "uri_basic": ([], uri_basic, None, 1),
            "est_token_per_task": ([], est_task, None, 1),
            "est_token_per_play": ([lookup], est_task, {group: {"access_token": "{{ est_access_token }}"}}, 1),
            "uri_token_per_play": ([uri_token], uri_bearer, None, 1),
            "uri_token_per_task": ([], None, None, 2),
        }
        books = {}
        for name, (pre, task, defaults, _) in variants.items():
            if name == "uri_token_per_task":
                tasks = [t for i in range(k + 1) for t in (dict(uri_token, name=f"token {i}"), dict(uri_bearer, name=f"get {i}"))]
            else:
                tasks = [dict(task, name=f"task {i}") for i in range(k + 1)]
            for t in pre:
                t["name"] = "pre"
            books[name] = write_playbook(self.work / f"per_task_{name}.json", tasks, module_defaults=defaults,
                                         pre_tasks=[dict(t) for t in pre])
        samples = {name: [] for name in variants}
        plays = {name: [] for name in variants}
        requests_per = {}
        for _ in range(rounds):
            for name in variants:  # alternating: every variant once per round
                e.clear_log()
                run = self.play(books[name], changed=0)
                timed = [t for t in run.tasks if t["name"] != "pre"]
                per_object = variants[name][3]
                # the first object of a play warms caches: it is left out
                objects = [timed[i:i + per_object] for i in range(0, len(timed), per_object)][1:]
                samples[name] += [sum(t["seconds"] for t in obj) for obj in objects]
                plays[name].append(run.seconds)
                requests_per[name] = len(run.requests) / (k + 1)
        med = {name: median(v) for name, v in samples.items()}
        self.results["per_task"] = {"tasks_per_play": k, "rounds": rounds, "median_seconds": med,
                                    "requests_per_task": requests_per, "samples": samples, "plays": plays}
        rows = [
            ("Basic", "``est_trunk``", "``uri`` GET", med["est_basic"], med["uri_basic"],
             requests_per["est_basic"], requests_per["uri_basic"]),
            ("OAuth2, token per play", "``est_trunk`` + ``access_token``", "``uri`` GET + Bearer",
             med["est_token_per_play"], med["uri_token_per_play"], requests_per["est_token_per_play"] - 1 / (k + 1),
             requests_per["uri_token_per_play"] - 1 / (k + 1)),
            ("OAuth2, token per task", "``est_trunk`` (key_id/key_secret)", "``uri`` POST token + GET",
             med["est_token_per_task"], med["uri_token_per_task"], requests_per["est_token_per_task"],
             requests_per["uri_token_per_task"]),
        ]
        self.sections.append((
            "per-task",
            f"Median wall time per task (per object), {len(samples['est_basic'])} tasks per variant: "
            f"{rounds} alternating rounds of one play per variant, {k} timed tasks per play (a first, "
            "warm-up task per play is left out).",
            table(["auth", "sinch.est", "hand-written", "sinch.est s", "uri s", "ratio", "requests (est / uri)"],
                  [(a, b, c, f"{x:.3f}", f"{y:.3f}", f"{x / y:.2f}", f"{r1:g} / {r2:g}")
                   for a, b, c, x, y, r1, r2 in rows])))

    # ---------------------------------------------------------------- 2 + 3. site.yml vs uri_site.yml

    def site(self):
        e = self.emulator
        e.reset()
        e.admin("POST", "/seed", {"project": PROJECT, "numbers": 5})
        extra = ("-e", f"@{self.site_vars()}")
        wanted = yaml.safe_load((REPO / "playbooks" / "vars" / "site.yml").read_text())
        # Equivalence, both ways round: each converges an empty project, the other then changes nothing.
        self.play(SITE, *extra)
        self.play(URI_SITE, *extra, changed=0)
        e.reset()
        e.admin("POST", "/seed", {"project": PROJECT, "numbers": 5})
        extra = ("-e", f"@{self.site_vars()}")
        self.play(URI_SITE, *extra)
        self.play(SITE, *extra, changed=0)
        rounds = 1 if self.quick else max(3, self.args.rounds // 2)
        times = {"site": [], "uri": []}
        runs = {}
        for _ in range(rounds):
            for name, book in (("site", SITE), ("uri", URI_SITE)):
                e.clear_log()
                runs[name] = self.play(book, *extra, changed=0)
                times[name].append(runs[name].seconds)
        n_trunks = len(wanted["est_trunks"])
        minimum = {
            SITE_TASK: (1 + len(COLLECTIONS) + 2 * n_trunks,
                        "1 token + 1 read per collection (trunks, ACLs, credential lists, numbers, rules, "
                        "countries) + endpoints and bound credential lists per trunk"),
        }
        rows = []
        for task in runs["site"].tasks:
            need, why = minimum.get(task["name"], ("?", ""))
            rows.append((task["name"], len(task["requests"]), need, why))
        total_min = sum(m for m, _ in minimum.values())
        rows.append(("**total**", len(runs["site"].requests), total_min, ""))
        uri_rows = [(t["name"], len(t["requests"])) for t in runs["uri"].tasks if t["requests"]]
        self.results["site"] = {"rounds": rounds, "seconds": times, "requests": {
            "site": [(t["name"], t["requests"]) for t in runs["site"].tasks],
            "uri": [(t["name"], t["requests"]) for t in runs["uri"].tasks]}}
        self.sections.append((
            "site-requests",
            "Requests of a no-op ``playbooks/site.yml`` run, per task, from the emulator's request log.",
            table(["task", "requests", "minimum", "why that minimum"], rows)))
        self.sections.append((
            "site-vs-uri",
            f"No-op run of the whole site, median of {rounds} alternating runs each "
            "(ansible-playbook wall time, play startup included).",
            table(["playbook", "tasks run", "wall s", "requests"], [
                ("``playbooks/site.yml`` (sinch.est)", len(runs["site"].tasks), f"{median(times['site']):.1f}",
                 len(runs["site"].requests)),
                ("``tests/bench/uri_site.yml`` (uri)", len(runs["uri"].tasks), f"{median(times['uri']):.1f}",
                 len(runs["uri"].requests)),
            ]) + "\n\nRequests of the ``uri`` baseline: " + ", ".join(f"{n} {c}" for n, c in uri_rows) + "."))

    # ---------------------------------------------------------------- 4. scale

    def trunks(self):
        e = self.emulator
        e.reset()
        sizes = [200] if self.quick else [1000, 5000, 10000]
        rows = []
        stored = 0
        for size in sizes:
            started = time.perf_counter()
            self.post_trunks(stored, size)
            seed_s = time.perf_counter() - started
            stored = size
            last = f"bench-{size - 1}"
            book = self.scale_book("trunks.json", [
                {"name": "present", "sinch.est.est_trunk": {"host_name": last, "name": f"bench {size - 1}"}},
                {"name": "reference", "sinch.est.est_endpoint_info": {"trunk": last}},
                {"name": "missing", "sinch.est.est_trunk": {"host_name": "no-such-trunk", "state": "absent"}},
            ])
            e.clear_log()
            run = self.play(book, changed=0)
            by = {t["name"]: t for t in run.tasks}
            rows.append((f"{size:,}", f"{seed_s:.0f}",
                         len(by["present"]["requests"]), f"{by['present']['seconds']:.2f}",
                         len(by["reference"]["requests"]), f"{by['reference']['seconds']:.2f}",
                         len(by["missing"]["requests"]), f"{by['missing']['seconds']:.2f}"))
        self.results["trunks"] = rows
        self.sections.append((
            "trunks",
            "``est_trunk`` lookup by host name with N trunks stored (the last one created); ``est_endpoint_info`` "
            "naming that trunk as a reference; and ``state: absent`` for a host name no trunk has, which must read "
            "the whole list before concluding (the ``domain`` filter's matching is not documented).",
            table(["trunks", "seeding s", "present: requests", "s", "reference: requests", "s",
                   "absent: requests", "s"], rows)))

    def acl(self):
        e = self.emulator
        sizes = [10] if self.quick else [50, 200]
        rows = []
        for size in sizes:
            e.reset()
            ranges = [{"cidr": f"10.{i // 250}.{i % 250}.0/24", "description": f"range {i}"} for i in range(size)]
            book = self.scale_book("acl.json", [
                {"name": "acl", "sinch.est.est_acl": {"name": "big", "ip_ranges": ranges}}])
            e.clear_log()
            first = self.play(book, changed=1)
            e.clear_log()
            noop = self.play(book, changed=0)
            # one range changed: the converge of an existing big list
            ranges[0]["description"] = "changed"
            book = self.scale_book("acl.json", [
                {"name": "acl", "sinch.est.est_acl": {"name": "big", "ip_ranges": ranges}}])
            e.clear_log()
            one = self.play(book, changed=1)
            first, noop, one = (self.task(run, "acl") for run in (first, noop, one))
            rows.append((size, len(first["requests"]), f"{first['seconds']:.2f}",
                         len(noop["requests"]), f"{noop['seconds']:.2f}",
                         len(one["requests"]), f"{one['seconds']:.2f}"))
        self.results["acl"] = rows
        self.sections.append((
            "acl",
            "``est_acl`` with N IP ranges in one task: creating the ACL, the no-op run, and one range's "
            "description changed.",
            table(["ranges", "create: requests", "s", "no-op: requests", "s", "one changed: requests", "s"], rows)))

    def numbers(self):
        e = self.emulator
        sizes = [20] if self.quick else [100, 1000]
        rows = []
        for size in sizes:
            numbers = self.numbers_on_a_trunk(size)
            book = self.scale_book("numbers.json", [
                {"name": "route", "sinch.est.est_phone_number": {"phone_numbers": numbers, "trunk": "bench-numbers"}}])
            e.clear_log()
            first = self.play(book, changed=1)
            e.clear_log()
            noop = self.play(book, changed=0)
            first, noop = self.task(first, "route"), self.task(noop, "route")
            rows.append((f"{size:,}", len(first["requests"]), f"{first['seconds']:.2f}",
                         len(noop["requests"]), f"{noop['seconds']:.2f}"))
        self.results["numbers"] = rows
        self.sections.append((
            "numbers",
            "``est_phone_number`` with ``phone_numbers:`` (N numbers, all the project has) routed to one trunk "
            "in one task (target for the no-op at 1,000 numbers: under 5 s).",
            table(["numbers", "first run: requests", "s", "no-op: requests", "s"], rows)))

    def calls(self):
        e = self.emulator
        sizes = [1000] if self.quick else [10000, 50000]
        wrapper = self.work / "python-rss"
        wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} {HERE / 'rss_wrap.py'} \"$@\"\n")
        wrapper.chmod(0o755)
        rss_file = self.work / "rss.txt"
        rows = []
        baseline = None
        for size in sizes:
            e.reset()
            started = time.perf_counter()
            e.admin("POST", "/seed", {"project": PROJECT, "calls": size, "seed": 1})
            seed_s = time.perf_counter() - started
            if baseline is None:
                book = write_playbook(self.work / "rss_base.json", [
                    {"name": "trunks", "sinch.est.est_trunk_info": {}}])
                rss_file.write_text("")
                self.play(book, ANSIBLE_PYTHON_INTERPRETER=str(wrapper), BENCH_RSS_OUT=str(rss_file))
                baseline = int(rss_file.read_text().split()[0])
            # max_items: 0 returns every call; max_items: 100 reads past all the others: memory must
            # follow what is returned, not what exists.
            for max_items in (0, 100):
                book = self.scale_book("calls.json", [
                    {"name": "calls", "sinch.est.est_call_info": {"max_items": max_items, "created_after": "-30d"},
                     "register": "calls"},
                    {"name": "count", "ansible.builtin.debug": {"msg": "{{ calls.calls | length }}"}}])
                rss_file.write_text("")
                e.clear_log()
                run = self.play(book, "-v", ANSIBLE_PYTHON_INTERPRETER=str(wrapper), BENCH_RSS_OUT=str(rss_file))
                count = re.search(r'"msg": "?(\d+)', run.output)
                module_rss = int(rss_file.read_text().split()[0])
                task = self.task(run, "calls")
                rows.append((f"{size:,}", str(max_items), count.group(1) if count else "?", f"{seed_s:.1f}", len(task["requests"]),
                             f"{task['seconds']:.1f}", f"{module_rss / 1024:.0f}", f"{run.seconds:.1f}"))
        self.results["calls"] = {"rows": rows, "module_rss_baseline_kib": baseline}
        self.sections.append((
            "calls",
            "``est_call_info`` with ``created_after: -30d`` over N seeded calls (30 days), returning every call "
            "(``max_items: 0``) or the newest 100 (``max_items: 100``). "
            "Peak RSS is the module process's own (``ru_maxrss`` of the interpreter the task ran, through "
            f"``tests/bench/rss_wrap.py`` as ``ansible_python_interpreter``); for scale, an "
            f"``est_trunk_info`` run peaks at {baseline / 1024:.0f} MiB. Task time includes returning the calls "
            "to the controller; play time is the whole ansible-playbook run.",
            table(["calls", "max_items", "returned", "seeding s", "requests", "task s", "module peak RSS MiB", "play s"], rows)))

    # ---------------------------------------------------------------- 5. real-world latency

    def latency(self):
        """What users of the real service wait for: loopback answers in a millisecond, Sinch does not."""
        e = self.emulator
        ms = 50
        site_rows = []
        for label, book in (("``playbooks/site.yml`` (sinch.est)", SITE), ("``tests/bench/uri_site.yml`` (uri)", URI_SITE)):
            e.reset()
            e.admin("POST", "/seed", {"project": PROJECT, "numbers": 5})
            extra = ("-e", f"@{self.site_vars()}")
            e.admin("POST", "/faults", {"latency_ms": ms})
            e.clear_log()
            first = self.play(book, *extra)
            e.clear_log()
            noop = self.play(book, *extra, changed=0)
            site_rows.append((label, f"{first.seconds:.1f}", len(first.requests), f"{noop.seconds:.1f}", len(noop.requests)))
        size = 20 if self.quick else 1000
        pools = (1, 8) if self.quick else (1, 4, 8, 16)
        number_rows = []
        for concurrency in pools:
            numbers = self.numbers_on_a_trunk(size)
            pre = [{"name": "pre", "ansible.builtin.set_fact": {"est_access_token": "{{ lookup('sinch.est.token') }}"},
                    "no_log": True}]
            book = write_playbook(self.work / "latency_numbers.json", [
                {"name": "route", "sinch.est.est_phone_number": {"phone_numbers": numbers, "trunk": "bench-numbers"}}],
                pre_tasks=pre, module_defaults={"group/sinch.est.all": {"access_token": "{{ est_access_token }}",
                                                                        "concurrency": concurrency}})
            e.admin("POST", "/faults", {"latency_ms": ms})
            e.clear_log()
            first = self.task(self.play(book, changed=1), "route")
            e.clear_log()
            noop = self.task(self.play(book, changed=0), "route")
            writes = len([r for r in first["requests"] if r["method"] != "GET"])
            number_rows.append((concurrency, f"{first['seconds']:.1f}", len(first["requests"]), writes,
                                f"{noop['seconds']:.2f}", len(noop["requests"])))
        e.admin("DELETE", "/faults")
        self.results["latency"] = {"latency_ms": ms, "site": site_rows, "numbers": number_rows}
        self.sections.append((
            "latency-site",
            f"With {ms} ms added to every request (the emulator's ``latency_ms`` fault): the whole site from an "
            "empty project, then the no-op run (ansible-playbook wall time).",
            table(["playbook", "first run s", "requests", "no-op s", "requests"], site_rows)))
        self.sections.append((
            "latency-numbers",
            f"With {ms} ms per request: ``est_phone_number`` routing {size:,} numbers in one task, by "
            "``concurrency`` (requests in flight at once; one ``PATCH`` per number, the rest list pages), then the "
            "no-op run (target: under 10 s with at most 1,000 writes plus a few list pages).",
            table(["concurrency", "first run s", "requests", "writes", "no-op s", "requests"], number_rows)))

    # ---------------------------------------------------------------- 1b. one task against uri, alternating plays

    def overhead(self):
        rounds = 1 if self.quick else 10
        samples = task_overhead.measure(rounds=rounds, progress=False)
        est, uri = median(samples["est_trunk"]), median(samples["uri"])
        self.results["overhead"] = {"samples": samples, "median_seconds": {"est_trunk": est, "uri": uri}}
        self.sections.append((
            "overhead",
            f"One no-op ``est_trunk`` task against one ``uri`` GET of the same trunk (Basic both, in the tasks' own arguments), "
            f"{rounds} alternating plays each, one warm-up task per play left out "
            "(``python tests/bench/task_overhead.py``).",
            table(["sinch.est s", "uri s", "ratio"], [(f"{est:.3f}", f"{uri:.3f}", f"{est / uri:.2f}")])))

    # ---------------------------------------------------------------- 6. estates: one est_site task vs uri

    def estate_vars(self, trunks: int) -> Path:
        """N trunks, each with 2 static endpoints, its ACL of 2 ranges, its credential list and 2 numbers
        (seeded), in site.yml's variables; the emulator is reset first."""
        e = self.emulator
        e.reset()
        numbers = [f"+1415555{i:04d}" for i in range(2 * trunks)]
        e.admin("POST", "/seed", {"project": PROJECT, "phone_numbers": numbers})
        estate = {
            "est_trunks": [{"host_name": f"site-{i}", "name": f"Site {i}", "acls": [f"acl-{i}"],
                            "credential_lists": [f"list-{i}"], "phone_numbers": numbers[2 * i:2 * i + 2],
                            "endpoints": [{"name": f"sbc-{k}", "address": f"198.51.{100 + k}.{i + 1}", "port": 5060,
                                           "transport": "UDP", "priority": k, "enabled": True} for k in (1, 2)]}
                           for i in range(trunks)],
            "est_acls": [{"name": f"acl-{i}", "enabled": True,
                          "ip_ranges": [{"cidr": f"10.{i}.{k}.0/24", "description": f"range {k}"} for k in (0, 1)]}
                         for i in range(trunks)],
            "est_credential_lists": [{"name": f"list-{i}", "credentials": [{"username": f"user-{i}", "password": PASSWORD}]}
                                     for i in range(trunks)],
            "est_enabled_countries": ["US", "CA"],
            "est_call_blocking_rules": [{"name": "block-premium", "direction": "OUTBOUND", "callee_match": "+1900"}],
        }
        path = self.work / f"estate_{trunks}.json"
        path.write_text(json.dumps(estate))
        return path

    def estate_runs(self, book: Path, trunks: int) -> tuple:
        """(first run, no-op run) of `book` on an empty project at LATENCY_MS per request."""
        extra = ("-e", f"@{self.estate_vars(trunks)}")
        self.emulator.admin("POST", "/faults", {"latency_ms": LATENCY_MS})
        self.emulator.clear_log()
        first = self.play(book, *extra)
        self.emulator.clear_log()
        noop = self.play(book, *extra, changed=0)
        return first, noop

    def estates(self):
        sizes = ESTATE_SIZES[:1] if self.quick else ESTATE_SIZES
        figures = {}
        for trunks in sizes:
            for name, _label, book in ESTATE_BOOKS:
                first, noop = self.estate_runs(book, trunks)
                figures[(name, trunks)] = (first.seconds, noop.seconds, len(first.requests), len(noop.requests))
                print(f"bench: estates {name} {trunks} trunks: first {first.seconds:.1f} s, no-op {noop.seconds:.1f} s, "
                      f"no-op requests {len(noop.requests)}", flush=True)
        self.emulator.admin("DELETE", "/faults")
        names = [name for name, _label, _book in ESTATE_BOOKS]
        rows = [(trunks, *(f"{figures[(name, trunks)][0]:.1f}" for name in names),
                 *(f"{figures[(name, trunks)][1]:.1f}" for name in names),
                 *(figures[(name, trunks)][3] for name in names), 1 + len(COLLECTIONS) + 2 * trunks)
                for trunks in sizes]
        slopes = self.estate_slopes(figures, sizes)
        self.results["estates"] = {"latency_ms": LATENCY_MS, "figures": {f"{n} {t}": v for (n, t), v in figures.items()},
                                   "slopes": slopes}
        labels = [label for _name, label, _book in ESTATE_BOOKS]
        self.sections.append((
            "estates",
            f"With {LATENCY_MS} ms per request, estates of N trunks (each: 2 static endpoints, an ACL of 2 ranges, a "
            "credential list, 2 numbers) from an empty project: ``playbooks/site.yml`` (one ``est_site`` task) beside "
            "the same playbook as it was before ``est_site`` (``tests/bench/per_object_site.yml``: one task per "
            "object kind, looping over the trunks) and the hand-written ``uri`` baseline, first run and no-op "
            "(ansible-playbook wall time). \"needed\" is the reads the estate needs: a token, one per collection "
            "(trunks, ACLs with their ranges, credential lists with their usernames, numbers, rules, countries) and "
            "two per trunk (its endpoints and bound credential lists). " + slopes["text"],
            table(["trunks", *(f"{label} first s" for label in labels), *(f"{label} no-op s" for label in labels),
                   *(f"{label} no-op requests" for label in labels), "needed"], rows)))

    @staticmethod
    def estate_slopes(figures: dict, sizes: tuple) -> dict:
        """Seconds per added trunk of the no-op run, between each size and the next and overall."""
        if len(sizes) < 2:
            return {"text": "(One size only: no slope.)"}
        spans = list(zip(sizes, sizes[1:])) + [(sizes[0], sizes[-1])]
        slopes = {f"{low}-{high}": {name: (figures[(name, high)][1] - figures[(name, low)][1]) / (high - low)
                                    for name, _label, _book in ESTATE_BOOKS} for low, high in spans}
        text = "; ".join(f"{span} trunks " + ", ".join(f"{slope[name]:.2f} s for {label}"
                                                       for name, label, _book in ESTATE_BOOKS)
                         for span, slope in slopes.items())
        return dict(slopes, text=f"No-op slope in seconds per added trunk: {text}.")

    # ---------------------------------------------------------------- 6. SIP load

    def sip(self):
        from sip_load import measure
        self.results["sip"], self.sip_sections = measure(self.work / "sip", self.quick, table)

    # ---------------------------------------------------------------- output

    def render(self, info, sections=None, markers=(BEGIN, END)) -> str:
        sections = self.sections if sections is None else sections
        parts = [markers[0], "", f"Measured {info['date']} on {info['nproc']} CPUs ({info['cpu']}), Python "
                 f"{info['python']}, ansible-core {info['ansible_core']}; load average {info['load']} at the start"
                 f" (other work on the machine slows every figure alike). Whole run: {info['total_s']:.0f} s"
                 f"{' (quick mode: one run each, smallest sizes)' if self.quick else ''}.", ""]
        for name, caption, body in sections:
            parts += [f".. _ansible_collections.sinch.est.docsite.bench_{name.replace('-', '_')}:", "", caption, "", body, ""]
        parts.append(markers[1])
        return "\n".join(parts)


def label(name: str) -> str:
    return f".. _ansible_collections.sinch.est.docsite.bench_{name.replace('-', '_')}:"


def write_sections(bench: "Bench", info: dict) -> None:
    """With --only: each measured table replaces its own section of the page (others keep their figures);
    its caption says when it was measured."""
    doc = DOC.read_text(encoding="utf-8")
    for name, caption, body in bench.sections:
        chunk = (f"{label(name)}\n\n{caption} (Measured {info['date']}, load average {info['load']} at the start "
                 f"of the run.)\n\n{body}\n\n")
        start = doc.find(label(name))
        if start < 0:
            start = end = doc.index(END)
        else:
            following = [doc.find(".. _ansible_collections.sinch.est.docsite.bench_", start + 1), doc.index(END)]
            end = min(position for position in following if position >= 0)
        doc = doc[:start] + chunk + doc[end:]
    DOC.write_text(doc, encoding="utf-8")


def write_doc(text: str, begin: str = BEGIN, end: str = END) -> None:
    doc = DOC.read_text(encoding="utf-8")
    if begin in doc and end in doc:
        head = doc[:doc.index(begin)]
        tail = doc[doc.index(end) + len(end):]
        doc = head + text + tail
    else:
        doc = doc.rstrip("\n") + "\n\n" + text + "\n"
    DOC.write_text(doc, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="each measurement once, smallest sizes")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds of the per-task runs")
    parser.add_argument("--tasks", type=int, default=5, help="timed tasks per per-task play")
    parser.add_argument("--only", default="",
                        help="comma-separated: per_task,overhead,site,trunks,acl,numbers,calls,latency,estates,sip")
    parser.add_argument("--no-write", action="store_true", help="do not touch performance.rst")
    args = parser.parse_args()
    if "EST_COLLECTIONS_PATH" not in os.environ and not (REPO / ".ansible" / "collections").exists():
        print("no collection path: run `make link` or set EST_COLLECTIONS_PATH", file=sys.stderr)
        return 2
    started = time.perf_counter()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    steps = ["per_task", "overhead", "site", "trunks", "acl", "numbers", "calls", "latency", "estates", "sip"]
    only = [s for s in args.only.split(",") if s] or steps
    with tempfile.TemporaryDirectory(prefix="est-bench-") as tmp:
        bench = Bench(args, Path(tmp))
        try:
            for step in steps:
                if step in only:
                    t0 = time.perf_counter()
                    getattr(bench, step)()
                    print(f"bench: {step} done in {time.perf_counter() - t0:.0f} s", flush=True)
        finally:
            bench.emulator.stop()
    info = dict(machine(), load=f"{load:.1f}", total_s=time.perf_counter() - started)
    text = bench.render(info)
    sip_text = bench.render(info, bench.sip_sections, (SIP_BEGIN, SIP_END)) if bench.sip_sections else ""
    print(text + "\n" + sip_text)
    out = REPO / "build" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps({"machine": info, "quick": args.quick, **bench.results}, indent=1,
                                                 default=str))
    if not args.no_write and not args.quick and set(only) == set(steps):
        write_doc(text)
        print(f"bench: tables written to {DOC.relative_to(REPO)}")
    elif not args.no_write and not args.quick:
        write_sections(bench, info)
        print(f"bench: the {', '.join(only)} tables written to {DOC.relative_to(REPO)}")
    if not args.no_write and not args.quick and sip_text:
        write_doc(sip_text, SIP_BEGIN, SIP_END)
        print(f"bench: SIP table written to {DOC.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
