# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""The pre-flight of est_trunk_check: what Sinch's SIP edge will answer, predicted from the API state.

`predict()` is plain functions over the state the module read and the facts the SBC side gave
(source addresses, usernames, destinations); no request is made here. Each problem is
`{sip_code, severity, cause, fix}`: `error` where the edge refuses (the code it answers), `warning`
where nothing can be predicted for sure (sip_code None). The edge's order of checks is the one the
emulator's assumptions register and the troubleshooting guide give: domain, From domain, ACL source
or digest, destination country or blocking rule, calls per second.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from ansible_collections.sinch.est.plugins.module_utils._dialing import country_of

# Sinch: changes to a trunk's ACLs and credential lists reach the SIP edge up to 60 s later.
EDGE_PROPAGATION_SECONDS = 60
ERROR, WARNING = "error", "warning"


def problem(sip_code: Optional[int], severity: str, cause: str, fix: str) -> Dict[str, Any]:
    return {"sip_code": sip_code, "severity": severity, "cause": cause, "fix": fix}


def predict(state: Dict[str, Any], facts: Dict[str, Any], now: datetime) -> List[Dict[str, Any]]:
    """Every problem found, in the order a call meets them: endpoints, authorisation, destinations, rate."""
    problems: List[Dict[str, Any]] = []
    problems += endpoint_problems(state)
    problems += authorisation_problems(state, facts)
    problems += username_problems(state, facts.get("usernames") or [])
    problems += destination_problems(state, facts.get("destinations") or [])
    problems += rate_problems(state, facts)
    problems += recent_change_problems(state, now)
    return problems


def host(state: Dict[str, Any]) -> str:
    return str(state["trunk"].get("hostName") or state["trunk"].get("id"))


# -- endpoints (inbound) ---------------------------------------------------------------------------

def endpoint_problems(state: Dict[str, Any]) -> List[Dict[str, Any]]:
    enabled = [endpoint for endpoint in state["endpoints"] if endpoint.get("enabled", True)]
    if enabled:
        return []
    what = "no endpoint" if not state["endpoints"] else "no enabled endpoint"
    return [problem(503, ERROR, f"trunk {host(state)} has {what}: inbound calls to its numbers answer 503",
                    f"sinch.est.est_endpoint trunk={host(state)} with address/port (static) or credential_username "
                    "(registered), enabled: true")]


# -- who may call out: ACL source or digest -------------------------------------------------------

def bound_acls(state: Dict[str, Any]) -> List[dict]:
    return [acl for acl in state["acls"] if acl.get("bound")]


def bound_lists(state: Dict[str, Any]) -> List[dict]:
    return [item for item in state["credential_lists"] if item.get("bound")]


def acl_networks(acl: dict) -> List[ipaddress.IPv4Network]:
    networks = []
    for ip_range in acl.get("ipRanges") or []:
        prefix = ip_range.get("range")
        try:
            networks.append(ipaddress.IPv4Network(f"{ip_range.get('ipAddress')}/{32 if prefix is None else prefix}", strict=False))
        except ValueError:
            continue
    return networks


def acls_holding(state: Dict[str, Any], address: str) -> List[dict]:
    ip = ipaddress.IPv4Address(address)
    return [acl for acl in state["acls"] if any(ip in network for network in acl_networks(acl))]


def authorisation_problems(state: Dict[str, Any], facts: Dict[str, Any]) -> List[Dict[str, Any]]:
    if not bound_acls(state) and not bound_lists(state):
        return [problem(403, ERROR, f"trunk {host(state)} has no ACL and no credential list bound: every outbound call answers 403",
                        f"sinch.est.est_trunk_acls trunk={host(state)} acls=[an ACL holding the SBC's public address], "
                        f"or sinch.est.est_trunk_credential_lists trunk={host(state)} for digest")]
    return [found for address in facts.get("sbc_addresses") or [] for found in address_problems(state, address)]


