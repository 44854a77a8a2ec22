# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""est_site's model of an estate: nested dicts keyed by identity (trunk host name, object name).

The same shape holds the estate the task asks for (`desired_estate`, from `config`, with None for
what the task leaves out), the estate read from the API (`current_estate`) and the estate a state
leads to (`target_estate`). `view()` turns one into `config`'s own shape, which is what the diff,
`gathered` and `parsed` show. Passwords live only in the desired estate, never in a view.
"""

from __future__ import annotations

import copy
from typing import Any, Callable, Dict, List, Optional, Tuple

from ansible_collections.sinch.est.plugins.module_utils._ip_ranges import ip_range_key, ip_ranges_body
from ansible_collections.sinch.est.plugins.module_utils._validation import (
    RULE_CRITERIA,
    Problems,
    check_credentials,
    check_e164,
    check_endpoint,
    check_iso_code,
    check_rule_criteria,
    check_trunk,
    rule_problems,
)

SECTIONS = ("trunks", "acls", "credential_lists", "enabled_countries", "call_blocking_rules")
TRUNK_FIELDS = ("name", "enable_caller_name", "enable_call_forward", "call_forward_number")
ENDPOINT_FIELDS = ("address", "port", "credential_username", "priority", "transport", "enabled")
RULE_FIELDS = ("direction", "caller_country", "callee_country", "caller_match", "callee_match")
# Compared in any case, as the single-object modules compare them; the server's spelling is kept.
CASEFOLD = frozenset(("host_name", "address", "transport", "direction", "caller_country", "callee_country"))
UPPER = frozenset(("transport", "direction", "caller_country", "callee_country"))
DEFAULT_PORT = 5060

Estate = Dict[str, Any]


def trunk_key(host_name: str) -> str:
    return host_name.casefold()


# -- desired: config -> estate (every input check runs here, before any request) -----------------

def desired_estate(config: Optional[dict], problems: Problems, warn: Callable[[str], None]) -> Estate:
    config = config or {}
    return {
        "trunks": _desired_trunks(config.get("trunks"), problems),
        "acls": _desired_acls(config.get("acls"), problems, warn),
        "credential_lists": _desired_lists(config.get("credential_lists"), problems),
        "enabled_countries": _desired_countries(config.get("enabled_countries"), problems),
        "call_blocking_rules": _desired_rules(config.get("call_blocking_rules"), problems),
    }


def _unique(problems: Problems, seen: dict, key: Any, where: str, shown: Any) -> bool:
    if not shown:
        problems.add(f"{where}: must not be empty")
        return False
    if key in seen:
        problems.add(f"{where}: {shown!r} is already given as {seen[key]}")
        return False
    seen[key] = where
    return True


def _desired_trunks(entries: Optional[list], problems: Problems) -> Optional[dict]:
    if entries is None:
        return None
    trunks: dict = {}
    seen: dict = {}
    numbers: dict = {}
    for index, entry in enumerate(entries):
        where = f"config.trunks[{index}]"
        check_trunk(problems, entry, f"{where}.")
        if not _unique(problems, seen, trunk_key(entry["host_name"] or ""), f"{where}.host_name", entry["host_name"]):
            continue
        trunk = {"host_name": entry["host_name"], **{field: entry.get(field) for field in TRUNK_FIELDS}}
        trunk["endpoints"] = _desired_endpoints(entry.get("endpoints"), f"{where}.endpoints", problems)
        for option in ("acls", "credential_lists"):
            trunk[option] = _desired_names(entry.get(option), f"{where}.{option}", problems)
        for number in entry.get("phone_numbers") or []:
            problems.add(check_e164(f"{where}.phone_numbers", number))
            if numbers.setdefault(number, where) != where:
                problems.add(f"{where}.phone_numbers: {number} is already listed under {numbers[number]}")
        phone_numbers = entry.get("phone_numbers")
        trunk["phone_numbers"] = None if phone_numbers is None else sorted(set(phone_numbers))
        trunks[trunk_key(entry["host_name"])] = trunk
    return trunks


def _desired_names(names: Optional[List[str]], where: str, problems: Problems) -> Optional[List[str]]:
    """A trunk's acls or credential_lists: None (left alone) or the names, duplicates dropped."""
    for position, name in enumerate(names or []):
        if not name:
            problems.add(f"{where}[{position}]: an empty value names no object")
    return None if names is None else list(dict.fromkeys(names))


