# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""est_site's execution of a plan: phase after phase, the actions of a phase on the worker pool.

A phase in which any request fails is the last: every action of it still runs (a rerun then has
less to do), and the failure names what was done and what was not. Nothing is undone; the next run
reads the estate again and finishes the job.
"""

from __future__ import annotations

from typing import Any, Dict, List

from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError
from ansible_collections.sinch.est.plugins.module_utils._paths import Route, path_segment
from ansible_collections.sinch.est.plugins.module_utils._site_plan import PHASES, Action, Ref, masked


class Ids:
    """The ids of the estate's objects by kind and identity: read, then learnt from creates."""

    def __init__(self, known: Dict[str, dict]) -> None:
        self.known = {kind: dict(values) for kind, values in known.items()}

    def resolve(self, value: Any, placeholder: bool = False) -> Any:
        """`value` with every Ref replaced by its id (or, with `placeholder`, `<kind key>` when unknown)."""
        if isinstance(value, Ref):
            return self.id_of(value, placeholder)
        if isinstance(value, dict):
            return {key: self.resolve(item, placeholder) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item, placeholder) for item in value]
        return value

    def id_of(self, ref: Ref, placeholder: bool) -> Any:
        found = self.known.get(ref.kind, {}).get(ref.key)
        if found is not None:
            return found
        if not placeholder:
            raise KeyError(f"no id known for {ref.kind} {ref.key!r}")
        key = ref.key if not isinstance(ref.key, tuple) else " ".join(map(str, ref.key))
        return f"<id of {ref.kind} {key}>"

    def learn(self, ref: Ref, answer: Any) -> None:
        if isinstance(answer, dict) and answer.get("id"):
            self.known.setdefault(ref.kind, {})[ref.key] = answer["id"]


def request_of(action: Action, ids: Ids, placeholder: bool = True) -> dict:
    """One action as the request it sends (the `requests` and `rendered` results): no password."""
    shown = {"phase": PHASES[action.phase], "what": action.what, "method": action.method}
    if action.custom is None:
        shown["api"] = action.route.api
        # A placeholder is shown as it is, not quoted as a path segment.
        shown["path"] = action.route.template.format(**{
            name: value if isinstance(value, str) and value.startswith("<id of ") else path_segment(value)
            for name, value in ids.resolve(action.ids, placeholder).items()})
        if action.body is not None:
            shown["body"] = masked(ids.resolve(action.body, placeholder))
    return shown


def perform(module: Any, action: Action, ids: Ids) -> Any:
    with module.step(action.what[:1].upper() + action.what[1:]):
        if action.custom is not None:
            return action.custom()
        path = action.route.path(**ids.resolve(action.ids))
        body = ids.resolve(action.body)
        if action.method == "POST":
            answer = module.post_without_duplicates(path, body, lambda: _recheck(module, action, path, body))
        elif action.method == "PUT":
            answer = module.client.put(path, body, api=action.route.api)
        elif action.method == "PATCH":
            answer = module.client.patch(path, body, api=action.route.api)
        else:
            answer = module.delete(path, api=action.route.api)
    if action.creates is not None:
        ids.learn(action.creates, answer)
    return answer


def _recheck(module: Any, action: Action, path: str, body: Any) -> tuple:
    """After a POST whose answer was lost: (what it made, None) when it did apply, else (None, body)."""
    if action.find is not None:
        listed = module.client.list_all(Route(path, _items_key(action)))
        found = next((item for item in listed if action.find(item)), None)
        return (found, None) if found is not None else (None, body)
    # A binding POST appends: send again only the ids that did not arrive.
    (ids_key, wanted), = body.items()
    listed = module.client.list_all(Route(path, (ids_key,)))
    bound = {item.get("id") if isinstance(item, dict) else item for item in listed}
    missing = [value for value in wanted if value not in bound]
    return (body, None) if not missing else (None, {ids_key: missing})


def _items_key(action: Action) -> Any:
    return action.route.items_key or ("items",)


def execute(module: Any, actions: List[Action], ids: Ids) -> List[dict]:
    """Runs the plan; returns the requests sent. A failed phase fails the task (see the docstring)."""
    sent: List[dict] = []
    for phase in sorted({action.phase for action in actions}):
        batch = [action for action in actions if action.phase == phase]
        outcomes = module.parallel(batch, lambda action: perform(module, action, ids))
        failed = [outcome for outcome in outcomes if outcome.error is not None]
        for outcome in outcomes:
            if outcome.error is None and outcome.item.custom is None:
                module.record_change(outcome.item.what)
                sent.append(request_of(outcome.item, ids))
        if failed:
            _fail(module, actions, phase, outcomes, failed, sent)
    return sent


def _fail(module: Any, actions: List[Action], phase: int, outcomes: list, failed: list, sent: List[dict]) -> None:
    reasons = [outcome.error.to_failure()["msg"] if isinstance(outcome.error, EstApiError) else str(outcome.error)
               for outcome in failed]
    not_done = [outcome.item.what for outcome in failed] + [action.what for action in actions if action.phase > phase]
    done = [request["what"] for request in sent]
    module.fail(f"est_site stopped in phase {phase + 1} of {len(PHASES)} ({PHASES[phase]}): {'; '.join(reasons)}. "
                f"Done: {len(done)} change(s); not done: {len(not_done)} ({', '.join(not_done[:10])}"
                f"{', ...' if len(not_done) > 10 else ''}). Run the task again to finish: it reads the estate again "
                "and does only what is left.",
                done=done, not_done=not_done, requests=sent,
                errors=[outcome.error.to_failure() if isinstance(outcome.error, EstApiError) else {"msg": str(outcome.error)}
                        for outcome in failed])
