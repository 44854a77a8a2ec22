# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""Input checks that run before any request, so a bad value never reaches the API.

Each check returns an error message naming the option, or None; `Problems` collects them so a
task reports every bad option at once instead of one per run.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Optional

from ansible.module_utils.common.validation import check_type_dict


# Patterns are kept as text: `re` compiles (and caches) one at its first use, so a task pays only for
# the checks it runs.
# E.164 (ITU-T E.164): a plus, a non-zero country digit, at most 15 digits in all. Seven digits is
# the shortest number in service (Niue's +6834002: country code 683, four digits after it).
E164_PATTERN = r"^\+[1-9][0-9]{6,14}$"
# The references: a trunk host name "may contain only letters, digits and hyphens". It is the first
# label of <hostName>.pstn.sinch.com, so it is also a DNS label (RFC 1035, section 2.3.1: 1 to 63
# characters, starting and ending with a letter or digit; RFC 1123 allows a leading digit).
HOST_NAME_PATTERN = r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$"
DOMAIN_LABEL_PATTERN = r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$"


def check_e164(option: str, value: Any) -> Optional[str]:
    if not isinstance(value, str) or not re.match(E164_PATTERN, value):
        return f"{option}: {value!r} is not an E.164 number (a '+', the country code and the number, 7 to 15 digits, e.g. +14155550100)"
    return None


def check_host_name(option: str, value: Any) -> Optional[str]:
    if not isinstance(value, str) or not re.match(HOST_NAME_PATTERN, value):
        shown = value if not isinstance(value, str) or len(value) <= 70 else value[:60] + f"... ({len(value)} characters)"
        return (f"{option}: {shown!r} is not a valid trunk host name: it is the first label of the SIP domain "
                "<host_name>.pstn.sinch.com, so it must be a DNS label (RFC 1035): 1 to 63 letters, digits and "
                "hyphens, not starting or ending with a hyphen (Sinch adds the domain suffix)")
    return None


def check_name_not_empty(option: str, value: Any) -> Optional[str]:
    """A name that is set must say something: the API refuses an empty name (or, for a call blocking
    rule, creates an object no task can find again by name)."""
    if isinstance(value, str) and not value.strip():
        return f"{option}: must not be empty"
    return None


def is_ipv4(value: Any) -> bool:
    try:
        ipaddress.IPv4Address(value)
    except (ipaddress.AddressValueError, ValueError, TypeError):
        return False
    return True


def check_ipv4(option: str, value: Any) -> Optional[str]:
    if not is_ipv4(value):
        return f"{option}: {value!r} is not an IPv4 address (EST accepts IPv4 only)"
    return None


def is_domain_name(value: Any) -> bool:
    if not isinstance(value, str) or not value or len(value) > 253:
        return False
    labels = value.rstrip(".").split(".")
    if all(label.isdigit() for label in labels):
        return False  # a dotted-number string that is not an IPv4 address is a typo, not a host
    return all(re.match(DOMAIN_LABEL_PATTERN, label) for label in labels)


def check_sip_address(option: str, value: Any) -> Optional[str]:
    if is_ipv4(value) or is_domain_name(value):
        return None
    return f"{option}: {value!r} is neither an IPv4 address nor a domain name"


# A call blocking rule's criteria besides its direction (API keys), and their options.
RULE_CRITERIA = {"callerCountry": "caller_country", "calleeCountry": "callee_country",
                 "callerMatch": "caller_match", "calleeMatch": "callee_match"}


def check_rule_criteria(label: str, rule: dict) -> Optional[str]:
    """A call blocking rule (API keys, as it would be) must name what it blocks besides a direction:
    no reference says whether a direction alone blocks every call or none, so it is refused."""
    if any(rule.get(key) for key in RULE_CRITERIA):
        return None
    return (f"{label} would have only a direction, which does not say which calls it blocks: set at least one of "
            f"{', '.join(list(RULE_CRITERIA.values())[:-1])} or {list(RULE_CRITERIA.values())[-1]}")


def check_int_range(option: str, value: Any, minimum: int, maximum: Optional[int] = None) -> Optional[str]:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum or (maximum is not None and value > maximum):
        bounds = f"{minimum}..{maximum}" if maximum is not None else f">= {minimum}"
        return f"{option}: {value!r} is out of range ({bounds})"
    return None


def check_port(option: str, value: Any) -> Optional[str]:
    return check_int_range(option, value, 1, 65535)


def check_prefix_length(option: str, value: Any) -> Optional[str]:
    """Sinch takes prefix lengths 1..32 (the live API refuses /0, so 0.0.0.0/0 cannot be allowed)."""
    return check_int_range(option, value, 1, 32)


def check_list_of_dicts(option: str, value: Any, shape: str) -> Optional[str]:
    """A list option whose items must be dictionaries, checked on the raw input so the message names
    the option and the expected `shape` (ansible-core's own says only "dictionary requested")."""
    if not isinstance(value, list):
        return None
    for index, item in enumerate(value):
        if not isinstance(item, dict) and not _reads_as_dict(item):
            return (f"{option}[{index}]: {item!r} is not a dictionary; give each item of {option} as {shape}")
    return None


def _reads_as_dict(item: Any) -> bool:
    """Whether ansible-core turns the item into a dictionary itself (JSON or key=value text)."""
    try:
        check_type_dict(item)
    except (TypeError, ValueError):
        return False
    return True


