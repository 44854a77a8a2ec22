# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""The one resource base every sinch.est module is declared on.

Data flows one way: options -> validated desired state -> current state from the API -> changes
-> requests (none in check mode) -> result. A module declares its resource as class attributes
and, where the resource is unusual, overrides one of the hooks below; present/absent, check mode,
diff, lookups by id or name and their guards live here once.

`EstModule` is the plumbing (client, failures, result, references to other objects) used by every
module, including the ones that are not a plain object (bindings, country permissions, number
routing, info modules). `EstResource` adds the create/update/delete flow of a plain object.
"""

from __future__ import annotations

import re

from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.sinch.est.plugins.module_utils._client import (
    CONNECTION_REQUIRED_IF,
    CONNECTION_REQUIRED_ONE_OF,
    CONNECTION_REQUIRED_TOGETHER,
    EstAmbiguousWriteError,
    EstApiError,
    client_from_module,
    connection_argument_spec,
    path_segment,
)
from ansible_collections.sinch.est.plugins.module_utils._validation import Problems

TRUNK_ITEMS_KEYS = ("trunks", "sipTrunks")
# What a trunk id can look like: a ULID (26 letters and digits), a UUID, or digits.
TRUNK_ID_SHAPE = re.compile(r"^(?:[0-9A-Za-z]{26}|[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}|[0-9]+)$")
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


def module_argument_spec(spec: dict) -> dict:
    merged = connection_argument_spec()
    merged.update(spec)
    return merged


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


def set_changes(current: Iterable[dict], desired: Iterable[dict], key: Callable[[dict], Any]) -> Tuple[List[dict], List[dict], List[Tuple[dict, dict]]]:
    """Compares two lists as sets by `key`: (to_add, to_remove, matched pairs (current, desired)).

    Removals are seen (not a subset check), and duplicates in `desired` are the caller's to reject.
    """
    current_by_key = {}
    for item in current:
        current_by_key.setdefault(key(item), item)
    desired_keys = set()
    to_add = []
    matched = []
    for item in desired:
        item_key = key(item)
        desired_keys.add(item_key)
        if item_key in current_by_key:
            matched.append((current_by_key[item_key], item))
        else:
            to_add.append(item)
    to_remove = [item for item_key, item in current_by_key.items() if item_key not in desired_keys]
    return to_add, to_remove, matched


class EstModule:
    """Plumbing shared by every module: client, result, diff, failures, references."""

    noun = "object"

    def __init__(self, module: AnsibleModule) -> None:
        self.module = module
        self.params = module.params
        self.check_mode = module.check_mode
        self.client = client_from_module(module)
        self.changed = False
        self.context = ""  # what the module was doing, for the failure message

    # -- failures ------------------------------------------------------------------------------

    def fail(self, msg: str, **kwargs: Any) -> None:
        self.module.fail_json(msg=msg, **kwargs)

    def fail_api(self, error: EstApiError) -> None:
        failure = error.to_failure()
        if self.context:
            failure["msg"] = f"{self.context}: {failure['msg']}"
        self.module.fail_json(**failure)

    def validate_input(self) -> None:
        problems = Problems()
        self.validate(problems)
        if problems:
            self.fail(problems.message())

    def validate(self, problems: Problems) -> None:
        """Checks options beyond the argument spec; runs before any request."""

    # -- reading -------------------------------------------------------------------------------

    def get_or_none(self, path: str, api: str = "est") -> Optional[dict]:
        """GET that answers None for a 404 of this one object (any other failure raises)."""
        try:
            return self.client.get(path, api=api)
        except EstApiError as error:
            if error.not_found:
                return None
            raise

    def list_all(self, path: str, items_key: Any, params: Optional[dict] = None) -> Iterator[dict]:
        return self.client.paginate(path, items_key, params=params)

    def find_trunk_by_host_name(self, host_name: str) -> Optional[dict]:
        """The trunk with this host name, or None.

        The list's `domain` filter is tried first (one request on any account size); the
        references do not say whether it matches the whole domain or a part, so when it finds
        nothing the whole list is read before concluding the trunk does not exist.
        """
        return self._trunk_in_list(host_name, {"domain": host_name}) or self._trunk_in_list(host_name, None)

    def _trunk_in_list(self, host_name: str, params: Optional[dict]) -> Optional[dict]:
        wanted = host_name.casefold()
        for trunk in self.list_all("/trunks", TRUNK_ITEMS_KEYS, params=params):
            if str(trunk.get("hostName", "")).casefold() == wanted:
                return trunk
        return None

    def find_trunk(self, value: str) -> Optional[dict]:
        """A trunk given by id or host name (an exact id match wins), or None.

        Trunk ids are ULIDs or UUIDs (digits in one reference's path types): a value of another
        shape is no id, so it is looked up by host name first (one request) and asked for as an id
        only when no trunk has that host name. An id-shaped value is asked for as an id first.
        """
        if not TRUNK_ID_SHAPE.match(value):
            trunk = self._trunk_in_list(value, {"domain": value})
            if trunk is not None:
                return trunk
            return self._trunk_by_id(value) or self._trunk_in_list(value, None)
        trunk = self._trunk_by_id(value)
        if trunk is None:
            trunk = self.find_trunk_by_host_name(value)
        return trunk

    def _trunk_by_id(self, value: str) -> Optional[dict]:
        """GET /trunks/{value}, or None when no trunk has that id; an API that answers a value it
        cannot parse as an id with 400 (the current reference types the path id as an integer) is
        saying the same thing."""
        try:
            return self.client.get(f"/trunks/{path_segment(value)}")
        except EstApiError as error:
            if error.not_found or error.status_code == 400:
                return None
            raise

    def bound_trunks(self, owner_path: str) -> List[dict]:
        """The trunks an ACL or credential list (at `owner_path`) is bound to, as trunk objects.

        The references answer trunk objects; a bare id is taken as {"id": id}.
        """
        return [trunk if isinstance(trunk, dict) else {"id": trunk}
                for trunk in self.list_all(f"{owner_path}/trunks", TRUNK_ITEMS_KEYS + ("trunkIds",))]

    def resolve_trunk(self, value: str, option: str = "trunk") -> dict:
        """A trunk given by id or host name (an exact id match wins); fails when there is none."""
        self.context = f"Looking up {option} {value!r}"
        trunk = self.find_trunk(value)
        if trunk is None:
            message = f"{option}: no trunk with id or host name {value!r} in project {self.client.project_id}"
            if self.params.get("state") == "absent":
                self.parent_gone(message)
            self.fail(message)
        return trunk

    def parent_gone(self, message: str) -> None:
        """state=absent under a parent (trunk, ACL) that does not exist: nothing can be there, a no-op."""
        self.module.warn(f"{message}; nothing to remove")
        self.exit(before={}, after={}, **self.absent_result())

    def absent_result(self) -> dict:
        """The module's result keys when there is nothing to remove."""
        return {}

    def resolve_named(self, path: str, items_key: Any, values: List[str], option: str, noun: str,
                      candidates: Optional[List[dict]] = None, unknown: Optional[List[str]] = None) -> List[dict]:
        """Objects given by id or name (an exact id match wins; a name shared by two fails).

        One list read serves every value; unknown values fail before any write, unless the caller
        passes an `unknown` list: they are then collected there (e.g. removing what does not exist).
        """
        if candidates is None:
            self.context = f"Looking up {option}"
            candidates = list(self.list_all(path, items_key))
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

    def post_without_duplicates(self, path: str, body: Any, recheck: Callable[[], Tuple[Any, Any]]) -> Any:
        """POSTs `body`; a POST whose answer was lost is never repeated blindly.

        After a lost answer, `recheck()` reads the server again and returns (result, None) when the
        POST did apply (result is what it made), or (None, next_body) with what must still be sent.
        At most CREATE_ATTEMPTS POSTs are made.
        """
        for attempt in range(1, CREATE_ATTEMPTS + 1):
            try:
                return self.client.post(path, body)
            except EstAmbiguousWriteError:
                found, body = recheck()
                if found is not None:
                    return found
                if attempt == CREATE_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    # -- result --------------------------------------------------------------------------------

    def exit(self, before: Any = None, after: Any = None, **result: Any) -> None:
        if self.module._diff and (before is not None or after is not None):
            result["diff"] = {"before": before if before is not None else {}, "after": after if after is not None else {}}
        self.module.exit_json(changed=self.changed, **result)

    def execute(self) -> None:
        try:
            self.validate_input()
            self.run()
        except EstApiError as error:
            self.fail_api(error)

    def run(self) -> None:
        raise NotImplementedError


class EstResource(EstModule):
    """A plain object: found by `id` or by identity, created, updated with PUT, deleted.

    Declare:
      noun             "trunk"; also the result key unless `result_key` is set
      collection_path  "/trunks" or "/trunks/{trunk_id}/endpoints" (filled from `path_params`)
      item_path        "/trunks/{id}"
      items_key        list envelope key(s)
      fields           {option: Field}: the writable options and their API keys
      identity         options that name the object besides `id`
      unique_identity  True when the API enforces it (stop at the first match); False when two
                       objects may share it (then two matches fail the task: "use the id")
      required_for_create  options a create needs
    Hooks: validate, resolve_parents, matches, desired_state, check_desired,
    create_body, created_object, update_body, predict_update, before_delete, converge_children, view.
    """

    result_key = ""
    collection_path = ""
    item_path = ""
    items_key: Any = ()
    fields: Dict[str, Field] = {}
    identity: Tuple[str, ...] = ()
    unique_identity = True
    required_for_create: Tuple[str, ...] = ()

    def __init__(self, module: AnsibleModule) -> None:
        super().__init__(module)
        self.path_params: Dict[str, str] = {}

    # -- paths ---------------------------------------------------------------------------------

    def collection_url(self) -> str:
        return self.collection_path.format(**self.path_params)

    def item_url(self, object_id: str) -> str:
        return self.item_path.format(id=path_segment(object_id), **self.path_params)

    def label(self) -> str:
        if self.params.get("id"):
            return f"{self.noun} {self.params['id']}"
        names = [f"{option}={self.params.get(option)!r}" for option in self.identity if self.params.get(option) is not None]
        return f"{self.noun} " + ", ".join(names)

    # -- hooks ---------------------------------------------------------------------------------

    def resolve_parents(self) -> None:
        """Fills `path_params` (e.g. the trunk id of an endpoint)."""

    def matches(self, item: dict) -> bool:
        for option in self.identity:
            field = self.fields[option]
            if self.params.get(option) is None or field.differs(item.get(field.api_key), field.api_value(self.params[option])):
                return False
        return True

    def desired_state(self) -> dict:
        desired = {}
        for option, field in self.fields.items():
            if self.params.get(option) is not None:
                desired[field.api_key] = field.api_value(self.params[option])
        return desired

    def check_desired(self, current: Optional[dict], desired: dict) -> None:
        """Checks that need the current object (still before any write)."""

    def create_body(self, desired: dict) -> dict:
        return dict(desired)

    def created_object(self, answer: Any, body: dict) -> dict:
        """The created object from a create's answer (some references describe a list envelope)."""
        return answer if answer else dict(body)

    def predict_update(self, current: dict, body: dict) -> dict:
        """The object after a PUT of `body`: the check-mode answer, and the fallback for an empty reply."""
        return dict(current, **body)

    def update_body(self, current: dict, desired: dict) -> dict:
        """PUT replaces the whole object: send every writable field, current values merged with the change."""
        body = {field.api_key: current[field.api_key] for field in self.fields.values()
                if field.api_key in current and current[field.api_key] is not None and not field.secret}
        body.update(desired)
        return body

    def before_delete(self, current: dict) -> None:
        """Refuses a delete that would break live traffic unless `force` is set."""

    def converge_children(self, current: Optional[dict], after: dict) -> Tuple[dict, dict]:
        """Converges lists kept as sub-resources; returns extra (before, after) view keys."""
        return {}, {}

    def view(self, obj: Optional[dict]) -> dict:
        if not obj:
            return {}
        secret_keys = {field.api_key for field in self.fields.values() if field.secret}
        return snake({key: value for key, value in obj.items() if key not in secret_keys})

    # -- the flow ------------------------------------------------------------------------------

    def run(self) -> None:
        self.resolve_parents()
        self.context = f"Looking up {self.label()}"
        current = self.find()
        if self.params.get("state") == "absent":
            self.ensure_absent(current)
        else:
            self.ensure_present(current)

    def find(self) -> Optional[dict]:
        object_id = self.params.get("id")
        if object_id:
            current = self.get_or_none(self.item_url(object_id))
            if current is None and self.params.get("state") != "absent":
                self.fail(f"id: no {self.noun} with id {object_id!r} in project {self.client.project_id}; "
                          f"id addresses an existing {self.noun} (leave it out to create one)")
            return current
        return self.find_by_identity()

    def find_by_identity(self) -> Optional[dict]:
        matches: List[dict] = []
        for item in self.list_all(self.collection_url(), self.items_key):
            if self.matches(item):
                matches.append(item)
                if self.unique_identity:
                    break
        return self.only_match(matches)

    def only_match(self, matches: List[dict]) -> Optional[dict]:
        if len(matches) > 1:
            ids = ", ".join(str(item.get("id")) for item in matches)
            self.fail(f"{len(matches)} {self.noun}s match {self.label()} (ids {ids}): the API does not keep this name "
                      f"unique; set id to choose one, and delete or rename the others")
        return matches[0] if matches else None

    def ensure_present(self, current: Optional[dict]) -> None:
        before, after_view = self.converge_present(current)
        self.exit(before=before, after=after_view, **{self.result_key or self.noun: after_view})

    def prepare_present(self, current: Optional[dict]) -> dict:
        """The desired state, after every check that needs the current object (no request is written)."""
        desired = self.desired_state()
        self.check_desired(current, desired)
        if current is None:
            missing = [option for option in self.required_for_create if self.params.get(option) is None]
            if missing:
                self.fail(f"{self.label()} does not exist; to create it set {', '.join(missing)}")
        return desired

    def converge_present(self, current: Optional[dict], desired: Optional[dict] = None) -> Tuple[dict, dict]:
        """Creates or updates one object; returns its (before, after) views.

        `desired` is given when prepare_present already ran for this object (see run_many).
        """
        if desired is None:
            desired = self.prepare_present(current)
        after: dict = {}
        if current is None:
            body = self.create_body(desired)
            self.context = f"Creating {self.label()}"
            if self.check_mode:
                after, self.changed = dict(body), True
            else:
                after, existing = self.create(body)
                if existing is None:
                    self.changed = True
                current = existing
        if current is not None:
            after = self.update(current, desired)
        before_children, after_children = self.converge_children(current, after)
        before = dict(self.view(current), **before_children) if current is not None else {}
        return before, dict(self.view(after), **after_children)

    def update(self, current: dict, desired: dict) -> dict:
        changes = [key for key, value in desired.items() if self._field_for(key).differs(current.get(key), value)]
        if not changes:
            return current
        self.changed = True
        body = self.update_body(current, desired)
        self.context = f"Updating {self.label()} ({', '.join(changes)})"
        if self.check_mode:
            return self.predict_update(current, body)
        return self.client.put(self.item_url(current["id"]), body) or self.predict_update(current, body)

    def create(self, body: dict) -> Tuple[dict, Optional[dict]]:
        """POSTs; when the answer is lost or the identity is taken, looks again before anything else.

        Returns (created object, None), or (found, found) when a 409 showed the object already
        exists in this project (a concurrent run made it): the caller converges it instead.
        """
        try:
            return self.created_object(self.post_without_duplicates(
                self.collection_url(), body, lambda: (self.find_by_identity(), body)), body), None
        except EstApiError as error:
            if error.ambiguous or not error.conflict:
                raise
            found = self.find_by_identity()
            if found is None:
                self.fail(f"{self.label()} cannot be created: the API answered 409 ALREADY_EXISTS but no such "
                          f"{self.noun} is in project {self.client.project_id}, so another project or Sinch "
                          f"account holds it; choose another name ({error.api_message})")
            return found, found

    def absent_result(self) -> dict:
        return {self.result_key or self.noun: {}}

    def ensure_absent(self, current: Optional[dict]) -> None:
        before = self.converge_absent(current) if current is not None else {}
        self.exit(before=before, after={}, **{self.result_key or self.noun: {}})

    def converge_absent(self, current: dict) -> dict:
        """Deletes one object (after the before_delete guard); returns its before view."""
        self.before_delete(current)
        before_children = self.children_view(current)
        self.changed = True
        if not self.check_mode:
            self.context = f"Deleting {self.label()}"
            try:
                self.client.delete(self.item_url(current["id"]))
            except EstApiError as error:
                if not error.not_found:  # deleted by someone else since we read it: the goal holds
                    raise
        return dict(self.view(current), **before_children)

    def children_view(self, current: dict) -> dict:
        """The children of an object about to be deleted, for the diff's `before`."""
        return {}

    # -- many objects of one collection in one task ---------------------------------------------

    def run_many(self, option: str, purge: bool, result_key: str) -> None:
        """Converges every object listed in `option` with one list read, instead of one task each.

        Each item (a dict of this module's own options) runs the one-object flow with `self.params`
        set to the module's options overlaid with the item's, so every hook serves items unchanged;
        an option an item leaves unset falls back to the module-level value. With `purge`, objects of
        the collection that no item names are deleted. Deletes run after every create and update.
        """
        self.resolve_parents()
        self.context = f"Reading the {self.noun}s"
        existing = list(self.list_all(self.collection_url(), self.items_key))
        module_params = self.params
        absent = module_params.get("state") == "absent"
        claimed = set()
        to_delete = []
        to_converge = []
        before: List[dict] = []
        after: List[dict] = []
        # Every item is matched and checked before the first write: a bad item fails the task unchanged.
        for item in module_params[option]:
            self.params = dict(module_params, **{key: value for key, value in item.items() if value is not None})
            current = self.pick(existing)
            if current is not None:
                claimed.add(current["id"])
            if absent:
                if current is not None:
                    to_delete.append((self.params, current))
            else:
                to_converge.append((self.params, current, self.prepare_present(current)))
        for params, current, desired in to_converge:
            self.params = params
            item_before, item_after = self.converge_present(current, desired)
            if item_before:
                before.append(item_before)
            after.append(item_after)
        if purge and not absent:
            to_delete += [(dict(module_params, id=current["id"]), current) for current in existing if current["id"] not in claimed]
        for params, current in to_delete:
            self.params = params
            before.append(self.converge_absent(current))
        self.params = module_params
        self.exit(before={option: before}, after={option: after}, **{result_key: after})

    def pick(self, candidates: List[dict]) -> Optional[dict]:
        """`find` among objects already read: by `id`, else by identity (two matches fail)."""
        object_id = self.params.get("id")
        if object_id:
            for item in candidates:
                if item.get("id") == object_id:
                    return item
            if self.params.get("state") != "absent":
                self.fail(f"id: no {self.noun} with id {object_id!r} in {self.collection_url()}; "
                          f"id addresses an existing {self.noun} (leave it out to create one)")
            return None
        return self.only_match([item for item in candidates if self.matches(item)])

    def _field_for(self, api_key: str) -> Field:
        for field in self.fields.values():
            if field.api_key == api_key:
                return field
        return Field(api_key)


class EstBinding(EstModule):
    """The set of objects of one kind bound to a trunk (its ACLs, its credential lists).

    Not a plain object: there is nothing to create, only ids to add to and remove from a trunk.
    Declare:
      noun              "access control list" (messages)
      option            the module option listing the objects by id or name ("acls")
      result_key        the returned list of bound ids after the run ("acl_ids")
      binding_path      "/trunks/{trunk_id}/accessControlLists"
      ids_key           id list key of the binding's GET reply and POST body ("accessControlListIds")
      target_path       collection of the objects, read once to resolve names ("/accessControlLists")
      target_items_key  its list envelope key(s)
      emptied_warning   warned when the run leaves the trunk with none bound (None: no warning)
    Options read: `trunk`, the declared option, `state`, `purge`.
    `present` adds the missing, `absent` removes the listed, `purge` makes the set exact. All
    additions go in one POST, before any removal (one DELETE each): traffic gated by the binding
    is never left without the objects meant to stay.
    """

    option = ""
    result_key = ""
    binding_path = ""
    ids_key = ""
    target_path = ""
    target_items_key: Any = ()
    emptied_warning: Optional[str] = None

    def validate(self, problems: Problems) -> None:
        for index, value in enumerate(self.params[self.option]):
            if not value:
                problems.add(f"{self.option}[{index}]: an empty value names no {self.noun}")
        if self.params["purge"] and self.params["state"] == "absent":
            problems.add("purge: applies to state=present only (state=absent removes exactly the listed "
                         f"{self.option})")

    def absent_result(self) -> dict:
        return {self.result_key: []}

    def bound_ids(self, trunk_id: str) -> List[str]:
        # The references describe a list of ids; accept objects carrying an `id` as well.
        url = self.binding_path.format(trunk_id=path_segment(trunk_id))
        return [item.get("id") if isinstance(item, dict) else item for item in self.list_all(url, self.ids_key)]

    def wanted_ids(self, candidates: List[dict]) -> List[str]:
        """Ids of the listed objects. Unknown values fail, except for state=absent: an object that
        does not exist is not bound, so removing it again (after it was deleted) stays a no-op."""
        unknown: Optional[List[str]] = [] if self.params["state"] == "absent" else None
        resolved = self.resolve_named(self.target_path, self.target_items_key, self.params[self.option],
                                      self.option, self.noun, candidates=candidates, unknown=unknown)
        if unknown:
            self.module.warn(f"{self.option}: no {self.noun} with id or name {', '.join(map(repr, unknown))} in project "
                             f"{self.client.project_id}; nothing to remove for it")
        wanted: List[str] = []
        for item in resolved:
            if item["id"] not in wanted:
                wanted.append(item["id"])
        return wanted

    def run(self) -> None:
        trunk = self.resolve_trunk(self.params["trunk"])
        trunk_label = f"trunk {trunk.get('hostName') or trunk['id']}"
        self.context = f"Reading the {self.noun}s of {trunk_label}"
        current = self.bound_ids(trunk["id"])
        self.context = f"Looking up {self.option}"
        candidates = list(self.list_all(self.target_path, self.target_items_key))
        wanted = self.wanted_ids(candidates)
        if self.params["state"] == "absent":
            to_add, to_remove = [], [object_id for object_id in current if object_id in wanted]
        else:
            to_add = [object_id for object_id in wanted if object_id not in current]
            to_remove = [object_id for object_id in current if object_id not in wanted] if self.params["purge"] else []
        after = [object_id for object_id in current if object_id not in to_remove] + to_add
        self.changed = bool(to_add or to_remove)
        if current and not after and self.emptied_warning:
            self.module.warn(f"{trunk_label} is left with no {self.noun}: {self.emptied_warning}")
        if not self.check_mode:
            self.add(trunk["id"], trunk_label, to_add)
            self.remove(trunk["id"], trunk_label, to_remove)
        names = {item.get("id"): item.get("name") for item in candidates}

        def shown(ids: List[str]) -> dict:
            return {"trunk": trunk.get("hostName"), self.option: [{"id": object_id, "name": names.get(object_id)} for object_id in ids]}
        self.exit(before=shown(current), after=shown(after), **{self.result_key: after})

    def add(self, trunk_id: str, trunk_label: str, ids: List[str]) -> None:
        if not ids:
            return
        url = self.binding_path.format(trunk_id=path_segment(trunk_id))
        self.context = f"Binding {self.option} {', '.join(ids)} to {trunk_label}"

        def recheck():  # send again only what did not arrive
            missing = [object_id for object_id in ids if object_id not in self.bound_ids(trunk_id)]
            return (None, {self.ids_key: missing}) if missing else (ids, None)
        self.post_without_duplicates(url, {self.ids_key: ids}, recheck)

    def remove(self, trunk_id: str, trunk_label: str, ids: List[str]) -> None:
        url = self.binding_path.format(trunk_id=path_segment(trunk_id))
        for object_id in ids:
            self.context = f"Unbinding {self.noun} {object_id} from {trunk_label}"
            try:
                self.client.delete(f"{url}/{path_segment(object_id)}")
            except EstApiError as error:
                if not error.not_found:  # unbound by someone else since we read it: the goal holds
                    raise


def run_module(resource_class: type, argument_spec: dict, **module_kwargs: Any) -> None:
    """Builds the AnsibleModule (connection options and their rules included) and runs the class."""
    for key, connection_rules in (("required_together", CONNECTION_REQUIRED_TOGETHER),
                                  ("required_one_of", CONNECTION_REQUIRED_ONE_OF),
                                  ("required_if", CONNECTION_REQUIRED_IF)):
        module_kwargs[key] = list(module_kwargs.get(key, [])) + [list(rule) for rule in connection_rules]
    module = AnsibleModule(argument_spec=module_argument_spec(argument_spec), supports_check_mode=True, **module_kwargs)
    resource_class(module).execute()
