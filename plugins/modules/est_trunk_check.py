#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_trunk_check
short_description: Predict what Sinch's SIP edge will refuse on one trunk, before any call
version_added: 0.1.0
description:
  - A read-only pre-flight of one Sinch Elastic SIP Trunking (EST) trunk. It reads the trunk, its endpoints,
    the ACLs and credential lists bound to it (and, for the destinations, the country permissions, the call
    blocking rules and the project's numbers), and says which SIP answer each part of the SBC's setup will
    get, and which module option fixes it.
  - The facts of the SBC side are optional; each one given adds its checks. Without them, only the trunk's
    own setup is checked (an endpoint to send inbound calls to, something that lets outbound calls in).
  - Every problem is C({sip_code, severity, cause, fix}). C(error) problems carry the code the edge answers
    (C(401), C(403), C(503)); C(warning) problems have no code where nothing can be predicted for sure.
  - Each collection is read once per run, whatever the number of addresses, usernames or destinations.
    Works the same against the real service, so a runbook (for example in AWX) can gate an SBC change on it.
  - Never changes anything; check mode runs the same reads.
author:
  - sinch.est contributors (@sinch-est)
options:
  trunk:
    description:
      - The trunk to check, by id or host name (the part before C(.pstn.sinch.com)).
    type: str
    required: true
  sbc_addresses:
    description:
      - The public IPv4 addresses the SBC sends calls from. Each must be inside an IP range of an enabled ACL
        bound to the trunk, or its calls answer C(403) (or are challenged, where credential lists are bound).
    type: list
    elements: str
    default: []
  usernames:
    description:
      - The usernames the SBC registers or answers digest challenges with. Each must be in a credential list
        bound to the trunk, or every C(REGISTER) answers C(401); a C(REGISTER) also needs a registered
        endpoint of the trunk that uses the username.
      - Passwords are write-only at Sinch and cannot be checked.
    type: list
    elements: str
    default: []
  destinations:
    description:
      - E.164 numbers the SBC will call. Each must be in a country enabled in the country permissions (a C(+1)
        number is the United States unless its area code is another North American Numbering Plan country's,
        such as Canada) and match no OUTBOUND call blocking rule, or the call answers C(403).
    type: list
    elements: str
    default: []
  fail_on_problems:
    description:
      - Fail the task when any C(error) problem is found (warnings never fail it).
    type: bool
    default: false
notes:
  - Changes to ACLs, credential lists and trunk bindings reach Sinch's SIP edge up to 60 seconds after the API
    call. A bound ACL or credential list changed less than 60 seconds ago is a warning; the API gives no time for
    a binding itself, so a binding made in the last minute cannot be told.
  - A call blocking rule with caller conditions (C(caller_match), C(caller_country)) depends on the number the
    call comes from, which the check does not know, so it is a warning.
  - The SIP domain of the trunk (the Request-URI host C(<host_name>.pstn.sinch.com), answered C(404) when it
    names no trunk) and the C(From) domain (C(403) on any other domain) are the SBC's configuration, not the
    API's; the P(sinch.est.kamailio#role) role writes both.
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes.info_module
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_trunk_info
  - module: sinch.est.est_trunk_acls
  - module: sinch.est.est_trunk_credential_lists
"""

EXAMPLES = r"""
- name: Check the trunk before pointing the SBC at it
  sinch.est.est_trunk_check:
    trunk: acme-prod
    sbc_addresses: [203.0.113.10]
    usernames: [pbx01]
    destinations: ["+14155550123", "+4930123456"]
  register: preflight

- name: Show what will fail, and how to fix it
  ansible.builtin.debug:
    msg: "{{ item.sip_code | default('-', true) }} {{ item.cause }} -> {{ item.fix }}"
  loop: "{{ preflight.problems }}"

- name: Gate an SBC change on a clean trunk
  sinch.est.est_trunk_check:
    trunk: acme-prod
    sbc_addresses: "{{ sbc_public_addresses }}"
    fail_on_problems: true
"""

RETURN = r"""
ok:
  description: True when no C(error) problem was found (warnings may remain).
  returned: always
  type: bool
  sample: false
problems:
  description: What the edge will refuse or may refuse, in the order a call meets the checks.
  returned: always
  type: list
  elements: dict
  contains:
    sip_code:
      description: The SIP code the edge answers (C(401), C(403), C(503)), or null for a warning.
      type: int
    severity:
      description: C(error) (it will fail) or C(warning) (it may fail, or something is off).
      type: str
    cause:
      description: What fails and why, naming the object.
      type: str
    fix:
      description: The module and options that fix it.
      type: str
  sample:
    - sip_code: 403
      severity: error
      cause: "127.0.0.2 is in no ACL bound to trunk acme-prod: calls from it answer 403"
      fix: "sinch.est.est_ip_range acl=office cidr=127.0.0.2/32 (or est_acl ip_ranges)"
trunk:
  description: The trunk checked (keys in snake_case).
  returned: always
  type: dict
  sample:
    id: 01HZX3V4Q9C0R8M6S7T5W2Y1AB
    host_name: acme-prod
    domain: acme-prod.pstn.sinch.com
    calls_per_second: 1
"""

from datetime import datetime, timezone

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils import _trunk_check as check
from ansible_collections.sinch.est.plugins.module_utils import _trunks as trunks
from ansible_collections.sinch.est.plugins.module_utils._module import EstModule, run_module, snake
from ansible_collections.sinch.est.plugins.module_utils._validation import check_e164, check_host_name, check_ipv4


class TrunkCheck(EstModule):
    noun = "trunk"

    def validate(self, problems):
        if not trunks.looks_like_trunk_id(self.params["trunk"]):
            problems.add(check_host_name("trunk", self.params["trunk"]))
        for index, address in enumerate(self.params["sbc_addresses"]):
            problems.add(check_ipv4(f"sbc_addresses[{index}]", address))
        for index, username in enumerate(self.params["usernames"]):
            if not username.strip():
                problems.add(f"usernames[{index}]: an empty username")
        for index, number in enumerate(self.params["destinations"]):
            problems.add(check_e164(f"destinations[{index}]", number))

    def run(self):
        trunk = self.read_trunk()
        state = {"trunk": trunk}
        with self.step(f"Reading the endpoints of trunk {trunk['id']}"):
            state["endpoints"] = list(self.list_all(paths.ENDPOINTS, trunk_id=trunk["id"]))
        state["acls"] = self.read_acls(trunk["id"])
        state["credential_lists"] = self.read_credential_lists(trunk["id"], state["endpoints"])
        state.update(self.read_destination_state())
        problems = check.predict(state, self.params, datetime.now(timezone.utc))
        ok = not any(item["severity"] == check.ERROR for item in problems)
        if self.params["fail_on_problems"] and not ok:
            errors = [f"{item['sip_code']}: {item['cause']} (fix: {item['fix']})" for item in problems if item["severity"] == check.ERROR]
            self.fail(f"Trunk {trunk.get('hostName')}: {len(errors)} problem(s) calls will meet: " + "; ".join(errors),
                      ok=ok, problems=problems, trunk=snake(trunk))
        self.exit(ok=ok, problems=problems, trunk=snake(trunk))

    def read_trunk(self):
        trunk = self.resolve_trunk(self.params["trunk"])
        if trunk is None:  # check mode: resolve_trunk warns instead of failing, but there is nothing to check
            self.fail(f"trunk: no trunk with id or host name {self.params['trunk']!r} in project {self.client.project_id}")
        return trunk

    def read_acls(self, trunk_id):
        """Every ACL of the project, marked bound or not; IP ranges for the bound ones, and for the others
        only when an SBC address is missing from the bound ones (to say which ACL holds it)."""
        with self.step(f"Reading the ACLs bound to trunk {trunk_id}"):
            bound = set(trunks.bound_ids(self.client, paths.TRUNK_ACLS, trunk_id))
        with self.step("Reading access control lists"):
            acls = [dict(acl, bound=acl.get("id") in bound) for acl in self.list_all(paths.ACLS)]
        for acl in acls:
            if acl["bound"]:
                acl["ipRanges"] = self.ranges_of(acl)
        if any(not check.acls_holding({"acls": [acl for acl in acls if acl["bound"]]}, address)
               for address in self.params["sbc_addresses"]):
            for acl in acls:
                if not acl["bound"]:
                    acl["ipRanges"] = self.ranges_of(acl)
        return acls

    def ranges_of(self, acl):
        with self.step(f"Reading the IP ranges of ACL {acl['id']}"):
            return list(self.list_all(paths.IP_RANGES, acl_id=acl["id"]))

    def read_credential_lists(self, trunk_id, endpoints):
        """Every credential list of the project, marked bound or not; the usernames of the bound ones, and
        of the others only when a username is missing from the bound ones."""
        with self.step(f"Reading the credential lists bound to trunk {trunk_id}"):
            bound = set(trunks.bound_ids(self.client, paths.TRUNK_CREDENTIAL_LISTS, trunk_id))
        with self.step("Reading credential lists"):
            lists = [dict(item, bound=item.get("id") in bound) for item in self.list_all(paths.CREDENTIAL_LISTS)]
        for item in lists:
            if item["bound"]:
                item.update(self.usernames_of(item))
        wanted = set(self.params["usernames"]) | {endpoint.get("credentialUsername") for endpoint in endpoints
                                                  if endpoint.get("credentialUsername")}
        known = {username for item in lists if item["bound"] for username in item["usernames"]}
        if wanted - known:
            for item in lists:
                if not item["bound"]:
                    item.update(self.usernames_of(item))
        return lists

    def usernames_of(self, item):
        with self.step(f"Reading credential list {item['id']}"):
            full = self.get_or_none(paths.CREDENTIAL_LIST, credential_list_id=item["id"]) or {}
        credentials = full.get("credentials") or item.get("credentials") or []
        return {"usernames": [credential.get("username") for credential in credentials],
                "createTime": full.get("createTime", item.get("createTime")),
                "updateTime": full.get("updateTime", item.get("updateTime"))}

    def read_destination_state(self):
        if not self.params["destinations"]:
            return {"country_permissions": [], "rules": [], "numbers": []}
        with self.step("Reading country permissions"):
            answer = self.client.get(paths.COUNTRY_PERMISSIONS.template)
        # The references answer {"countryPermissions": [...]}; a bare list is read the same way.
        permissions = answer.get("countryPermissions", []) if isinstance(answer, dict) else answer or []
        with self.step("Reading call blocking rules"):
            rules = list(self.list_all(paths.CALL_BLOCKING_RULES))
        with self.step("Reading phone numbers"):
            numbers = list(self.list_all(paths.PHONE_NUMBERS))
        return {"country_permissions": permissions, "rules": rules, "numbers": numbers}


def main():
    run_module(
        TrunkCheck,
        dict(
            trunk=dict(type="str", required=True),
            sbc_addresses=dict(type="list", elements="str", default=[]),
            usernames=dict(type="list", elements="str", default=[]),
            destinations=dict(type="list", elements="str", default=[]),
            fail_on_problems=dict(type="bool", default=False),
        ),
    )


if __name__ == "__main__":
    main()
