"""What playbooks/site.yml must leave on the server, read from its own vars file."""

from __future__ import annotations

import ipaddress
from collections import Counter

import yaml

from conftest import REPO

SITE = REPO / "playbooks" / "site.yml"


def desired() -> dict:
    with open(REPO / "playbooks" / "vars" / "site.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def duplicates(items, key) -> list:
    return [name for name, count in Counter(key(item) for item in items).items() if count > 1]


def site_state_problems(state: dict) -> list:
    """Every way `state` (the emulator's raw dump) differs from the site's desired state."""
    want = desired()
    problems = []
    for kind, key in (("trunks", "hostName"), ("accessControlLists", "name"), ("credentialLists", "name"),
                      ("callBlockingRules", "name")):
        dups = duplicates(state[kind], lambda item, key=key: item.get(key))
        if dups:
            problems.append(f"duplicate {kind}: {dups}")
    if len(state["trunks"]) != len(want["est_trunks"]):
        problems.append(f"{len(state['trunks'])} trunks, want {len(want['est_trunks'])}")
    acl_ids = {acl["name"]: acl["id"] for acl in state["accessControlLists"]}
    list_ids = {cl["name"]: cl["id"] for cl in state["credentialLists"]}
    for trunk_want in want["est_trunks"]:
        trunk = next((t for t in state["trunks"] if t["hostName"] == trunk_want["host_name"]), None)
        if trunk is None:
            problems.append(f"trunk {trunk_want['host_name']} missing")
            continue
        if trunk["name"] != trunk_want["name"] or trunk["enableCallerName"] != trunk_want.get("enable_caller_name", False):
            problems.append(f"trunk {trunk['hostName']} fields {trunk}")
        endpoints = [e for e in state["endpoints"] if e["sipTrunkId"] == trunk["id"]]
        got = sorted((e["name"], e.get("address"), e.get("credentialUsername"), e["priority"]) for e in endpoints)
        exp = sorted((e["name"], e.get("address"), e.get("credential_username"), e["priority"]) for e in trunk_want["endpoints"])
        if got != exp:
            problems.append(f"endpoints of {trunk['hostName']}: {got} != {exp}")
        bound = sorted(b["accessControlListId"] for b in state["trunkAccessControlLists"] if b["trunkId"] == trunk["id"])
        if bound != sorted(acl_ids.get(name) for name in trunk_want["acls"]):
            problems.append(f"ACLs of {trunk['hostName']}: {bound}")
        bound = sorted(b["credentialListId"] for b in state["trunkCredentialLists"] if b["trunkId"] == trunk["id"])
        if bound != sorted(list_ids.get(name) for name in trunk_want.get("credential_lists", [])):
            problems.append(f"credential lists of {trunk['hostName']}: {bound}")
        routed = sorted(n["phoneNumber"] for n in state["phoneNumbers"]
                        if (n.get("voiceConfiguration") or {}).get("trunkId") == trunk["id"]
                        or (n.get("voiceConfiguration") or {}).get("scheduledVoiceProvisioning", {}) and
                        n["voiceConfiguration"]["scheduledVoiceProvisioning"].get("trunkId") == trunk["id"])
        if routed != sorted(trunk_want.get("phone_numbers", [])):
            problems.append(f"numbers of {trunk['hostName']}: {routed}")
    for acl_want in want["est_acls"]:
        ranges = sorted((r["ipAddress"], r["range"]) for r in state["ipRanges"] if r["accessControlListId"] == acl_ids.get(acl_want["name"]))
        exp = sorted((str(ipaddress.ip_network(r["cidr"]).network_address), ipaddress.ip_network(r["cidr"]).prefixlen)
                     for r in acl_want["ip_ranges"])
        if ranges != exp:
            problems.append(f"ranges of ACL {acl_want['name']}: {ranges} != {exp}")
    for list_want in want["est_credential_lists"]:
        users = sorted(c["username"] for c in state["credentials"] if c["credentialListId"] == list_ids.get(list_want["name"]))
        if users != sorted(c["username"] for c in list_want["credentials"]):
            problems.append(f"credentials of {list_want['name']}: {users}")
    enabled = sorted(p["isoCode"] for p in state["countryPermissions"] if p["enabled"])
    if enabled != sorted(want["est_enabled_countries"]):
        problems.append(f"enabled countries {enabled}")
    rules = sorted((r.get("name"), r["direction"], r.get("calleeMatch") or "") for r in state["callBlockingRules"])
    if rules != sorted((r["name"], r["direction"], r.get("callee_match", "")) for r in want["est_call_blocking_rules"]):
        problems.append(f"rules {rules}")
    return problems
