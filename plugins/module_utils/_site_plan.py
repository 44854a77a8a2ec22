# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""est_site's plan: the requests that turn the current estate into the target, in phases.

Phases run one after another, the requests of a phase together on the worker pool. The order is
the service's: what a binding refers to exists before the binding (credential lists, ACLs, trunks,
then bindings), endpoints come after the lists their usernames are in are bound, numbers after the
endpoints that answer them; teardown runs the other way round as the live service requires (numbers
off a trunk, its endpoints, its bindings, the trunk, then ACLs and lists). Anything that admits
traffic is added before anything is removed.

An object created in an earlier phase is referred to by `Ref`, resolved when its request goes out
(or shown as a placeholder by `rendered`).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, NamedTuple, Optional

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._ip_ranges import ip_range_key

PHASES = (
    "create and fill credential lists",
    "create and update access control lists",
    "create and update trunks",
    "bind access control lists and credential lists",
    "create and update endpoints",
    "route phone numbers to trunks",
    "enable countries, create and update call blocking rules",
    "take phone numbers off trunks",
    "wait for numbers to leave the trunks that go",
    "delete endpoints",
    "unbind access control lists and credential lists",
    "delete trunks",
    "remove IP ranges and credentials",
    "delete access control lists and credential lists",
    "disable countries, delete call blocking rules",
)
(LISTS, ACLS, TRUNKS, BIND, ENDPOINTS, ROUTE, RULES, NUMBERS_OFF, WAIT, ENDPOINTS_OFF, UNBIND, TRUNKS_OFF,
 MEMBERS_OFF, OBJECTS_OFF, RULES_OFF) = range(len(PHASES))

SECRET_KEYS = frozenset(("password",))


class Ref(NamedTuple):
    """The id of an object by kind (`trunk`, `acl`, `list`, `endpoint`, `rule`, `range`) and identity."""
    kind: str
    key: Any


class Action(NamedTuple):
    phase: int
    what: str
    method: str
    route: paths.Route
    ids: Dict[str, Any]                   # path placeholders: values or Refs
    body: Any = None                      # may hold Refs
    creates: Optional[Ref] = None         # the answer's id is this object's
    find: Optional[Callable[[dict], bool]] = None  # after a lost POST: is this item the one it made?
    custom: Optional[Callable[[], None]] = None    # a step that is not one request (waiting)


def _endpoint_body(endpoint: dict) -> dict:
    body = {"name": endpoint["name"], "priority": endpoint.get("priority"), "transport": endpoint.get("transport", "UDP"),
            "enabled": endpoint.get("enabled", True)}
    if endpoint.get("credential_username") is not None:
        body.update(isRegistered=True, credentialUsername=endpoint["credential_username"])
    else:
        body.update(address=endpoint.get("address"), port=endpoint.get("port"))
    return body


def _trunk_body(trunk: dict) -> dict:
    body = {"name": trunk["name"], "hostName": trunk["host_name"], "enableCallerName": trunk["enable_caller_name"],
            "enableCallForward": trunk["enable_call_forward"]}
    if trunk["call_forward_number"]:
        body["callForwardNumber"] = trunk["call_forward_number"]
    return body


def _rule_body(rule: dict) -> dict:
    return {"name": rule["name"], "direction": rule["direction"], "callerCountry": rule["caller_country"],
            "calleeCountry": rule["callee_country"], "callerMatch": rule["caller_match"], "calleeMatch": rule["callee_match"]}


def _range_body(item: dict) -> dict:
    address, _slash, prefix = item["cidr"].partition("/")
    return {"ipAddress": address, "range": int(prefix or 32), "description": item.get("description") or ""}


