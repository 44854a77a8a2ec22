# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""Every API path the collection uses, with the key its list replies carry the items under.

Paths are relative to `/v1/projects/{projectId}` of the EST API (or of the Numbers API where
`api="numbers"`); the client adds that prefix. Ids are quoted as one path segment each.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple, Tuple
from urllib.parse import quote

_PLACEHOLDER = r"\{(\w+)\}"


def path_segment(value: Any) -> str:
    """Quote one id, E.164 number or user name for use as a single path segment.

    Everything outside unreserved characters is escaped, `/` and `+` included (`+` must reach the
    server as `%2B`, or `+15551234567` becomes ` 15551234567`).
    """
    text = str(value)
    if not text:
        # An empty id would turn `/trunks/{id}` into the collection `/trunks/`.
        raise ValueError("an empty value cannot be used as a path segment")
    return quote(text, safe="")


class Route(NamedTuple):
    template: str
    items_key: Tuple[str, ...] = ()
    api: str = "est"
    paging: str = "page"  # "page" (page + size) or "token" (the Numbers API's pageToken)

    def path(self, **ids: Any) -> str:
        return self.template.format(**{name: path_segment(value) for name, value in ids.items()})

    @property
    def id_name(self) -> str:
        """The placeholder of the object an item path addresses (its last one)."""
        return re.findall(_PLACEHOLDER, self.template)[-1]


# The current OpenAPI document names the trunk list `sipTrunks`; the older page and the SDK `trunks`.
TRUNK_ITEMS = ("trunks", "sipTrunks")

TRUNKS = Route("/trunks", TRUNK_ITEMS)
TRUNK = Route("/trunks/{trunk_id}")
ENDPOINTS = Route("/trunks/{trunk_id}/endpoints", ("endpoints",))
ENDPOINT = Route("/trunks/{trunk_id}/endpoints/{endpoint_id}")
TRUNK_ACLS = Route("/trunks/{trunk_id}/accessControlLists", ("accessControlListIds",))
TRUNK_ACL = Route("/trunks/{trunk_id}/accessControlLists/{acl_id}")
TRUNK_CREDENTIAL_LISTS = Route("/trunks/{trunk_id}/credentialLists", ("credentialListIds",))
TRUNK_CREDENTIAL_LIST = Route("/trunks/{trunk_id}/credentialLists/{credential_list_id}")

ACLS = Route("/accessControlLists", ("accessControlLists",))
ACL = Route("/accessControlLists/{acl_id}")
# The references answer trunk objects; a bare list of ids is read too.
ACL_TRUNKS = Route("/accessControlLists/{acl_id}/trunks", TRUNK_ITEMS + ("trunkIds",))
IP_RANGES = Route("/accessControlLists/{acl_id}/ipRanges", ("ipRanges",))
IP_RANGE = Route("/accessControlLists/{acl_id}/ipRanges/{range_id}")

CREDENTIAL_LISTS = Route("/credentialLists", ("credentialLists",))
CREDENTIAL_LIST = Route("/credentialLists/{credential_list_id}")
CREDENTIAL_LIST_TRUNKS = Route("/credentialLists/{credential_list_id}/trunks", TRUNK_ITEMS + ("trunkIds",))
CREDENTIAL = Route("/credentialLists/{credential_list_id}/credentials/{username}")

COUNTRY_PERMISSIONS = Route("/countryPermissions", ("countryPermissions",))
COUNTRY_PERMISSION = Route("/countryPermissions/{iso_code}")
CALL_BLOCKING_RULES = Route("/callBlockingRules", ("callBlockingRules",))
CALL_BLOCKING_RULE = Route("/callBlockingRules/{rule_id}")

PHONE_NUMBERS = Route("/phoneNumbers", ("phoneNumbers",))
PHONE_NUMBER = Route("/phoneNumbers/{phone_number}")
ACTIVE_NUMBERS = Route("/activeNumbers", ("activeNumbers",), api="numbers", paging="token")
ACTIVE_NUMBER = Route("/activeNumbers/{phone_number}", api="numbers")

CALLS = Route("/calls", ("calls",))
CALLS_EXPORT = Route("/calls/export")
CALL_PCAP = Route("/calls/records/{pcap_id}/pcap")

ADD_PROJECTS = Route("/addProjects")
