"""Why the edge answers what it answers: plain functions over the state and the request, no sockets.

Each check returns None (passes) or a Verdict: the SIP code, its reason phrase, and a sentence that
names the configuration behind it. Outbound INVITEs go through `outbound` in Sinch's order: trunk
domain, From domain, ACL source or digest, destination, calls per second; REGISTER through
`register`; inbound calls through `inbound_blocked`, `endpoint_order` and `fails_over`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from ..countries import country_of
from .digest import answer_matches
from .view import TrunkAuth

TLD = ".pstn.sinch.com"


@dataclass(frozen=True)
class Verdict:
    code: int
    reason: str
    why: str
    challenge: bool = False  # answer with a digest challenge (401 / 407)
    stale: bool = False


@dataclass(frozen=True)
class Answer:
    """A digest answer (Authorization / Proxy-Authorization parameters) and its nonce's state."""

    params: dict
    nonce_state: str  # fresh | stale | bad


@dataclass(frozen=True)
class Trunk:
    id: str
    project: str
    domain: str
    calls_per_second: int = 1


@dataclass(frozen=True)
class OutboundFacts:
    trunk: Trunk | None
    request_host: str
    from_host: str
    source: str
    auth: TrunkAuth
    answer: Answer | None
    failures: int  # wrong digest answers already given on this Call-ID
    callee: str
    caller: str
    countries: dict = field(default_factory=dict)  # ISO code -> enabled
    rules: tuple = ()  # call blocking rule documents
    calls_last_second: int = 0


def trunk_host(request_host: str) -> str | None:
    """The hostName a Request-URI host names (`<hostName>.pstn.sinch.com`), None for anything else."""
    host = request_host.lower()
    if not host.endswith(TLD) or host.count(".") != TLD.count("."):
        return None
    return host[: -len(TLD)]


def unknown_domain(f: OutboundFacts) -> Verdict | None:
    if f.trunk is None:
        return Verdict(404, "Not Found", f"{f.request_host} is not the domain of any trunk")
    return None


def from_domain(f: OutboundFacts) -> Verdict | None:
    if f.from_host.lower() != f.trunk.domain.lower():
        return Verdict(403, "Forbidden", f"From domain {f.from_host} is not the trunk's domain {f.trunk.domain}")
    return None


def in_acl(auth: TrunkAuth, source: str) -> bool:
    try:
        address = ipaddress.ip_address(source)
    except ValueError:
        return False
    return any(address in network for network in auth.networks)


def digest_verdict(auth: TrunkAuth, answer: Answer | None, method: str, realm: str, failures: int,
                   code: int) -> Verdict | None:
    """None when the answer proves a bound username's password; else a challenge, or 403 after a
    second wrong answer (INVITE; `code` 407). REGISTER (`code` 401) is challenged every time."""
    reason = "Proxy Authentication Required" if code == 407 else "Unauthorized"
    if answer is None:
        return Verdict(code, reason, "digest challenge (realm = the trunk's domain)", challenge=True)
    if answer.nonce_state == "stale":
        return Verdict(code, reason, "the nonce expired: challenged again", challenge=True, stale=True)
    username = answer.params.get("username", "")
    password = auth.credentials.get(username)
    if password is not None and answer.nonce_state == "fresh" and answer_matches(
            answer.params, method, realm, password):
        return None
    why = (f"username {username!r} is in no credential list bound to the trunk" if password is None
           else "wrong password or digest answer")
    if code == 407 and failures >= 1:
        return Verdict(403, "Forbidden", why + " (second wrong answer)")
    return Verdict(code, reason, why, challenge=True)


def authorisation(f: OutboundFacts) -> Verdict | None:
    if in_acl(f.auth, f.source):
        return None
    if not f.auth.credentials:
        return Verdict(403, "Forbidden", f"source {f.source} is in no enabled ACL bound to the trunk, "
                                         "and no credential list is bound to it")
    return digest_verdict(f.auth, f.answer, "INVITE", f.trunk.domain, f.failures, 407)