def _desired_endpoints(entries: Optional[list], where: str, problems: Problems) -> Optional[dict]:
    if entries is None:
        return None
    endpoints: dict = {}
    seen: dict = {}
    for index, entry in enumerate(entries):
        check_endpoint(problems, entry, f"{where}[{index}].")
        if _unique(problems, seen, entry["name"], f"{where}[{index}].name", entry["name"]):
            endpoints[entry["name"]] = {"name": entry["name"], **{field: entry.get(field) for field in ENDPOINT_FIELDS}}
    return endpoints


def _desired_acls(entries: Optional[list], problems: Problems, warn: Callable[[str], None]) -> Optional[dict]:
    if entries is None:
        return None
    acls: dict = {}
    seen: dict = {}
    for index, entry in enumerate(entries):
        where = f"config.acls[{index}]"
        bodies = ip_ranges_body(f"{where}.ip_ranges", entry.get("ip_ranges"), problems, warn)
        if not _unique(problems, seen, entry["name"], f"{where}.name", entry["name"]):
            continue
        ranges = None if bodies is None else {
            ip_range_key(body): {"cidr": ip_range_key(body), "description": body.get("description")} for body in bodies}
        acls[entry["name"]] = {"name": entry["name"], "enabled": entry.get("enabled"), "ip_ranges": ranges}
    return acls


def _desired_lists(entries: Optional[list], problems: Problems) -> Optional[dict]:
    if entries is None:
        return None
    lists: dict = {}
    seen: dict = {}
    for index, entry in enumerate(entries):
        where = f"config.credential_lists[{index}]"
        # A password may be left out (gathered gives none): it is needed only to add its username.
        check_credentials(problems, entry.get("credentials"), f"{where}.", password_required=False)
        if not _unique(problems, seen, entry["name"], f"{where}.name", entry["name"]):
            continue
        credentials = entry.get("credentials")
        lists[entry["name"]] = {"name": entry["name"], "credentials": None if credentials is None else {
            item["username"]: {"username": item["username"], "password": item.get("password")} for item in credentials}}
    return lists


def _desired_countries(codes: Optional[list], problems: Problems) -> Optional[list]:
    if codes is None:
        return None
    for code in codes:
        problems.add(check_iso_code("config.enabled_countries", code, star=True))
    return sorted({str(code).upper() for code in codes})


def _desired_rules(entries: Optional[list], problems: Problems) -> Optional[dict]:
    if entries is None:
        return None
    rules: dict = {}
    seen: dict = {}
    for index, entry in enumerate(entries):
        where = f"config.call_blocking_rules[{index}]"
        for problem in rule_problems(f"{where}.", entry):
            problems.add(problem)
        problems.add(check_rule_criteria(where, {key: entry.get(option) for key, option in RULE_CRITERIA.items()}))
        if _unique(problems, seen, entry["name"], f"{where}.name", entry["name"]):
            rules[entry["name"]] = {"name": entry["name"], **{field: entry.get(field) for field in RULE_FIELDS}}
    return rules


def is_empty(desired: Estate) -> bool:
    return all(not desired.get(section) for section in SECTIONS)


# -- current: what was read -> estate, plus the ids of every object --------------------------------

def _by_name(items: List[dict], kind: str, duplicates: List[tuple], key: Callable[[dict], Any]) -> Dict[Any, dict]:
    found: Dict[Any, dict] = {}
    for item in items:
        name = key(item)
        if name in found:
            duplicates.append((kind, name, f"{kind} {name!r} (ids {found[name].get('id')}, {item.get('id')})"))
            continue
        found[name] = item
    return found


