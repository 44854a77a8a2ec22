# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""`EstModule`: what every sinch.est module stands on — its client, input checks, references to
other objects, per-item work on a pool, failures and the result.

Failures are raised (`self.fail()` raises `EstFailure`, the client raises `EstApiError`) and
reported once, by `execute()`. `with self.step("Creating ..."):` names what a failed request was for.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, NoReturn, Optional, Sequence, Tuple

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils import _trunks as trunks
from ansible_collections.sinch.est.plugins.module_utils._client import client_from_module
from ansible_collections.sinch.est.plugins.module_utils._connection import connection_argument_spec
from ansible_collections.sinch.est.plugins.module_utils._errors import EstAmbiguousWriteError, EstApiError, EstFailure
from ansible_collections.sinch.est.plugins.module_utils._validation import Problems, check_list_of_dicts

if TYPE_CHECKING:
    from ansible_collections.sinch.est.plugins.module_utils._pool import Outcome

# What check mode shows for the id of an object the real run would create (the diff's `after` and
# the result take the real run's form; the id itself only Sinch assigns).
CREATED_ID = "(created: id assigned by Sinch)"

# How often a create is attempted when the answer was lost (timeout, 5xx): each new attempt is
# made only after a fresh lookup by identity found nothing, so a retry never duplicates.
CREATE_ATTEMPTS = 3


def snake(value: Any) -> Any:
    """API object(s) with camelCase keys -> snake_case, as every module returns them."""
    if isinstance(value, dict):
        return camel_dict_to_snake_dict(value)
    if isinstance(value, list):
        return [snake(item) for item in value]
    return value


