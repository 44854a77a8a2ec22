# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""`Site`, est_site's module class: config -> desired estate -> current estate (read once) ->
target estate -> plan -> requests (none in check mode) -> result. The steps live in `_site_model`,
`_site_read`, `_site_plan` and `_site_execute`; this file runs them in order for each state."""

from __future__ import annotations

import json
from typing import Any, Dict, List

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.sinch.est.plugins.module_utils import _numbers as numbers
from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils import _site_model as model
from ansible_collections.sinch.est.plugins.module_utils._module import EstModule
from ansible_collections.sinch.est.plugins.module_utils._site_execute import Ids, execute, request_of
from ansible_collections.sinch.est.plugins.module_utils._site_plan import WAIT, Action, plan
from ansible_collections.sinch.est.plugins.module_utils._site_read import read_estate, scheduled_routing
from ansible_collections.sinch.est.plugins.module_utils._validation import Problems

try:
    import yaml
    HAS_YAML = True
except ImportError:  # pragma: no cover - ansible-core brings PyYAML; JSON still parses without it
    HAS_YAML = False

OFFLINE_STATES = ("rendered", "parsed")
# How long deleting a trunk waits for its numbers to leave it (the Numbers API routes asynchronously).
NUMBERS_MOVE_TIMEOUT = 120


class Site(EstModule):
    noun = "estate"
    config_spec: Dict[str, Any] = {}  # the module's `config` suboptions, for `parsed`

    def connects(self) -> bool:
        return self.params["state"] not in OFFLINE_STATES  # rendered and parsed never connect

    # -- input ---------------------------------------------------------------------------------

    def validate(self, problems: Problems) -> model.Estate:
        """The desired estate of `config` (empty for `parsed`, which reads `running_config` instead)."""
        state = self.params["state"]
        if state == "parsed":
            if self.params["running_config"] is None:
                problems.add("running_config: required with state=parsed")
            return model.empty_estate()
        if self.params["running_config"] is not None:
            problems.add("running_config: only used with state=parsed")
        if state in ("merged", "replaced", "overridden", "rendered") and self.params["config"] is None:
            problems.add(f"config: required with state={state}")
        return model.desired_estate(self.params["config"], problems, self.warn)

    @property
    def desired(self) -> model.Estate:
        """The desired estate, as validate() answered it."""
        return self.validated

    # -- states --------------------------------------------------------------------------------

    def run(self) -> None:
        state = self.params["state"]
        if state == "parsed":
            self.exit(parsed=self.parse(self.params["running_config"]))
        if state == "rendered":
            current, ids = model.empty_estate(), Ids({})
            target = model.target_estate(current, self.desired, "merged")
            actions = plan(current, target, self.desired, self.params["update_password"])
            self.exit(rendered=[request_of(action, ids) for action in actions])
        with self.step("Reading the estate"):
            current, known, duplicates = model.current_estate(read_estate(self))
        self.check_duplicates(duplicates)
        if state == "gathered":
            unnamed = [key for key, rule in current["call_blocking_rules"].items() if not rule.get("name")]
            if unnamed:
                self.warn(f"{len(unnamed)} call blocking rule(s) without a name are left out: {', '.join(unnamed)}")
            self.exit(gathered=model.view(current))
        self.converge(current, Ids(known))

    def converge(self, current: model.Estate, ids: Ids) -> None:
        target = model.target_estate(current, self.desired, self.params["state"])
        moving = [number for number, key in target["numbers"].items() if current["numbers"].get(number, "") != key]
        if moving:
            self.count_scheduled(current, ids, moving)
            target = model.target_estate(current, self.desired, self.params["state"])
        problems = model.target_problems(current, target, self.desired)
        if problems:
            self.fail("Invalid input, nothing was changed: " + "; ".join(problems))
        actions = plan(current, target, self.desired, self.params["update_password"])
        actions += self.wait_for_numbers(current, target, ids)
        actions.sort(key=lambda action: action.phase)
        before, after = model.view(current), model.view(target)
        if self.check_mode:
            sent = [request_of(action, ids) for action in actions if action.custom is None]
            for request in sent:
                self.record_change(request["what"])
        else:
            sent = execute(self, actions, ids)
        self.exit_estate(before, after, sent)

    def exit_estate(self, before: dict, after: dict, sent: List[dict]) -> None:
        """Network resource modules return before/after whether or not diff mode is on; the diff too."""
        diff = {"diff": {"before": before, "after": after}} if self.module._diff else {}
        self.module.exit_json(changed=self.changed, before=before, after=after, requests=sent, **diff)

    def count_scheduled(self, current: model.Estate, ids: Ids, moving: List[str]) -> None:
        """A routing change the Numbers API already scheduled counts as done (it is not sent again)."""
        keys = {trunk_id: key for key, trunk_id in ids.known["trunk"].items()}
        countries = {number: current["number_countries"].get(number, "") for number in moving}
        for number, trunk_id in scheduled_routing(self, countries).items():
            if trunk_id == "" or trunk_id in keys:
                model.reroute(current, number, keys.get(trunk_id, ""))

    def wait_for_numbers(self, current: model.Estate, target: model.Estate, ids: Ids) -> List[Action]:
        """The service deletes only a trunk no number is routed to: after the numbers are sent away,
        wait until EST shows them gone (the Numbers API applies routing asynchronously)."""
        gone = {ids.known["trunk"][key] for key in set(current["trunks"]) - set(target["trunks"])}
        leaving = [number for number, key in current["live_numbers"].items() if key and ids.known["trunk"].get(key) in gone]
        if not leaving:
            return []

        def still_there() -> List[str]:
            listed = self.list_all(paths.PHONE_NUMBERS)
            return [item.get("phoneNumber") for item in listed
                    if item.get("sipTrunkId") in gone and item.get("phoneNumber") in leaving]

        def wait() -> None:
            pending = numbers.poll(still_there, NUMBERS_MOVE_TIMEOUT)
            if pending:
                self.fail(f"{', '.join(pending)} still routed to a trunk being deleted {NUMBERS_MOVE_TIMEOUT} s after "
                          "being taken off (the Numbers API applies routing asynchronously); run the task again")
        return [Action(WAIT, f"wait for {len(leaving)} number(s) to leave the trunks being deleted", "WAIT",
                       paths.PHONE_NUMBERS, {}, custom=wait)]

    def check_duplicates(self, duplicates: List[tuple]) -> None:
        """Objects are found by name: a name two objects share can be neither managed nor exported."""
        everything = self.params["state"] in ("gathered", "overridden") or (
            self.params["state"] == "deleted" and model.is_empty(self.desired))
        named = [message for section, key, message in duplicates
                 if everything or key in (self.desired.get(section) or {})]
        if named:
            self.fail(f"These names are held by more than one object, so est_site cannot tell them apart: "
                      f"{'; '.join(named)}. Rename them (each module's id option changes a name) and run again.")

    # -- parsed ----------------------------------------------------------------------------------

    def parse(self, text: str) -> dict:
        """`running_config` (JSON, or YAML, in config's shape, such as a saved gathered result) checked
        like `config`."""
        try:
            loaded = json.loads(text)
        except ValueError:
            if not HAS_YAML:
                self.fail("running_config: not JSON, and PyYAML is missing to read YAML")
            try:
                loaded = yaml.safe_load(text)
            except yaml.YAMLError as error:
                self.fail(f"running_config: neither JSON nor YAML ({error})")
        if isinstance(loaded, dict) and isinstance(loaded.get("gathered"), dict):
            loaded = loaded["gathered"]
        result = ArgumentSpecValidator({"config": {"type": "dict", "options": self.config_spec}}).validate({"config": loaded})
        if result.error_messages:
            self.fail(f"running_config: {'; '.join(result.error_messages)}")
        problems = Problems()
        model.desired_estate(result.validated_parameters["config"], problems, self.warn)
        if problems:
            self.fail(problems.message())
        return _without_none(result.validated_parameters["config"])


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_none(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_none(item) for item in value]
    return value