def address_problems(state: Dict[str, Any], address: str) -> List[Dict[str, Any]]:
    holding = acls_holding(state, address)
    if any(acl.get("bound") and acl.get("enabled", True) for acl in holding):
        return []
    name = host(state)
    if bound_lists(state):
        return [problem(None, WARNING, f"{address} is in no enabled ACL bound to trunk {name}: its calls are challenged "
                        "(407) and go through only with a username and password of a bound credential list",
                        f"sinch.est.est_ip_range acl=<an ACL bound to {name}> cidr={address}/32 to skip digest")]
    disabled = [acl for acl in holding if acl.get("bound")]
    unbound = [acl for acl in holding if not acl.get("bound")]
    if disabled:
        fix = f"sinch.est.est_acl name={disabled[0].get('name')} enabled: true"
        cause = f"{address} is only in ACL {disabled[0].get('name')!r}, which is disabled"
    elif unbound:
        fix = f"sinch.est.est_trunk_acls trunk={name} acls=[{unbound[0].get('name')}]"
        cause = f"{address} is in ACL {unbound[0].get('name')!r}, which is not bound to trunk {name}"
    else:
        target = bound_acls(state)[0].get("name") if bound_acls(state) else "<an ACL bound to the trunk>"
        fix = f"sinch.est.est_ip_range acl={target} cidr={address}/32 (or est_acl ip_ranges)"
        cause = f"{address} is in no ACL bound to trunk {name}"
    return [problem(403, ERROR, f"{cause}: calls from it answer 403", fix)]


# -- usernames: REGISTER and digest ----------------------------------------------------------------

def lists_holding(state: Dict[str, Any], username: str) -> List[dict]:
    return [item for item in state["credential_lists"] if username in item.get("usernames", [])]


def registered_usernames(state: Dict[str, Any]) -> List[str]:
    return [str(endpoint.get("credentialUsername")) for endpoint in state["endpoints"]
            if endpoint.get("credentialUsername")]


def unbound_username_problem(state: Dict[str, Any], username: str, who: str) -> Optional[Dict[str, Any]]:
    holding = lists_holding(state, username)
    if any(item.get("bound") for item in holding):
        return None
    name = host(state)
    if holding:
        return problem(401, ERROR, f"{who} {username!r} is in credential list {holding[0].get('name')!r}, which is not bound "
                       f"to trunk {name}: every REGISTER answers 401 and digest calls fail",
                       f"sinch.est.est_trunk_credential_lists trunk={name} credential_lists=[{holding[0].get('name')}]")
    return problem(401, ERROR, f"{who} {username!r} is in no credential list bound to trunk {name}: every REGISTER "
                   "answers 401 and digest calls fail",
                   f"sinch.est.est_credential_list credentials=[{{username: {username}, password: ...}}] on a list bound "
                   f"to {name} (sinch.est.est_trunk_credential_lists)")


def username_problems(state: Dict[str, Any], usernames: List[str]) -> List[Dict[str, Any]]:
    found = []
    registered = registered_usernames(state)
    for username in registered:
        found.append(unbound_username_problem(state, username, "registered endpoint username"))
    for username in usernames:
        if username in registered:
            continue
        missing = unbound_username_problem(state, username, "username")
        found.append(missing or problem(
            401, WARNING, f"username {username!r} is in a bound list but no registered endpoint of trunk {host(state)} uses it: "
            "its REGISTER answers 401 (digest on calls works)",
            f"sinch.est.est_endpoint trunk={host(state)} credential_username={username} (only if the SBC registers)"))
    return [item for item in found if item]


# -- destinations ----------------------------------------------------------------------------------

def permission_enabled(state: Dict[str, Any], iso_code: Optional[str]) -> bool:
    by_code = {str(item.get("isoCode")).upper(): item for item in state["country_permissions"]}
    chosen = by_code.get(str(iso_code).upper()) or by_code.get("*")
    return bool(chosen and chosen.get("enabled"))


def destination_problems(state: Dict[str, Any], destinations: List[str]) -> List[Dict[str, Any]]:
    found = []
    for number in destinations:
        iso_code = country_of(number, state["country_permissions"])
        if not permission_enabled(state, iso_code):
            found.append(problem(403, ERROR, f"calls to {number} ({iso_code or 'an unlisted country'}) answer 403: "
                                 "that country is disabled in the country permissions",
                                 f"sinch.est.est_country_permission iso_code={iso_code or '*'} enabled: true"))
            continue
        found += rule_problems(state, number, iso_code)
        found += routing_problems(state, number)
    return found


def rule_applies(rule: dict, number: str, iso_code: Optional[str]) -> bool:
    callee_match, callee_country = rule.get("calleeMatch"), rule.get("calleeCountry")
    # Prefixes compare with or without their leading '+' (the API takes both spellings).
    if callee_match and not number.lstrip("+").startswith(str(callee_match).lstrip("+")):
        return False
    if callee_country and str(callee_country).upper() != str(iso_code).upper():
        return False
    return bool(callee_match or callee_country or rule.get("callerMatch") or rule.get("callerCountry"))


