# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""est_site's reads: each collection once, then each trunk's children, all on the worker pool.

ACL list items carry their IP ranges and the trunks they are bound to, and credential list items
their usernames (as Sinch's SDK reads them); only where a reply leaves them out is each object read
on its own. Nothing is looked up by name: every reference is resolved from these reads.
"""

from __future__ import annotations

from typing import Any, Dict, List

from ansible_collections.sinch.est.plugins.module_utils import _numbers as numbers
from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils import _trunks as trunks

# What one collection read asks for: (result key, route, what the step names).
COLLECTIONS = (
    ("trunks", paths.TRUNKS, "the trunks"),
    ("acls", paths.ACLS, "the access control lists"),
    ("credential_lists", paths.CREDENTIAL_LISTS, "the credential lists"),
    ("numbers", paths.PHONE_NUMBERS, "the EST phone numbers"),
    ("rules", paths.CALL_BLOCKING_RULES, "the call blocking rules"),
    ("countries", paths.COUNTRY_PERMISSIONS, "the country permissions"),
)


def read_collection(module: Any, entry: tuple) -> List[dict]:
    key, route, what = entry
    with module.step(f"Reading {what}"):
        if key == "countries":  # not paginated
            return module.client.get(route.template).get("countryPermissions") or []
        return list(module.list_all(route))


def read_estate(module: Any) -> Dict[str, Any]:
    """Everything est_site compares, as the API answers it (see `_site_model.current_estate`)."""
    raw: Dict[str, Any] = dict(zip([entry[0] for entry in COLLECTIONS],
                                   module.each(list(COLLECTIONS), lambda entry: read_collection(module, entry))))
    raw["ranges"] = {acl["id"]: acl["ipRanges"] for acl in raw["acls"] if isinstance(acl.get("ipRanges"), list)}
    raw["credentials"] = {item["id"]: item["credentials"] for item in raw["credential_lists"]
                          if isinstance(item.get("credentials"), list)}
    acls_know_trunks = all(isinstance(acl.get("trunks"), list) for acl in raw["acls"])
    _read_members(module, raw)
    children = module.each(raw["trunks"], lambda trunk: read_trunk_children(module, trunk, not acls_know_trunks))
    raw["endpoints"] = {trunk["id"]: found[0] for trunk, found in zip(raw["trunks"], children)}
    raw["trunk_lists"] = {trunk["id"]: found[1] for trunk, found in zip(raw["trunks"], children)}
    if acls_know_trunks:
        raw["trunk_acls"] = {trunk["id"]: [acl["id"] for acl in raw["acls"] if trunk["id"] in _ids(acl["trunks"])]
                             for trunk in raw["trunks"]}
    else:
        raw["trunk_acls"] = {trunk["id"]: found[2] for trunk, found in zip(raw["trunks"], children)}
    return raw


def _ids(items: List[Any]) -> List[str]:
    return [item.get("id") if isinstance(item, dict) else item for item in items]


def _read_members(module: Any, raw: Dict[str, Any]) -> None:
    """The ranges of ACLs and the usernames of lists whose list item left them out, one read each."""
    missing_ranges = [acl for acl in raw["acls"] if acl["id"] not in raw["ranges"]]
    for acl, ranges in zip(missing_ranges, module.each(missing_ranges, lambda acl: _ranges_of(module, acl))):
        raw["ranges"][acl["id"]] = ranges
    missing = [item for item in raw["credential_lists"] if item["id"] not in raw["credentials"]]
    for item, found in zip(missing, module.each(missing, lambda item: _credentials_of(module, item))):
        raw["credentials"][item["id"]] = found


def _ranges_of(module: Any, acl: dict) -> List[dict]:
    with module.step(f"Reading the IP ranges of access control list {acl.get('name')!r}"):
        return list(module.list_all(paths.IP_RANGES, acl_id=acl["id"]))


def _credentials_of(module: Any, item: dict) -> List[dict]:
    with module.step(f"Reading credential list {item.get('name')!r}"):
        found = module.get_or_none(paths.CREDENTIAL_LIST, credential_list_id=item["id"]) or {}
    return found.get("credentials") or []


def read_trunk_children(module: Any, trunk: dict, with_acls: bool) -> tuple:
    """(endpoints, bound credential list ids, bound ACL ids or None) of one trunk."""
    label = trunks.trunk_label(trunk)
    with module.step(f"Reading the endpoints of {label}"):
        endpoints = list(module.list_all(paths.ENDPOINTS, trunk_id=trunk["id"]))
    with module.step(f"Reading the credential lists bound to {label}"):
        list_ids = trunks.bound_ids(module.client, paths.TRUNK_CREDENTIAL_LISTS, trunk["id"])
    acl_ids = None
    if with_acls:
        with module.step(f"Reading the access control lists bound to {label}"):
            acl_ids = trunks.bound_ids(module.client, paths.TRUNK_ACLS, trunk["id"])
    return endpoints, list_ids, acl_ids


def scheduled_routing(module: Any, countries: Dict[str, str]) -> Dict[str, str]:
    """{number: the EST trunk id a routing change already scheduled for it goes to} for the numbers of
    `countries` (number -> country code): a change already on its way is not sent again."""
    with module.step("Reading the project's active numbers (Numbers API)"):
        return numbers.scheduled_routing(module.client, countries)