class EstModule:
    """Plumbing shared by every module: client, result, diff, failures, references."""

    noun = "object"

    def __init__(self, module: AnsibleModule) -> None:
        self.module = module
        self.params = module.params
        self.check_mode = module.check_mode
        # A task that never connects (est_site's rendered and parsed) has no client, and needs no option for one.
        self._client = client_from_module(module) if self.connects() else None
        self._thread = threading.local()
        self.writes: List[str] = []  # what the task wrote, or in check mode would write
        self.validated: Any = None  # what validate() answered, kept by execute()

    def connects(self) -> bool:
        """Whether the task talks to the API (its options are in `self.params` already)."""
        return True

    @property
    def changed(self) -> bool:
        """The one place `changed` is decided: the task wrote something (or, in check mode, would)."""
        return bool(self.writes)

    def record_change(self, what: str) -> None:
        """Notes a write made (or, in check mode, one the real run would make)."""
        self.writes.append(what)  # list.append is atomic: workers of the pool may call it

    @property
    def client(self) -> Any:
        """The client of the calling thread: workers of `parallel()` each have their own."""
        return getattr(self._thread, "client", None) or self._client

    # -- failures ------------------------------------------------------------------------------

    def fail(self, msg: str, **result: Any) -> NoReturn:
        raise EstFailure(msg, **result)

    def warn(self, msg: str) -> None:
        self.module.warn(msg)

    @contextmanager
    def step(self, description: str) -> Iterator[None]:
        """Names what the requests inside are for, in the message of any of them that fails."""
        try:
            yield
        except EstApiError as error:
            if error.step is None:
                error.step = description
            raise

    def validate_input(self) -> Any:
        """What `validate()` decided, once every check passed (any problem fails the task here)."""
        problems = Problems()
        decided = self.validate(problems)
        if problems:
            self.fail(problems.message())
        return decided

    def validate(self, problems: Problems) -> Any:
        """Checks options beyond the argument spec; runs before any request. Answers what the task
        works from that the checks decided (the base keeps it as `self.validated`), or None."""
        return None

    # -- reading -------------------------------------------------------------------------------

    def get_or_none(self, route: paths.Route, **ids: Any) -> Optional[dict]:
        """GET of one object, or None for a 404 (any other failure raises)."""
        try:
            return self.client.get(route.path(**ids), api=route.api)
        except EstApiError as error:
            if error.not_found:
                return None
            raise

    def list_all(self, route: paths.Route, params: Optional[dict] = None, page_size: Optional[int] = None,
                 **ids: Any) -> Iterator[dict]:
        return self.client.list_all(route, params=params, page_size=page_size, **ids)

    # -- references to other objects -----------------------------------------------------------

    def resolve_trunk(self, value: str, option: str = "trunk") -> Optional[dict]:
        """A trunk given by id or host name (an exact id match wins).

        Missing, it fails the task — except under state=absent (nothing can be there: a no-op) and in
        check mode, where an earlier task may be about to create it: then None, with a warning.
        """
        with self.step(f"Looking up {option} {value!r}"):
            trunk = trunks.find_trunk(self.client, value)
        if trunk is None:
            self.parent_missing(f"{option}: no trunk with id or host name {value!r} in project {self.client.project_id}")
        return trunk

    def trunk_filter(self, value: str, option: str = "trunk") -> str:
        """The trunk id a read filters by (see _trunks.filter_id)."""
        with self.step(f"Looking up {option} {value!r}"):
            return trunks.filter_id(self.client, value, option)

    def parent_missing(self, message: str) -> None:
        """A parent (trunk, ACL, credential list) the task refers to does not exist: fails, except under
        state=absent (nothing can be under it: the caller ends the task unchanged) and in check mode
        (an earlier task may be about to create it: nothing is under it yet). Both warn."""
        if self.params.get("state") == "absent":
            self.warn(f"{message}; nothing to remove")
            return
        if not self.check_mode:
            self.fail(message)
        self.warn(f"{message} yet; check mode assumes an earlier task creates it, so nothing under it exists")

    def resolve_named(self, route: paths.Route, values: List[str], option: str, noun: str,
                      candidates: Optional[List[dict]] = None, unknown: Optional[List[str]] = None) -> List[dict]:
        """Objects given by id or name (an exact id match wins; a name shared by two fails).

        One list read serves every value; unknown values fail before any write, unless the caller
        passes an `unknown` list: they are then collected there (e.g. removing what does not exist).
        """
        if candidates is None:
            with self.step(f"Looking up {option}"):
                candidates = list(self.list_all(route))
        by_id = {item.get("id"): item for item in candidates}
        resolved = []
        problems = Problems()
        for value in values:
            if value in by_id:
                resolved.append(by_id[value])
                continue
            named = [item for item in candidates if item.get("name") == value]
            if len(named) == 1:
                resolved.append(named[0])
            elif not named and unknown is not None:
                unknown.append(value)
            elif not named:
                problems.add(f"{option}: no {noun} with id or name {value!r} in project {self.client.project_id}")
            else:
                ids = ", ".join(str(item.get("id")) for item in named)
                problems.add(f"{option}: {len(named)} {noun}s are named {value!r} (ids {ids}); use the id")
        if problems:
            self.fail("; ".join(problems.messages))
        return resolved

    # -- writing -------------------------------------------------------------------------------

    def post_without_duplicates(self, path: str, body: Any, recheck: Callable[[], Tuple[Any, Any]],
                                attempt: int = 1) -> Any:
        """POSTs `body`; a POST whose answer was lost is never repeated blindly.

        After a lost answer, `recheck()` reads the server again and returns (result, None) when the
        POST did apply (result is what it made), or (None, next_body) with what must still be sent.
        At most CREATE_ATTEMPTS POSTs are made.
        """
        try:
            return self.client.post(path, body)
        except EstAmbiguousWriteError:
            found, body = recheck()
            if found is not None:
                return found
            if attempt == CREATE_ATTEMPTS:
                raise
        return self.post_without_duplicates(path, body, recheck, attempt + 1)

    def delete(self, path: str, api: str = "est") -> None:
        """DELETE; a 404 means the goal holds (someone removed it since it was read)."""
        try:
            self.client.delete(path, api=api)
        except EstApiError as error:
            if not error.not_found:
                raise

    def parallel(self, items: Sequence[Any], work: Callable[[Any], Any]) -> List[Outcome]:
        """`work(item)` for every item on the pool (see _pool); outcomes in the order of `items`."""
        # Imported here: the thread pool (concurrent.futures) costs every task that loads it, and most
        # tasks (a no-op above all) never write more than one object.
        from ansible_collections.sinch.est.plugins.module_utils._pool import run_parallel

        return run_parallel(items, work, self._client.concurrency, self._start_worker)

    def _start_worker(self) -> None:
        self._thread.client = self._client.worker()

    def each(self, items: Sequence[Any], work: Callable[[Any], Any]) -> List[Any]:
        """`parallel()` that fails once every item ran if any failed; the results otherwise."""
        outcomes = self.parallel(items, work)
        failed = [outcome.error for outcome in outcomes if outcome.error is not None]
        if len(failed) == 1:
            raise failed[0]
        if failed:
            messages = [error.to_failure()["msg"] if isinstance(error, EstApiError) else str(error) for error in failed]
            self.fail(f"{len(failed)} of {len(outcomes)} requests failed: {'; '.join(messages)}",
                      errors=[error.to_failure() if isinstance(error, EstApiError) else {"msg": str(error)}
                              for error in failed])
        return [outcome.result for outcome in outcomes]

    # -- result --------------------------------------------------------------------------------

    def exit(self, before: Any = None, after: Any = None, **result: Any) -> NoReturn:
        if self.module._diff and (before is not None or after is not None):
            result["diff"] = {"before": before if before is not None else {}, "after": after if after is not None else {}}
        self.module.exit_json(changed=self.changed, **result)
        raise AssertionError("exit_json returned")  # pragma: no cover - it exits

    def execute(self) -> None:
        try:
            self.validated = self.validate_input()
            self.run()
        except EstFailure as failure:
            result = dict(failure.result)
            if self.changed:
                result.setdefault("changed", True)
            self.module.fail_json(msg=failure.msg, **result)
        except EstApiError as error:
            self.module.fail_json(**error.to_failure(), **({"changed": True} if self.changed else {}))

    def run(self) -> NoReturn:
        """Does the task and ends the module (`exit()`, or a failure raised)."""
        raise NotImplementedError