def rule_problems(state: Dict[str, Any], number: str, iso_code: Optional[str]) -> List[Dict[str, Any]]:
    found = []
    for rule in state["rules"]:
        if str(rule.get("direction", "")).upper() != "OUTBOUND" or not rule_applies(rule, number, iso_code):
            continue
        label = rule.get("name") or rule.get("id")
        fix = f"sinch.est.est_call_blocking_rule name={label} state: absent (or narrow its callee_match)"
        if rule.get("callerMatch") or rule.get("callerCountry"):
            found.append(problem(None, WARNING, f"calls to {number} answer 403 when the caller matches blocking rule {label!r}", fix))
        else:
            found.append(problem(403, ERROR, f"calls to {number} answer 403: OUTBOUND blocking rule {label!r} matches it", fix))
    return found


def routing_problems(state: Dict[str, Any], number: str) -> List[Dict[str, Any]]:
    trunk_id = state["trunk"].get("id")
    for item in state["numbers"]:
        if item.get("phoneNumber") != number:
            continue
        routed_to = item.get("sipTrunkId") or None
        if routed_to == trunk_id:
            where = f"this trunk ({host(state)}): the call comes back to its own endpoints"
        else:
            where = f"trunk {routed_to}" if routed_to else "no trunk: the call reaches no endpoint"
        return [problem(None, WARNING, f"{number} is a number of this project routed to {where}",
                        f"sinch.est.est_phone_number phone_number={number} trunk=<the trunk meant to answer it>")]
    return []


# -- rate and timing -------------------------------------------------------------------------------

def sbc_count(state: Dict[str, Any], facts: Dict[str, Any]) -> int:
    if facts.get("sbc_addresses"):
        return len(set(facts["sbc_addresses"]))
    return len({endpoint.get("address") for endpoint in state["endpoints"] if endpoint.get("address")})


def rate_problems(state: Dict[str, Any], facts: Dict[str, Any]) -> List[Dict[str, Any]]:
    rate = state["trunk"].get("callsPerSecond") or 1
    count = sbc_count(state, facts)
    if rate != 1 or count < 2:
        return []
    return [problem(None, WARNING, f"trunk {host(state)} allows 1 call per second and {count} SBCs share it: a second call "
                    "started within the same second answers 603",
                    "ask Sinch support to raise callsPerSecond (the API shows it read-only)")]


def parse_time(value: Any) -> Optional[datetime]:
    """An API timestamp (UTC when it has no zone; nanoseconds cut to microseconds), or None."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip().replace("Z", "+00:00")
    zone = ""
    for sign in ("+", "-"):
        at = text.rfind(sign)
        if at > 10:
            text, zone = text[:at], text[at:]
            break
    if "." in text:
        text, fraction = text.split(".", 1)
        text = f"{text}.{fraction[:6].ljust(6, '0')}"  # Python < 3.11 reads 3 or 6 digits only
    try:
        moment = datetime.fromisoformat(text + zone)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def last_change(item: dict) -> Optional[datetime]:
    times = [parse_time(item.get(key)) for key in ("updateTime", "createTime")]
    times = [moment for moment in times if moment is not None]
    return max(times) if times else None


def recent_change_problems(state: Dict[str, Any], now: datetime) -> List[Dict[str, Any]]:
    recently_changed = []
    for acl in bound_acls(state):
        if any(recent(item, now) for item in [acl] + list(acl.get("ipRanges") or [])):
            recently_changed.append(f"ACL {acl.get('name')!r}")
    recently_changed += [f"credential list {item.get('name')!r}" for item in bound_lists(state) if recent(item, now)]
    if not recently_changed:
        return []
    return [problem(None, WARNING, f"{', '.join(recently_changed)} changed less than {EDGE_PROPAGATION_SECONDS} seconds ago: "
                    "Sinch's SIP edge may not have the change yet",
                    f"wait {EDGE_PROPAGATION_SECONDS} seconds before testing calls")]


def recent(item: dict, now: datetime) -> bool:
    moment = last_change(item)
    return moment is not None and (now - moment).total_seconds() < EDGE_PROPAGATION_SECONDS