def rule_matches(rule: dict, direction: str, caller: str, callee: str) -> bool:
    """A rule matches when every criterion it sets matches (prefixes compared with a leading '+');
    a rule that sets none matches nothing."""
    if rule.get("direction") != direction:
        return False
    checks = []
    for key, number in (("callerMatch", caller), ("calleeMatch", callee)):
        if rule.get(key):
            checks.append(number.lstrip("+").startswith(rule[key].lstrip("+")))
    for key, number in (("callerCountry", caller), ("calleeCountry", callee)):
        if rule.get(key):
            checks.append(country_of(number) == rule[key].upper())
    return bool(checks) and all(checks)


def destination(f: OutboundFacts) -> Verdict | None:
    country = country_of(f.callee)
    # A country without a permission of its own follows the "*" (International) permission.
    if not f.countries.get(country, f.countries.get("*", False)):
        return Verdict(403, "Forbidden", f"destination country {country or 'unknown'} of {f.callee} is not "
                                         "enabled in the country permissions")
    for rule in f.rules:
        if rule_matches(rule, "OUTBOUND", f.caller, f.callee):
            return Verdict(403, "Forbidden", f"OUTBOUND call blocking rule {rule.get('id')} matches")
    return None


def rate(f: OutboundFacts) -> Verdict | None:
    if f.calls_last_second >= f.trunk.calls_per_second:
        return Verdict(603, "Decline", f"over the trunk's callsPerSecond ({f.trunk.calls_per_second})")
    return None


OUTBOUND_CHECKS = (unknown_domain, from_domain, authorisation, destination, rate)


def outbound(f: OutboundFacts) -> Verdict | None:
    """The first refusal in Sinch's order, or None: the call goes to the destination."""
    for check in OUTBOUND_CHECKS:
        verdict = check(f)
        if verdict is not None:
            return verdict
    return None


def register(trunk: Trunk | None, request_host: str, auth: TrunkAuth, answer: Answer | None,
             endpoint_usernames: set) -> Verdict | None:
    """REGISTER: 404 for an unknown domain; 200 (None) only for a bound list's username that a
    registered endpoint of the trunk uses, with the right password; otherwise 401."""
    if trunk is None:
        return Verdict(404, "Not Found", f"{request_host} is not the domain of any trunk")
    verdict = digest_verdict(auth, answer, "REGISTER", trunk.domain, 0, 401)
    if verdict is not None:
        return verdict
    username = answer.params.get("username", "")
    if username not in endpoint_usernames:
        return Verdict(401, "Unauthorized", f"no registered endpoint of the trunk uses username {username!r}",
                       challenge=True)
    return None


def inbound_blocked(rules: tuple, caller: str, callee: str) -> Verdict | None:
    for rule in rules:
        if rule_matches(rule, "INBOUND", caller, callee):
            return Verdict(403, "Forbidden", f"INBOUND call blocking rule {rule.get('id')} matches")
    return None


def endpoint_order(endpoints: list, turn: dict) -> list:
    """Enabled endpoints by priority, lowest first; equal priorities rotate by `turn[priority]` (the
    number of calls that priority has taken so far: round-robin)."""
    groups: dict[int, list] = {}
    for endpoint in endpoints:
        if endpoint.get("enabled", True):
            groups.setdefault(endpoint["priority"], []).append(endpoint)
    ordered = []
    for priority in sorted(groups):
        group = groups[priority]
        start = turn.get(priority, 0) % len(group)
        ordered += group[start:] + group[:start]
    return ordered


def fails_over(code: int) -> bool:
    """An attempt ending so is followed by the next endpoint: timeout (408) or a server failure."""
    return code == 408 or 500 <= code < 600


def call_result(code: int) -> str:
    if 200 <= code < 300:
        return "COMPLETED"
    if code in (486, 600):
        return "BUSY"
    if code in (408, 480):
        return "NO_ANSWER"
    if code == 487:
        return "CANCEL"
    return "FAILED"