def check_iso_code(option: str, value: Any, star: bool = False) -> Optional[str]:
    """An ISO 3166-1 alpha-2 country code in any case (or `*`, all countries, where `star`); a typo
    such as UK (the code is GB) would otherwise be sent, and match nothing."""
    # Loaded here: the country table is read by the few tasks that take a country.
    from ansible_collections.sinch.est.plugins.module_utils._countries import (
        ALPHA_2,
        ALPHA_3_TO_ALPHA_2,
        COMMON_SLIPS,
        EXTRA_ALPHA_2,
    )

    code = value.upper() if isinstance(value, str) else value
    if code in ALPHA_2 or code in EXTRA_ALPHA_2 or (star and code == "*"):
        return None
    what = "an ISO 3166-1 alpha-2 country code" + (" or '*'" if star else "")
    hint = COMMON_SLIPS.get(code) or ALPHA_3_TO_ALPHA_2.get(code) if isinstance(code, str) else None
    return f"{option}: {value!r} is not {what}" + (f"; did you mean {hint}?" if hint else "")


PASSWORD_MIN_LENGTH = 12


def check_password(option: str, username: str, password: str) -> Optional[str]:
    """Sinch's policy for SIP credential passwords (the live API answers 400 otherwise): at least 12
    characters, with an upper-case letter, a lower-case letter and a digit. The message names the
    rules broken, never the password."""
    broken = []
    if len(password) < PASSWORD_MIN_LENGTH:
        broken.append(f"has fewer than {PASSWORD_MIN_LENGTH} characters")
    for test, what in ((str.isupper, "upper-case letter"), (str.islower, "lower-case letter"), (str.isdigit, "digit")):
        if not any(test(char) for char in password):
            broken.append(f"has no {what}")
    if not broken:
        return None
    return (f"{option}: the password of {username!r} {' and '.join(broken)}; Sinch requires at least "
            f"{PASSWORD_MIN_LENGTH} characters with an upper-case letter, a lower-case letter and a digit")


# -- checks of one object's options, shared by its module and est_site ---------------------------

TRANSPORTS = ("UDP", "TCP", "TLS")
DIRECTIONS = ("INBOUND", "OUTBOUND")
NUMBER_PREFIX_PATTERN = r"^\+?[0-9]{1,15}$"


def check_trunk(problems: Problems, params: dict, prefix: str = "") -> None:
    """est_trunk's options (name, host_name, call forwarding); `prefix` names the list entry they sit in."""
    problems.add(check_name_not_empty(f"{prefix}name", params.get("name")))
    if params.get("host_name") is not None:
        problems.add(check_host_name(f"{prefix}host_name", params["host_name"]))
    number = params.get("call_forward_number")
    if number:
        problems.add(check_e164(f"{prefix}call_forward_number", number))
    if params.get("enable_call_forward") and number == "":
        problems.add(f"{prefix}call_forward_number: cannot be cleared while enable_call_forward is true")


def check_endpoint(problems: Problems, params: dict, prefix: str = "") -> None:
    """One endpoint's options (static: address, port; registered: credential_username)."""
    problems.add(check_name_not_empty(f"{prefix}name", params.get("name")))
    if params.get("address") is not None:
        problems.add(check_sip_address(f"{prefix}address", params["address"]))
    if params.get("port") is not None:
        problems.add(check_port(f"{prefix}port", params["port"]))
        if params.get("credential_username") is not None:
            problems.add(f"{prefix}port: a registered endpoint (credential_username) has no port")
    if params.get("address") is not None and params.get("credential_username") is not None:
        problems.add(f"{prefix}address: give either address (static) or credential_username (registered), not both")
    if params.get("credential_username") == "":
        problems.add(f"{prefix}credential_username: must not be empty")
    if params.get("priority") is not None:
        problems.add(check_int_range(f"{prefix}priority", params["priority"], 1))
    if params.get("transport") is not None and params["transport"].upper() not in TRANSPORTS:
        problems.add(f"{prefix}transport: {params['transport']!r} is not one of {', '.join(TRANSPORTS)} (any case)")


def check_credentials(problems: Problems, credentials: Optional[list], prefix: str = "",
                      password_required: bool = True) -> None:
    """A credential list's `credentials`: usernames unique and non-empty, passwords to Sinch's policy."""
    seen = set()
    for index, credential in enumerate(credentials or []):
        where = f"{prefix}credentials[{index}]"
        username = credential["username"]
        if not username:
            problems.add(f"{where}.username: must not be empty")
        elif username in seen:
            problems.add(f"{where}.username: {username!r} is listed twice")
        seen.add(username)
        password = credential.get("password")
        if password is None and not password_required:
            continue
        if not password:
            problems.add(f"{where}.password: must not be empty (username {username!r})")
        else:
            problems.add(check_password(f"{where}.password", username, password))


def rule_problems(option_prefix: str, values: dict) -> list:
    """Messages for the bad values of one call blocking rule (its options as a dict)."""
    problems = [check_name_not_empty(option_prefix + "name", values.get("name"))]
    direction = values.get("direction")
    if direction is not None and direction.upper() not in DIRECTIONS:
        problems.append(f"{option_prefix}direction: {direction!r} is not INBOUND or OUTBOUND")
    for option in ("caller_country", "callee_country"):
        if values.get(option):
            problems.append(check_iso_code(option_prefix + option, values[option]))
    for option in ("caller_match", "callee_match"):
        value = values.get(option)
        if value and not re.match(NUMBER_PREFIX_PATTERN, value):
            problems.append(f"{option_prefix}{option}: {value!r} is not a number prefix (an optional '+', then 1 to 15 "
                            "digits, e.g. +1900)")
    return [problem for problem in problems if problem]


class Problems:
    """Collects every invalid option of a task so the user fixes them in one go."""

    def __init__(self) -> None:
        self.messages: list = []

    def add(self, message: Optional[str]) -> None:
        if message and message not in self.messages:
            self.messages.append(message)

    def __bool__(self) -> bool:
        return bool(self.messages)

    def message(self) -> str:
        return "Invalid input, nothing was sent to the API: " + "; ".join(self.messages)