def current_estate(raw: dict) -> Tuple[Estate, Dict[str, dict], List[tuple]]:
    """(estate, ids by kind and identity, names held by two objects as (section, key, message)) from
    `_site_read.read_estate()`."""
    duplicates: List[tuple] = []
    ids: Dict[str, dict] = {"trunk": {}, "acl": {}, "list": {}, "endpoint": {}, "rule": {}, "range": {}}
    estate: Estate = {"trunks": {}, **_current_members(raw, ids, duplicates)}
    acl_names = {item.get("id"): item.get("name") for item in raw["acls"]}
    list_names = {item.get("id"): item.get("name") for item in raw["credential_lists"]}
    trunk_keys = {}
    for trunk in raw["trunks"]:
        key = trunk_key(str(trunk.get("hostName")))
        trunk_keys[trunk["id"]] = key
        ids["trunk"][key] = trunk["id"]
        estate["trunks"][key] = _current_trunk(trunk, raw, acl_names, list_names, ids, duplicates)
    estate["numbers"] = {number.get("phoneNumber"): trunk_keys.get(number.get("sipTrunkId") or "", "")
                         for number in raw["numbers"]}
    for number, key in estate["numbers"].items():
        if key:
            estate["trunks"][key]["phone_numbers"].append(number)
    estate["call_blocking_rules"] = _current_rules(raw["rules"], ids, duplicates)
    estate["countries"] = sorted(str(item.get("isoCode")).upper() for item in raw["countries"])
    estate["enabled_countries"] = sorted(str(item.get("isoCode")).upper() for item in raw["countries"] if item.get("enabled"))
    estate["live_numbers"] = dict(estate["numbers"])
    estate["number_countries"] = {number.get("phoneNumber"): number.get("countryCode") or "" for number in raw["numbers"]}
    return estate, ids, duplicates


def _current_members(raw: dict, ids: Dict[str, dict], duplicates: List[tuple]) -> Estate:
    """The ACLs with their ranges and the credential lists with their usernames."""
    estate: Estate = {"acls": {}, "credential_lists": {}}
    for name, acl in _by_name(raw["acls"], "acls", duplicates, lambda item: item.get("name")).items():
        ids["acl"][name] = acl["id"]
        ranges = {}
        for item in raw["ranges"].get(acl["id"], []):
            ranges[ip_range_key(item)] = {"cidr": ip_range_key(item), "description": item.get("description") or ""}
            ids["range"].setdefault((name, ip_range_key(item)), item.get("id"))
        estate["acls"][name] = {"name": name, "enabled": acl.get("enabled", True), "ip_ranges": ranges}
    for name, item in _by_name(raw["credential_lists"], "credential_lists", duplicates, lambda item: item.get("name")).items():
        ids["list"][name] = item["id"]
        credentials = {credential.get("username"): {"username": credential.get("username")}
                       for credential in raw["credentials"].get(item["id"], [])}
        estate["credential_lists"][name] = {"name": name, "credentials": credentials}
    return estate


def _current_rules(rules: List[dict], ids: Dict[str, dict], duplicates: List[tuple]) -> dict:
    """Rules by name; a rule without one is kept under its id (gathered leaves it out, overridden deletes it)."""
    found: dict = {}
    for rule in rules:
        name = rule.get("name") or f"id:{rule.get('id')}"
        if name in found:
            duplicates.append(("call_blocking_rules", name,
                               f"call_blocking_rules {name!r} (ids {ids['rule'][name]}, {rule.get('id')})"))
            continue
        ids["rule"][name] = rule.get("id")
        found[name] = dict({"name": rule.get("name")}, **{field: _read_rule_field(rule, field) for field in RULE_FIELDS})
    return found


def empty_estate() -> Estate:
    """A project with nothing in it (what `rendered` plans against)."""
    return {"trunks": {}, "acls": {}, "credential_lists": {}, "call_blocking_rules": {}, "numbers": {},
            "live_numbers": {}, "number_countries": {}, "countries": [], "enabled_countries": []}


def reroute(estate: Estate, number: str, key: str) -> None:
    """Counts `number` as routed to trunk `key` ("" none): a change the Numbers API already scheduled."""
    old = estate["numbers"].get(number, "")
    if old and number in estate["trunks"].get(old, {}).get("phone_numbers", []):
        estate["trunks"][old]["phone_numbers"].remove(number)
    estate["numbers"][number] = key
    if key and key in estate["trunks"]:
        estate["trunks"][key]["phone_numbers"].append(number)


