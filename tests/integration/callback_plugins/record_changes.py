# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test callback (tests/integration only, not part of the collection).

Writes one JSON object per task result (each loop item its own) to $RECORD_CHANGES_OUT:
task name, item label, changed, failed, skipped, the warnings it gave and its diff, so two runs
of a playbook can be compared result by result.
"""

from __future__ import annotations

DOCUMENTATION = """
name: record_changes
type: aggregate
short_description: per task result, changed or not (integration tests only)
description: per task result, changed or not (integration tests only)
"""

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "record_changes"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.results = []

    def _record(self, result, status):
        outcome = result._result
        loop_control = result._task.loop_control
        label = None
        if "ansible_loop_var" in outcome:
            item = outcome.get(outcome["ansible_loop_var"])
            label = outcome.get("_ansible_item_label", item)
            if loop_control and loop_control.label and isinstance(label, dict):
                label = json.dumps(label, sort_keys=True)
        self.results.append({"task": result._task.get_name(), "item": label, "status": status,
                             "changed": bool(outcome.get("changed")), "warnings": outcome.get("warnings") or [],
                             "diff": outcome.get("diff"), "censored": "censored" in outcome})

    def v2_runner_on_ok(self, result):
        if "results" not in result._result:  # a loop's summary: its items are recorded one by one
            self._record(result, "ok")

    def v2_runner_item_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if "results" not in result._result:
            self._record(result, "failed")

    def v2_runner_item_on_failed(self, result):
        self._record(result, "failed")

    def v2_runner_on_skipped(self, result):
        if "results" not in result._result:
            self._record(result, "skipped")

    def v2_runner_item_on_skipped(self, result):
        self._record(result, "skipped")

    def v2_playbook_on_stats(self, stats):
        out = os.environ.get("RECORD_CHANGES_OUT")
        if out:
            with open(out, "w", encoding="utf-8") as handle:
                json.dump(self.results, handle, indent=1)