class Planner:
    """Collects the actions of one run; `plan()` returns them in phase order."""

    def __init__(self, current: dict, target: dict, desired: dict, update_password: str) -> None:
        self.current = current
        self.target = target
        self.desired = desired
        self.update_password = update_password
        self.actions: List[Action] = []

    def add(self, *args: Any, **kwargs: Any) -> None:
        self.actions.append(Action(*args, **kwargs))

    def plan(self) -> List[Action]:
        self.credential_lists()
        self.acls()
        for key in sorted(set(self.current["trunks"]) | set(self.target["trunks"])):
            self.trunk(key)
        self.numbers()
        self.countries()
        self.rules()
        return sorted(self.actions, key=lambda action: action.phase)

    # -- credential lists and ACLs ---------------------------------------------------------------

    def password(self, list_name: str, username: str) -> Optional[str]:
        wanted = (self.desired.get("credential_lists") or {}).get(list_name) or {}
        return ((wanted.get("credentials") or {}).get(username) or {}).get("password")

    def credential_lists(self) -> None:
        for name, item in sorted(self.target["credential_lists"].items()):
            before = self.current["credential_lists"].get(name)
            if before is None:
                credentials = [{"username": username, "password": self.password(name, username)}
                               for username in item["credentials"]]
                self.add(LISTS, f"create credential list {name!r}", "POST", paths.CREDENTIAL_LISTS, {},
                         {"name": name, "credentials": credentials}, creates=Ref("list", name),
                         find=lambda found, name=name: found.get("name") == name)
                continue
            for username in sorted(item["credentials"]):
                self.credential(name, username, username in before["credentials"])
            for username in sorted(set(before["credentials"]) - set(item["credentials"])):
                self.add(MEMBERS_OFF, f"remove {username!r} from credential list {name!r}", "DELETE", paths.CREDENTIAL,
                         {"credential_list_id": Ref("list", name), "username": username})
        for name in sorted(set(self.current["credential_lists"]) - set(self.target["credential_lists"])):
            self.add(OBJECTS_OFF, f"delete credential list {name!r}", "DELETE", paths.CREDENTIAL_LIST,
                     {"credential_list_id": Ref("list", name)})

    def credential(self, name: str, username: str, exists: bool) -> None:
        """A credential of a list that exists: added when new, its password set when update_password=always."""
        rotate = self.update_password == "always" and self.password(name, username) is not None
        if not exists or rotate:
            verb = "add" if not exists else "set the password of"
            self.add(LISTS, f"{verb} {username!r} in credential list {name!r}", "PUT", paths.CREDENTIAL,
                     {"credential_list_id": Ref("list", name), "username": username},
                     {"password": self.password(name, username)})

    def acls(self) -> None:
        for name, acl in sorted(self.target["acls"].items()):
            before = self.current["acls"].get(name)
            if before is None:
                ranges = [_range_body(item) for _key, item in sorted(acl["ip_ranges"].items())]
                self.add(ACLS, f"create access control list {name!r}", "POST", paths.ACLS, {},
                         {"name": name, "enabled": acl["enabled"], "ipRanges": ranges}, creates=Ref("acl", name),
                         find=lambda found, name=name: found.get("name") == name)
                continue
            if before["enabled"] != acl["enabled"]:
                self.add(ACLS, f"{'enable' if acl['enabled'] else 'disable'} access control list {name!r}", "PUT",
                         paths.ACL, {"acl_id": Ref("acl", name)}, {"name": name, "enabled": acl["enabled"]})
            self.ranges(name, before["ip_ranges"], acl["ip_ranges"])
        for name in sorted(set(self.current["acls"]) - set(self.target["acls"])):
            self.add(OBJECTS_OFF, f"delete access control list {name!r}", "DELETE", paths.ACL, {"acl_id": Ref("acl", name)})

    def ranges(self, name: str, before: dict, after: dict) -> None:
        for key, item in sorted(after.items()):
            old = before.get(key)
            if old is None:
                self.add(ACLS, f"add IP range {key} to access control list {name!r}", "POST", paths.IP_RANGES,
                         {"acl_id": Ref("acl", name)}, _range_body(item),
                         find=lambda found, key=key: ip_range_key(found) == key)
            elif (old.get("description") or "") != (item.get("description") or ""):
                self.add(ACLS, f"describe IP range {key} of access control list {name!r}", "PUT", paths.IP_RANGE,
                         {"acl_id": Ref("acl", name), "range_id": Ref("range", (name, key))}, _range_body(item))
        for key in sorted(set(before) - set(after)):
            self.add(MEMBERS_OFF, f"remove IP range {key} from access control list {name!r}", "DELETE", paths.IP_RANGE,
                     {"acl_id": Ref("acl", name), "range_id": Ref("range", (name, key))})

    # -- trunks and what hangs off them ----------------------------------------------------------

    def trunk(self, key: str) -> None:
        before = self.current["trunks"].get(key)
        after = self.target["trunks"].get(key)
        label = (after or before)["host_name"]
        trunk_ref = Ref("trunk", key)
        if after is None:
            self.teardown(key, before)
            return
        if before is None:
            self.add(TRUNKS, f"create trunk {label}", "POST", paths.TRUNKS, {}, _trunk_body(after), creates=trunk_ref,
                     find=lambda found: str(found.get("hostName", "")).casefold() == key)
            before = {"endpoints": {}, "acls": [], "credential_lists": []}
        elif _trunk_body(before) != _trunk_body(after):
            body = dict(_trunk_body(after), callForwardNumber=after["call_forward_number"])
            self.add(TRUNKS, f"update trunk {label}", "PUT", paths.TRUNK, {"trunk_id": trunk_ref}, body)
        self.bindings(key, label, before, after)
        self.endpoints(key, label, before["endpoints"], after["endpoints"])

    def bindings(self, key: str, label: str, before: dict, after: dict) -> None:
        trunk_ref = Ref("trunk", key)
        new_acls = [name for name in after["acls"] if name not in before["acls"]]
        if new_acls:
            self.add(BIND, f"bind access control lists {', '.join(new_acls)} to trunk {label}", "POST", paths.TRUNK_ACLS,
                     {"trunk_id": trunk_ref}, {"accessControlListIds": [Ref("acl", name) for name in new_acls]})
        for name in [name for name in before["acls"] if name not in after["acls"]]:
            self.add(UNBIND, f"unbind access control list {name!r} from trunk {label}", "DELETE", paths.TRUNK_ACL,
                     {"trunk_id": trunk_ref, "acl_id": Ref("acl", name)})
        new_lists = [name for name in after["credential_lists"] if name not in before["credential_lists"]]
        if new_lists:
            self.add(BIND, f"bind credential lists {', '.join(new_lists)} to trunk {label}", "POST",
                     paths.TRUNK_CREDENTIAL_LISTS, {"trunk_id": trunk_ref},
                     {"credentialListIds": [Ref("list", name) for name in new_lists]})
        if any(name not in after["credential_lists"] for name in before["credential_lists"]):
            # The API replaces the set in one PUT (no list that stays is unbound in between).
            self.add(UNBIND, f"set the credential lists of trunk {label} to [{', '.join(after['credential_lists'])}]",
                     "PUT", paths.TRUNK_CREDENTIAL_LISTS, {"trunk_id": trunk_ref},
                     [Ref("list", name) for name in after["credential_lists"]])

    def endpoints(self, key: str, label: str, before: dict, after: dict) -> None:
        for name, endpoint in sorted(after.items()):
            old = before.get(name)
            if old is None:
                self.add(ENDPOINTS, f"create endpoint {name!r} of trunk {label}", "POST", paths.ENDPOINTS,
                         {"trunk_id": Ref("trunk", key)}, _endpoint_body(endpoint), creates=Ref("endpoint", (key, name)),
                         find=lambda found, name=name: found.get("name") == name)
            elif _endpoint_body(old) != _endpoint_body(endpoint):
                self.add(ENDPOINTS, f"update endpoint {name!r} of trunk {label}", "PUT", paths.ENDPOINT,
                         {"trunk_id": Ref("trunk", key), "endpoint_id": Ref("endpoint", (key, name))},
                         _endpoint_body(endpoint))
        for name in sorted(set(before) - set(after)):
            self.add(ENDPOINTS_OFF, f"delete endpoint {name!r} of trunk {label}", "DELETE", paths.ENDPOINT,
                     {"trunk_id": Ref("trunk", key), "endpoint_id": Ref("endpoint", (key, name))})

    def teardown(self, key: str, before: dict) -> None:
        """The service deletes only an empty trunk: its numbers go (see numbers()), then its endpoints,
        then its bindings, then the trunk."""
        label = before["host_name"]
        self.endpoints(key, label, before["endpoints"], {})
        empty = {"acls": [], "credential_lists": []}
        self.bindings(key, label, before, empty)
        self.add(TRUNKS_OFF, f"delete trunk {label}", "DELETE", paths.TRUNK, {"trunk_id": Ref("trunk", key)})

    # -- numbers, countries, rules ---------------------------------------------------------------

    def numbers(self) -> None:
        before, after = self.current["numbers"], self.target["numbers"]
        for number in sorted(after):
            if after[number] == before.get(number, ""):
                continue
            trunk_id: Any = Ref("trunk", after[number]) if after[number] else ""
            what = f"route {number} to trunk {after[number]}" if after[number] else f"take {number} off trunk {before[number]}"
            self.add(ROUTE if after[number] else NUMBERS_OFF, what, "PATCH", paths.ACTIVE_NUMBER, {"phone_number": number},
                     {"voiceConfiguration": {"type": "EST", "trunkId": trunk_id}})

    def countries(self) -> None:
        before, after = set(self.current["enabled_countries"]), set(self.target["enabled_countries"])
        for code in sorted(after - before):
            self.add(RULES, f"enable country {code}", "PUT", paths.COUNTRY_PERMISSION, {"iso_code": code}, {"enabled": True})
        for code in sorted(before - after):
            self.add(RULES_OFF, f"disable country {code}", "PUT", paths.COUNTRY_PERMISSION, {"iso_code": code},
                     {"enabled": False})

    def rules(self) -> None:
        for name, rule in sorted(self.target["call_blocking_rules"].items()):
            old = self.current["call_blocking_rules"].get(name)
            if old is None:
                self.add(RULES, f"create call blocking rule {name!r}", "POST", paths.CALL_BLOCKING_RULES, {},
                         _rule_body(rule), creates=Ref("rule", name), find=lambda found, name=name: found.get("name") == name)
            elif _rule_body(old) != _rule_body(rule):
                self.add(RULES, f"update call blocking rule {name!r}", "PUT", paths.CALL_BLOCKING_RULE,
                         {"rule_id": Ref("rule", name)}, _rule_body(rule))
        for name in sorted(set(self.current["call_blocking_rules"]) - set(self.target["call_blocking_rules"])):
            self.add(RULES_OFF, f"delete call blocking rule {name!r}", "DELETE", paths.CALL_BLOCKING_RULE,
                     {"rule_id": Ref("rule", name)})


def plan(current: dict, target: dict, desired: dict, update_password: str = "on_create") -> List[Action]:
    return Planner(current, target, desired, update_password).plan()


def masked(value: Any) -> Any:
    """A body as shown (rendered, the `requests` result): never a password."""
    if isinstance(value, dict):
        return {key: "********" if key in SECRET_KEYS else masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [masked(item) for item in value]
    return value