def _read_rule_field(rule: dict, field: str) -> str:
    value = rule.get(_camel(field)) or ""
    return value.upper() if field in UPPER else value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _current_trunk(trunk: dict, raw: dict, acl_names: dict, list_names: dict, ids: dict, duplicates: list) -> dict:
    key = trunk_key(str(trunk.get("hostName")))
    endpoints = {}
    for endpoint in raw["endpoints"].get(trunk["id"], []):
        name = endpoint.get("name")
        if name in endpoints:
            duplicates.append(("trunks", key, f"endpoints {name!r} of trunk {trunk.get('hostName')}"))
            continue
        ids["endpoint"][(key, name)] = endpoint.get("id")
        endpoints[name] = _current_endpoint(endpoint)
    return {
        "host_name": trunk.get("hostName"), "name": trunk.get("name"),
        "enable_caller_name": bool(trunk.get("enableCallerName")),
        "enable_call_forward": bool(trunk.get("enableCallForward")),
        "call_forward_number": trunk.get("callForwardNumber") or "",
        "endpoints": endpoints,
        "acls": [acl_names.get(acl_id, acl_id) for acl_id in raw["trunk_acls"].get(trunk["id"], [])],
        "credential_lists": [list_names.get(list_id, list_id) for list_id in raw["trunk_lists"].get(trunk["id"], [])],
        "phone_numbers": [],
    }


def _current_endpoint(endpoint: dict) -> dict:
    shown = {"name": endpoint.get("name"), "priority": endpoint.get("priority"),
             "transport": str(endpoint.get("transport") or "UDP").upper(), "enabled": endpoint.get("enabled", True)}
    if endpoint.get("isRegistered") or endpoint.get("credentialUsername"):
        shown["credential_username"] = endpoint.get("credentialUsername")
    else:
        shown.update(address=endpoint.get("address"), port=endpoint.get("port") or DEFAULT_PORT)
    return shown


# -- target: the estate a state leads to -----------------------------------------------------------

def merge_fields(current: dict, wanted: dict, fields: Tuple[str, ...]) -> dict:
    """`current` with every field `wanted` sets; a value equal in any case keeps the server's spelling."""
    merged = dict(current)
    for field in fields:
        value = wanted.get(field)
        if value is None:
            continue
        if field in CASEFOLD and isinstance(value, str) and str(merged.get(field, "")).casefold() == value.casefold():
            continue
        merged[field] = value.upper() if field in UPPER and isinstance(value, str) else value
    return merged


def _members(current: Optional[dict], wanted: Optional[dict], exact: bool, merge: Callable[[Optional[dict], dict], dict]) -> dict:
    current = current or {}
    if wanted is None:
        return copy.deepcopy(current)
    members = {} if exact else copy.deepcopy(current)
    for key, item in wanted.items():
        members[key] = merge(current.get(key), item)
    return members


def _names(current: Optional[list], wanted: Optional[list], exact: bool) -> list:
    if wanted is None:
        return list(current or [])
    return list(wanted) if exact else list(dict.fromkeys(list(current or []) + list(wanted)))


def target_endpoint(current: Optional[dict], wanted: dict) -> dict:
    base = current or {"name": wanted["name"], "transport": "UDP", "enabled": True}
    base = dict(base)
    if wanted.get("address") is not None:
        base.pop("credential_username", None)
        base.setdefault("port", DEFAULT_PORT)
    if wanted.get("credential_username") is not None:
        base.pop("address", None)
        base.pop("port", None)
    merged = merge_fields(base, wanted, ENDPOINT_FIELDS)
    if current is None and merged.get("address") is not None:
        merged.setdefault("port", DEFAULT_PORT)
    return merged


def target_trunk(current: Optional[dict], wanted: dict, exact: bool) -> dict:
    base = current or {"host_name": wanted["host_name"], "name": wanted["host_name"], "enable_caller_name": False,
                       "enable_call_forward": False, "call_forward_number": "", "endpoints": {}, "acls": [],
                       "credential_lists": [], "phone_numbers": []}
    trunk = merge_fields(base, wanted, TRUNK_FIELDS)
    trunk["endpoints"] = _members(base["endpoints"], wanted.get("endpoints"), exact, target_endpoint)
    for option in ("acls", "credential_lists", "phone_numbers"):
        trunk[option] = _names(base[option], wanted.get(option), exact)
    return trunk


