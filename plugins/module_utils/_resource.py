# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""`EstResource`: the one base every plain object module is declared on (trunks, endpoints, ACLs,
IP ranges, credential lists, call blocking rules).

Data flows one way: options -> validated desired state -> current state from the API -> changes
-> requests (none in check mode) -> result. A module declares its resource as class attributes and,
where the resource is unusual, overrides a hook; present/absent, check mode, diff, lookups by id
or identity and their guards, child sets and the list form (many objects in one task) live here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, List, NoReturn, Optional, Tuple, Type

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError
from ansible_collections.sinch.est.plugins.module_utils._module import CREATED_ID, EstModule, snake

if TYPE_CHECKING:  # only named in annotations: a module without child sets does not load it
    from ansible_collections.sinch.est.plugins.module_utils._children import ChildSet


class Field:
    """How one module option maps to one API field.

    compare: "exact", "casefold" (enums, host names: users write them in any case) or "set"
    (lists whose order carries no meaning). `upper` sends enum values the way the API spells them.
    `secret` keeps the value out of results and diffs.
    """

    def __init__(self, api_key: str, compare: str = "exact", upper: bool = False, secret: bool = False) -> None:
        self.api_key = api_key
        self.compare = compare
        self.upper = upper
        self.secret = secret

    def api_value(self, value: Any) -> Any:
        if self.upper and isinstance(value, str):
            return value.upper()
        return value

    def differs(self, current: Any, desired: Any) -> bool:
        if self.compare == "casefold" and isinstance(current, str) and isinstance(desired, str):
            return current.casefold() != desired.casefold()
        if self.compare == "set" and isinstance(current, list) and isinstance(desired, list):
            return set(map(repr, current)) != set(map(repr, desired))
        if current is None and desired == "":
            return False  # the API answers an unset optional string as null or "" alike
        return current != desired


class Target:
    """One object a task manages: its options (a list item's over the module's), and once read and
    checked, what the server holds (`current`) and what the task wants (`desired`)."""

    def __init__(self, params: Dict[str, Any], where: str = "") -> None:
        self.params = params
        self.where = where  # "endpoints[2]" for an item of a list form
        self.current: Optional[dict] = None
        self.desired: Dict[str, Any] = {}


class Parent:
    """Where the objects of a task live (what `resolve_parents` answers): the ids that fill the
    collection's placeholders, what messages add to a label, the parent object as read, and whether
    it is yet to be created (check mode: then nothing is under it)."""

    __slots__ = ("path_params", "label", "found", "absent")

    def __init__(self, path_params: Optional[Dict[str, Any]] = None, label: str = "", found: Optional[dict] = None,
                 absent: bool = False) -> None:
        self.path_params = path_params or {}
        self.label = label  # " of trunk 'x'"
        self.found = found
        self.absent = absent


class Dependents:
    """What still hangs on an object about to be deleted (what `dependents` answers).

    `shown`: API keys the before view adds (what the delete takes off it, e.g. the trunks an ACL is
    bound to). `removals`: the writes that empty it, in order; the base runs them before the delete,
    and only for real (check mode shows them in the diff and writes nothing).
    """

    __slots__ = ("shown", "removals")

    def __init__(self, shown: Optional[Dict[str, Any]] = None, removals: Tuple[Callable[[], Any], ...] = ()) -> None:
        self.shown = shown or {}
        self.removals = removals


