# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""IP range options (`cidr`, or `ip_address` + `range`) checked into the API's IpRange bodies, and
the network a range admits (est_ip_range, est_acl, est_site). Apart from `_validation`, which every
task loads, as most tasks have no range to read."""

from __future__ import annotations

import ipaddress
from typing import Callable, Optional

from ansible_collections.sinch.est.plugins.module_utils._validation import Problems, check_ipv4, check_prefix_length


def parse_ip_range(option: str, entry: dict) -> tuple:
    """Reads `cidr` or `ip_address` + `range` into (address, prefix, host_bits_set, error).

    `option` is the list entry the keys sit in (`ip_ranges[0]`), or "" for top-level options.
    """
    def key(name: str) -> str:
        return f"{option}.{name}" if option else name
    where = option or "cidr/ip_address"
    cidr = entry.get("cidr")
    address = entry.get("ip_address")
    prefix = entry.get("range")
    if cidr is not None and address is not None:
        return None, None, False, f"{where}: give either cidr or ip_address (+ range), not both ({cidr!r}, {address!r})"
    if cidr is not None:
        if not isinstance(cidr, str):
            return None, None, False, f"{key('cidr')}: {cidr!r} is not a CIDR such as 203.0.113.0/24"
        address, _slash, prefix_text = cidr.partition("/")
        if prefix is not None and prefix_text:
            return None, None, False, f"{where}: cidr {cidr!r} already has a prefix; drop range"
        if prefix_text:
            if not prefix_text.isdigit():
                return None, None, False, f"{key('cidr')}: {cidr!r} has no numeric prefix length"
            prefix = int(prefix_text)
    if address is None:
        return None, None, False, f"{where}: each range needs cidr or ip_address"
    if prefix is None:
        prefix = 32
    error = check_ipv4(key("ip_address") if cidr is None else key("cidr"), address) or check_prefix_length(key("range"), prefix)
    if error:
        return None, None, False, error
    network = ipaddress.IPv4Network(f"{address}/{prefix}", strict=False)
    host_bits_set = str(network.network_address) != address
    return address, prefix, host_bits_set, None


def ip_range_key(item: dict) -> str:
    """The network an API IpRange admits ('203.0.113.0/24'): ranges compare by what they admit.

    The API stores `ipAddress` as given, so 203.0.113.5/24 and 203.0.113.0/24 are the same range.
    """
    prefix = item.get("range")
    prefix = 32 if prefix is None else prefix
    try:
        return str(ipaddress.IPv4Network(f"{item.get('ipAddress')}/{prefix}", strict=False))
    except ValueError:
        return f"{item.get('ipAddress')}/{prefix}"


def ip_range_body(option: str, entry: dict, problems: Problems, warn: Callable[[str], None]) -> Optional[dict]:
    """One range option (`cidr` or `ip_address` + `range`, `description`) -> the API's IpRange body.

    Host bits set in the address warn and are cleared: the body carries the network address.
    Returns None (and adds the problem) when the entry is invalid.
    """
    address, prefix, host_bits_set, error = parse_ip_range(option, entry)
    if error:
        problems.add(error)
        return None
    network = ipaddress.IPv4Network(f"{address}/{prefix}", strict=False)
    if host_bits_set:
        warn(f"{option or 'cidr'}: {address}/{prefix} has host bits set; using the network address {network}")
    body = {"ipAddress": str(network.network_address), "range": prefix}
    if entry.get("description") is not None:
        body["description"] = entry["description"]
    return body


def ip_ranges_body(option: str, entries: Optional[list], problems: Problems, warn: Callable[[str], None]) -> Optional[list]:
    """A list of range options -> IpRange bodies; two entries for the same network are a problem."""
    if entries is None:
        return None
    bodies = []
    seen: dict = {}
    for index, entry in enumerate(entries):
        body = ip_range_body(f"{option}[{index}]", entry, problems, warn)
        if body is None:
            continue
        key = ip_range_key(body)
        if key in seen:
            problems.add(f"{option}[{index}]: {key} is already given as {option}[{seen[key]}]; list each range once")
            continue
        seen[key] = index
        bodies.append(body)
    return bodies