def target_acl(current: Optional[dict], wanted: dict, exact: bool) -> dict:
    base = current or {"name": wanted["name"], "enabled": True, "ip_ranges": {}}
    acl = merge_fields(base, wanted, ("enabled",))

    def merge_range(old: Optional[dict], new: dict) -> dict:
        description = new.get("description")
        if description is None:
            description = (old or {}).get("description") or ""
        return {"cidr": new["cidr"], "description": description}
    acl["ip_ranges"] = _members(base["ip_ranges"], wanted.get("ip_ranges"), exact, merge_range)
    return acl


def target_list(current: Optional[dict], wanted: dict, exact: bool) -> dict:
    base = current or {"name": wanted["name"], "credentials": {}}
    credentials = _members(base["credentials"], wanted.get("credentials"),
                           exact, lambda old, new: {"username": new["username"]})
    return {"name": base["name"], "credentials": credentials}


def target_rule(current: Optional[dict], wanted: dict, exact: bool) -> dict:
    base = current or dict({"name": wanted["name"]}, **{field: "" for field in RULE_FIELDS})
    return merge_fields(base, wanted, RULE_FIELDS)


TARGETS = {"trunks": target_trunk, "acls": target_acl, "credential_lists": target_list, "call_blocking_rules": target_rule}


def target_estate(current: Estate, desired: Estate, state: str) -> Estate:
    """The estate after `state` applies `desired` to `current` (the diff's after, the plan's goal)."""
    target = copy.deepcopy(current)
    if state == "deleted":
        _delete(target, desired)
    else:
        exact = state in ("replaced", "overridden")
        for section, build in TARGETS.items():
            wanted = desired.get(section)
            if wanted is None:
                continue
            objects = {} if state == "overridden" else target[section]
            objects.update({key: build(current[section].get(key), item, exact) for key, item in wanted.items()})
            target[section] = objects
        countries = desired.get("enabled_countries")
        if countries is not None:
            target["enabled_countries"] = sorted(set(countries) | (set() if exact else set(current["enabled_countries"])))
    _drop_dangling_references(current, target)
    _route_numbers(current, target)
    return target


def _delete(target: Estate, desired: Estate) -> None:
    everything = is_empty(desired)
    for section in TARGETS:
        if everything:
            target[section] = {}
        for key in desired.get(section) or {}:
            target[section].pop(key, None)
    if desired.get("enabled_countries"):
        target["enabled_countries"] = sorted(set(target["enabled_countries"]) - set(desired["enabled_countries"]))


def _drop_dangling_references(current: Estate, target: Estate) -> None:
    """A trunk cannot stay bound to an ACL or credential list that goes: it is unbound first."""
    for trunk in target["trunks"].values():
        for option in ("acls", "credential_lists"):
            trunk[option] = [name for name in trunk[option] if name in target[option] or name not in current[option]]


def _route_numbers(current: Estate, target: Estate) -> None:
    """Numbers follow the trunks that list them; a number its trunk no longer lists, or whose trunk
    goes, is routed to no EST trunk."""
    routing = dict(current["numbers"])
    for key, trunk in target["trunks"].items():
        for number in trunk["phone_numbers"]:
            routing[number] = key
    for number, key in routing.items():
        trunk = target["trunks"].get(key)
        if key and (trunk is None or number not in trunk["phone_numbers"]):
            routing[number] = ""
    target["numbers"] = routing
    for key, trunk in target["trunks"].items():
        trunk["phone_numbers"] = sorted(number for number, on in routing.items() if on == key)


# -- view: an estate in config's shape --------------------------------------------------------------

def view(estate: Estate) -> dict:
    """The estate as `config` takes it: lists sorted by identity, no passwords, empty optional strings left out."""
    return {
        "trunks": [_trunk_view(trunk) for _key, trunk in sorted(estate["trunks"].items())],
        "acls": [{"name": acl["name"], "enabled": acl["enabled"],
                  "ip_ranges": [_without_empty(item) for _key, item in sorted(acl["ip_ranges"].items())]}
                 for _name, acl in sorted(estate["acls"].items())],
        "credential_lists": [{"name": item["name"],
                              "credentials": [{"username": name} for name in sorted(item["credentials"])]}
                             for _name, item in sorted(estate["credential_lists"].items())],
        "enabled_countries": sorted(estate["enabled_countries"]),
        "call_blocking_rules": [_without_empty(rule) for _name, rule in sorted(estate["call_blocking_rules"].items())
                                if rule.get("name")],
    }


