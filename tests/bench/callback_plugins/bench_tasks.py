# Copyright (c) sinch.est maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark callback (tests/bench only, not part of the collection).

For each task: its wall time (task start to the next task start, or the end of the play) and the
API requests the emulator logged meanwhile (GET /_emulator/requests?since=SEQ). The run is serial
on one host, so every request belongs to the task that was running. Written as JSON to
$BENCH_TASKS_OUT.
"""

from __future__ import annotations

DOCUMENTATION = """
name: bench_tasks
type: aggregate
short_description: per-task wall time and emulator requests (benchmark only)
description: per-task wall time and emulator requests (benchmark only)
"""

import json
import os
import time
import urllib.request

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_tasks"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.url = os.environ.get("BENCH_EMULATOR_URL")
        self.out = os.environ.get("BENCH_TASKS_OUT")
        self.seq = 0
        self.tasks = []
        self.current = None
        self.started = 0.0
        self._fetch()  # anything logged before the play is no task's

    def _fetch(self):
        if not self.url:
            return []
        with urllib.request.urlopen(f"{self.url}/_emulator/requests?since={self.seq}", timeout=60) as reply:
            entries = json.loads(reply.read())["requests"]
        if entries:
            self.seq = max(entry["seq"] for entry in entries)
        return [{"method": e["method"], "path": e["path"], "query": e.get("query", ""), "status": e["status"]}
                for e in entries]

    def _close(self):
        now = time.perf_counter()
        requests = self._fetch()
        if self.current is not None:
            self.current["seconds"] = now - self.started
            self.current["requests"] = requests
            self.tasks.append(self.current)
            self.current = None
        return time.perf_counter()

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.started = self._close()
        self.current = {"name": task.get_name(), "action": task.action}

    def v2_playbook_on_stats(self, stats):
        self._close()
        if self.out:
            with open(self.out, "w", encoding="utf-8") as handle:
                json.dump(self.tasks, handle)