class EstResource(EstModule):
    """A plain object: found by `id` or by identity, created, updated with PUT, deleted.

    Declare:
      noun             "trunk"; also the result key unless `result_key` is set
      collection       paths.TRUNKS or paths.ENDPOINTS (its placeholders filled from `path_params`)
      item             paths.TRUNK
      item_readable    False when the API has no GET of one object (the id is found in the list)
      fields           {option: Field}: the writable options and their API keys
      identity         options that name the object besides `id`
      unique_identity  True when the API enforces it (stop at the first match); False when two
                       objects may share it (then two matches fail the task: "use the id")
      required_for_create  options a create needs
      children         ChildSet classes: members kept as sub-collections (compared as sets; the module
                       option of the same name lists them, purge_<option> makes the list exact)
      diff_keys        keys a diff shows besides `id`, the fields and the children (e.g. what a delete removes)
      create_defaults  what the service fills in on a create when the body leaves it out (check mode shows it)
      list_option      the option of the list form ("endpoints"): many objects in one task
      purge_option     with it, objects of the collection no item names are deleted
    Hooks take what they need and return what they decide; none writes to the server or to the base:
      resolve_parents() -> Parent          the parent the objects live under
      label(target), matches(item, target)
      desired_state(target) -> dict        what the task wants, in API keys
      complete_current(target) -> dict     the current object with what the checks need read of it
      check_desired(target)                refuses (fail) what cannot be done; writes nothing
      create_body, update_body, predict_update
      predict_create(target, body) -> dict the object a create makes, as check mode shows it
      dependents(target) -> Dependents     reads what hangs on an object to delete; refuses when it must stay
      view(obj)
    """

    result_key = ""
    collection = paths.Route("")
    item = paths.Route("")
    item_readable = True
    fields: Dict[str, Field] = {}
    identity: Tuple[str, ...] = ()
    unique_identity = True
    required_for_create: Tuple[str, ...] = ()
    children: Tuple[Type[ChildSet], ...] = ()
    diff_keys: Tuple[str, ...] = ()
    create_defaults: Dict[str, Any] = {}
    list_option = ""
    purge_option = ""

    def __init__(self, module: Any) -> None:
        super().__init__(module)
        self.parent = Parent()  # set once by run(), from resolve_parents()

    # -- paths ---------------------------------------------------------------------------------

    def collection_url(self) -> str:
        return self.collection.path(**self.parent.path_params)

    def item_url(self, object_id: str) -> str:
        return self.item.path(**self.parent.path_params, **{self.item.id_name: object_id})

    # -- hooks ---------------------------------------------------------------------------------

    def resolve_parents(self) -> Parent:
        """The parent the objects live under (e.g. the trunk of an endpoint); none by default."""
        return Parent()

    def label(self, target: Target) -> str:
        if target.params.get("id"):
            return f"{self.noun} {target.params['id']}{self.parent.label}"
        names = [f"{option}={target.params.get(option)!r}" for option in self.identity
                 if target.params.get(option) is not None]
        return f"{self.noun} {', '.join(names)}{self.parent.label}"

    def matches(self, item: dict, target: Target) -> bool:
        for option in self.identity:
            field = self.fields[option]
            value = target.params.get(option)
            if value is None or field.differs(item.get(field.api_key), field.api_value(value)):
                return False
        return True

    def desired_state(self, target: Target) -> Dict[str, Any]:
        return {field.api_key: field.api_value(target.params[option]) for option, field in self.fields.items()
                if target.params.get(option) is not None}

    def complete_current(self, target: Target) -> Optional[dict]:
        """The current object with what the checks need read of it (kept, so it is read once)."""
        return target.current

    def check_desired(self, target: Target) -> None:
        """Checks that need the current object (still before any write): refuses, writes nothing."""

    def create_body(self, target: Target) -> Dict[str, Any]:
        return dict(target.desired)

    def predict_create(self, target: Target, body: dict) -> dict:
        """The object a create of `body` makes, as check mode shows it: the service's defaults filled in
        and the id a placeholder that says so (the real run's diff shows the same keys)."""
        return dict(self.create_defaults, **body, id=CREATED_ID)

    def update_body(self, target: Target) -> Dict[str, Any]:
        """PUT replaces the whole object: send every writable field, current values merged with the change."""
        current = target.current or {}
        body = {field.api_key: current[field.api_key] for field in self.fields.values()
                if current.get(field.api_key) is not None and not field.secret}
        body.update(target.desired)
        return body

    def predict_update(self, current: dict, body: dict) -> dict:
        """The object after a PUT of `body`: the check-mode answer, and the fallback for an empty reply."""
        return dict(current, **body)

    def dependents(self, target: Target) -> Dependents:
        """What hangs on the object to delete; refuses (fail) when it must stay. The service never
        deletes an object that still has dependents: their removal comes first."""
        return Dependents()

    def view(self, obj: Optional[dict]) -> Dict[str, Any]:
        if not obj:
            return {}
        secret_keys = {field.api_key for field in self.fields.values() if field.secret}
        return snake({key: value for key, value in obj.items() if key not in secret_keys})

    def diff_view(self, shown: Dict[str, Any]) -> Dict[str, Any]:
        """An object's view as a diff shows it: its id and what the user manages, never the read-only
        fields the API adds (create_time, project_id, ... on the object and on each of its members)."""
        keys = {"id", *self.diff_keys, *snake({field.api_key: None for field in self.fields.values()})}
        trimmed = {key: value for key, value in shown.items() if key in keys}
        for child_class in self.children:
            if child_class.option in shown:
                trimmed[child_class.option] = [child_class.diff_view(member) for member in shown[child_class.option]]
        return trimmed

    # -- one object ----------------------------------------------------------------------------

    def run(self) -> NoReturn:
        self.parent = self.resolve_parents()
        if self.parent.absent and self.params.get("state") == "absent":
            self.exit(before={}, after={}, **self.absent_result())  # nothing can be under it
        if self.list_option and self.params.get(self.list_option) is not None:
            from ansible_collections.sinch.est.plugins.module_utils._resource_list import ResourceList

            ResourceList(self).run()
        self.run_one()

    def run_one(self) -> NoReturn:
        target = Target(self.params)
        with self.step(f"Looking up {self.label(target)}"):
            target.current = self.find(target)
        result_key = self.result_key or self.noun
        if self.params.get("state") == "absent":
            before = self.converge_absent(target) if target.current is not None else {}
            self.exit(before=self.diff_view(before), after={}, **{result_key: {}})
        before, after = self.converge_present(target)
        self.exit(before=self.diff_view(before), after=self.diff_view(after), **{result_key: after})

    def absent_result(self) -> Dict[str, Any]:
        if self.list_option and self.params.get(self.list_option) is not None:
            return {self.list_option: []}
        return {self.result_key or self.noun: {}}

    def find(self, target: Target) -> Optional[dict]:
        object_id = target.params.get("id")
        if self.parent.absent:
            return None
        if not object_id:
            return self.find_by_identity(target)
        if self.item_readable:
            current = self.get_or_none(self.item, **self.parent.path_params, **{self.item.id_name: object_id})
        else:
            current = next((item for item in self.list_all(self.collection, **self.parent.path_params)
                            if item.get("id") == object_id), None)
        if current is None:
            self._id_not_found(target)
        return current

    def _id_not_found(self, target: Target) -> None:
        if target.params.get("state") != "absent":
            self.fail(f"id: no {self.noun} with id {target.params['id']!r}{self.parent.label} in project "
                      f"{self.client.project_id}; id addresses an existing {self.noun} (leave it out to create one)")

    def find_by_identity(self, target: Target) -> Optional[dict]:
        matching = (item for item in self.list_all(self.collection, **self.parent.path_params)
                    if self.matches(item, target))
        if self.unique_identity:
            return next(matching, None)
        return self.only_match(list(matching), target)

    def pick(self, candidates: List[dict], target: Target) -> Optional[dict]:
        """`find` among objects already read: by `id`, else by identity (two matches fail)."""
        object_id = target.params.get("id")
        if object_id:
            found = next((item for item in candidates if item.get("id") == object_id), None)
            if found is None:
                self._id_not_found(target)
            return found
        return self.only_match([item for item in candidates if self.matches(item, target)], target)

    def only_match(self, matches: List[dict], target: Target) -> Optional[dict]:
        if len(matches) > 1:
            ids = ", ".join(str(item.get("id")) for item in matches)
            self.fail(f"{len(matches)} {self.noun}s match {self.label(target)} (ids {ids}): the API does not keep "
                      "this name unique; set id to choose one, and delete or rename the others")
        return matches[0] if matches else None

    def prepare(self, target: Target) -> None:
        """The desired state, after every check that needs the current object (no request is written)."""
        target.current = self.complete_current(target)
        target.desired = self.desired_state(target)
        self.check_desired(target)
        if target.current is None:
            missing = [option for option in self.required_for_create if target.params.get(option) is None]
            if missing:
                self.fail(f"{self.label(target)} does not exist; to create it set {', '.join(missing)}")

    def converge_present(self, target: Target, prepared: bool = False) -> Tuple[dict, dict]:
        """Creates or updates one object and its child sets; returns its (before, after) views."""
        if not prepared:
            self.prepare(target)
        current = target.current
        after = self.update(target) if current is not None else self.create_or_predict(target)
        before = self.view(current) if current is not None else {}
        after_view = self.view(after)
        for child_class in self.children:
            child_set = child_class(self, target.current or after)
            child_before, after_view[child_set.option] = self.converge_children(child_set, target)
            if child_before is not None:
                before[child_set.option] = child_before
        return before, after_view

    def create_or_predict(self, target: Target) -> dict:
        """Creates the object (its prediction in check mode); a 409 that found it converges it instead."""
        body = self.create_body(target)
        if self.check_mode:
            self.record_change(f"Creating {self.label(target)}")
            return self.predict_create(target, body)
        with self.step(f"Creating {self.label(target)}"):
            created, existing = self.create(target, body)
        if existing is None:
            self.record_change(f"Created {self.label(target)}")
            return created
        target.current = existing
        return self.update(target)

    def converge_children(self, child_set: ChildSet, target: Target) -> Tuple[Optional[list], list]:
        """(before, after) views of one child set (before None when the object was created just now)."""
        desired = child_set.desired(target)
        if target.current is None:  # created just now, members and all, in the one request
            members = child_set.inline()
            return None, [child_set.view(member) for member in (desired or [] if members is None else members)]
        with self.step(f"Converging the {child_set.option} of {self.label(target)}"):
            return child_set.converge(desired, child_set.purge(target))

    def update(self, target: Target) -> dict:
        current = target.current or {}
        changes = [key for key, value in target.desired.items() if self._field_for(key).differs(current.get(key), value)]
        if not changes:
            return current
        self.record_change(f"Updating {self.label(target)}")
        body = self.update_body(target)
        if self.check_mode:
            return self.predict_update(current, body)
        with self.step(f"Updating {self.label(target)} ({', '.join(changes)})"):
            return self.client.put(self.item_url(current["id"]), body) or self.predict_update(current, body)

    def create(self, target: Target, body: dict) -> Tuple[dict, Optional[dict]]:
        """POSTs; when the answer is lost or the identity is taken, looks again before anything else.

        Returns (created object, None), or (found, found) when a 409 showed the object already
        exists in this project (a concurrent run made it): the caller converges it instead.
        """
        try:
            answer = self.post_without_duplicates(self.collection_url(), body,
                                                  lambda: (self.find_by_identity(target), body))
        except EstApiError as error:
            if error.ambiguous or not error.conflict:
                raise
            found = self.find_by_identity(target)
            if found is None:
                self.fail(f"{self.label(target)} cannot be created: the API answered 409 ALREADY_EXISTS but no such "
                          f"{self.noun} is in project {self.client.project_id}, so another project or Sinch "
                          f"account holds it; choose another name ({error.api_message})")
            return found, found
        return self.created_object(answer, body), None

    def created_object(self, answer: Any, body: dict) -> dict:
        """The object a create answered: itself, or (as one reference describes some creates) a list
        or list envelope holding it; the body sent when the answer is empty."""
        if isinstance(answer, list):
            answer = answer[0] if answer else None
        elif isinstance(answer, dict) and "id" not in answer:
            listed = next((answer[key] for key in self.collection.items_key
                           if isinstance(answer.get(key), list) and answer[key]), None)
            answer = listed[0] if listed else answer
        return answer if answer else dict(body)

    def converge_absent(self, target: Target) -> dict:
        """Deletes one object, its dependents first (after the guards of `dependents`); returns its before view."""
        dependents = self.dependents(target)
        self.record_change(f"Deleting {self.label(target)}")
        if not self.check_mode:
            for removal in dependents.removals:
                removal()
        current = dict(target.current or {}, **dependents.shown)
        before = self.view(current)
        for child_class in self.children:
            child_set = child_class(self, current)
            with self.step(f"Reading the {child_set.option} of {self.label(target)}"):
                before[child_set.option] = [child_set.view(member) for member in child_set.read()]
        if not self.check_mode:
            with self.step(f"Deleting {self.label(target)}"):
                self.delete(self.item_url(current["id"]))
        return before

    def _field_for(self, api_key: str) -> Field:
        return next((field for field in self.fields.values() if field.api_key == api_key), Field(api_key))

    def item_params(self, item: Dict[str, Any]) -> Dict[str, Any]:
        """A list item's options over the module's: an option the item leaves unset falls back to the module's."""
        return dict(self.params, **{key: value for key, value in item.items() if value is not None})