def _without_empty(item: dict) -> dict:
    return {key: value for key, value in item.items() if value not in ("", None)}


def _trunk_view(trunk: dict) -> dict:
    shown = {key: trunk[key] for key in ("host_name",) + TRUNK_FIELDS}
    shown["endpoints"] = [dict(endpoint) for _name, endpoint in
                          sorted(trunk["endpoints"].items(), key=lambda pair: (pair[1].get("priority") or 0, pair[0]))]
    shown["acls"] = sorted(trunk["acls"])
    shown["credential_lists"] = sorted(trunk["credential_lists"])
    shown["phone_numbers"] = sorted(trunk["phone_numbers"])
    return shown


# -- checks that need what was read (still before any write) --------------------------------------

def target_problems(current: Estate, target: Estate, desired: Estate) -> List[str]:
    """What the target cannot be: references to nothing, objects that cannot be created as given,
    registered endpoints that could never register, numbers the project does not have."""
    problems: List[str] = []
    for key, wanted in (desired.get("trunks") or {}).items():
        trunk = target["trunks"].get(key)
        if trunk is None:
            continue
        where = f"config.trunks[{wanted['host_name']}]"
        problems += _missing_references(where, wanted, target)
        if trunk["enable_call_forward"] and not trunk["call_forward_number"]:
            problems.append(f"{where}.call_forward_number: required when enable_call_forward is true")
        usernames = {username for name in trunk["credential_lists"]
                     for username in (target["credential_lists"].get(name) or {}).get("credentials", {})}
        before = (current["trunks"].get(key) or {}).get("endpoints", {})
        for name in wanted.get("endpoints") or {}:
            problems += _endpoint_problems(f"{where}.endpoints[{name}]", before.get(name), trunk["endpoints"][name], usernames)
        for number in wanted.get("phone_numbers") or []:
            if number not in current["numbers"]:
                problems.append(f"{where}.phone_numbers: {number} is not among the EST numbers of the project "
                                "(buy it or enable it for EST first)")
    problems += _creation_problems(current, target, desired)
    return problems


def _missing_references(where: str, wanted: dict, target: Estate) -> List[str]:
    """A trunk's acls and credential_lists naming no object of the target estate."""
    return [f"{where}.{option}: no {noun} named {name!r} in the project or in config.{option}"
            for option, noun in (("acls", "access control list"), ("credential_lists", "credential list"))
            for name in wanted.get(option) or [] if name not in target[option]]


def _endpoint_problems(where: str, before: Optional[dict], endpoint: dict, usernames: set) -> List[str]:
    problems = []
    if before is None and endpoint.get("priority") is None:
        problems.append(f"{where}: to create it set priority")
    if endpoint.get("address") is None and endpoint.get("credential_username") is None:
        problems.append(f"{where}: to create it set address (a static endpoint) or credential_username (a registered one)")
    username = endpoint.get("credential_username")
    if username is not None and username not in usernames and (before or {}).get("credential_username") != username:
        problems.append(f"{where}.credential_username: {username!r} is in no credential list bound to the trunk, so the "
                        "endpoint could never register (every REGISTER would get 401); bind a list holding it")
    return problems


def _creation_problems(current: Estate, target: Estate, desired: Estate) -> List[str]:
    problems = []
    for name, acl in (desired.get("acls") or {}).items():
        if name not in current["acls"] and not (target["acls"].get(name) or {}).get("ip_ranges"):
            problems.append(f"config.acls[{name}].ip_ranges: an access control list needs at least one range to be created")
    for name, item in (desired.get("credential_lists") or {}).items():
        known = (current["credential_lists"].get(name) or {}).get("credentials", {})
        for username, credential in (item.get("credentials") or {}).items():
            if username not in known and not credential.get("password"):
                problems.append(f"config.credential_lists[{name}].credentials[{username}].password: required to add "
                                "the username (the API never returns passwords, so gathered leaves them out)")
    for name, rule in (desired.get("call_blocking_rules") or {}).items():
        if name not in current["call_blocking_rules"] and not rule.get("direction"):
            problems.append(f"config.call_blocking_rules[{name}].direction: required to create the rule")
    return problems