class _ShapeCheckingModule(AnsibleModule):
    """AnsibleModule whose type error for a list-of-dictionaries option names the option and the
    shape expected: the raw input is checked when it is loaded, and the message replaces the one
    ansible-core's validation gives ("dictionary requested"), which names neither."""

    list_shapes: Dict[str, str] = {}

    def _load_params(self) -> None:
        super()._load_params()
        self._shape_problem = next(filter(None, (check_list_of_dicts(option, self.params.get(option), shape)
                                                 for option, shape in self.list_shapes.items())), None)

    def fail_json(self, msg: str, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        problem = getattr(self, "_shape_problem", None)
        if problem:
            self._shape_problem = None
            msg = "Invalid input, nothing was sent to the API: " + problem
        super().fail_json(msg=msg, **kwargs)
        raise AssertionError("fail_json returned")  # pragma: no cover - it exits


def run_module(module_class: type, argument_spec: dict, list_shapes: Optional[Dict[str, str]] = None,
               **module_kwargs: Any) -> None:
    """Builds the AnsibleModule (with the connection options) and runs the class.

    Which of key_id/key_secret/access_token is missing is the client's to say, before any request:
    its message names the SINCH_* variables too, where AnsibleModule's required_* rules would not.
    `list_shapes` maps a list-of-dictionaries option to the shape its items take (for the message
    when an item is not a dictionary).
    """
    spec = connection_argument_spec()
    spec.update(argument_spec)
    module_type = type("EstAnsibleModule", (_ShapeCheckingModule,), {"list_shapes": dict(list_shapes or {})})
    module = module_type(argument_spec=spec, supports_check_mode=True, **module_kwargs)
    module_class(module).execute()
