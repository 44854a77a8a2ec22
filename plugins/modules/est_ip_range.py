#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_ip_range
short_description: Manage one IP range of a Sinch Elastic SIP Trunking access control list
version_added: 0.1.0
description:
  - Add, update and delete a single IP range of an access control list (ACL) of a Sinch Elastic SIP
    Trunking (EST) project, leaving the ACL's other ranges alone.
  - Use it where several plays each own a few ranges of one ACL (one per site, say). To declare all the
    ranges of an ACL in one place, use O(sinch.est.est_acl#module:ip_ranges) instead.
  - Do not manage the ranges of one ACL with both this module and O(sinch.est.est_acl#module:ip_ranges);
    with its default O(sinch.est.est_acl#module:purge_ip_ranges=true), M(sinch.est.est_acl) deletes the
    ranges this module adds.
  - A range is identified by its network (O(cidr), or O(ip_address) plus O(range)) within O(acl), or by
    its O(id). Networks compare by what they admit, so V(203.0.113.5/24) on the server is the range
    V(203.0.113.0/24).
  - Only O(description) is updated in place; to move a range to another network give its O(id) with the
    new network, or add the new range and then delete the old one.
author:
  - sinch.est contributors (@sinch-est)
options:
  acl:
    description:
      - The ACL that holds the range, by id or by name. A name that two ACLs share fails the task; use the
        id then.
    type: str
    required: true
  id:
    description:
      - The range's id. Addresses an existing range directly; it is an error if the ACL has no range with
        it (a range is never created from an id).
      - Use it with O(cidr) or O(ip_address) to change the network of an existing range.
    type: str
  cidr:
    description:
      - The network in CIDR notation, for example V(203.0.113.0/24), or a single address such as
        V(198.51.100.7) (a V(/32)).
      - If host bits are set (V(203.0.113.5/24)) the task warns and uses the network address
        (V(203.0.113.0/24)), which is what the range admits.
      - One of O(cidr), O(ip_address) or O(id) is required.
    type: str
  ip_address:
    description:
      - The network's IPv4 address, for example V(203.0.113.0). Use with O(range).
    type: str
  range:
    description:
      - The prefix length (1 to 32) of the network starting at O(ip_address); Sinch refuses V(0).
      - Defaults to V(32) (the single address) when O(ip_address) is given without it.
    type: int
  description:
    description:
      - A note on the range, for example V(SBC primary).
      - When left out, the range's description on the server is kept.
    type: str
  state:
    description:
      - V(present) adds the range or updates its description.
      - V(absent) deletes it; nothing happens when the ACL does not have it, also when O(acl) names no ACL
        (a warning says so). Calls from the range are
        refused from then on, unless another range admits them.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_acl
  - module: sinch.est.est_acl_info
  - name: EST API reference for access control lists
    description: Sinch's reference of the IP range operations this module uses.
    link: https://developers.sinch.com/docs/est/api-reference/est/access-control-list/
"""

EXAMPLES = r"""
- name: Admit the Berlin office network
  sinch.est.est_ip_range:
    acl: Offices
    cidr: 192.0.2.0/26
    description: Berlin office

- name: Admit one SBC address
  sinch.est.est_ip_range:
    acl: 01HZX3V4Q9C0R8M6S7T5W2Y1AC
    ip_address: 198.51.100.10
    description: SBC primary

- name: Stop admitting the old office network
  sinch.est.est_ip_range:
    acl: Offices
    cidr: 192.0.2.0/26
    state: absent
"""

RETURN = r"""
ip_range:
  description:
    - The range as the API returned it (keys in snake_case); in check mode, the range as it would be.
    - An empty dictionary when O(state=absent).
  returned: always
  type: dict
  contains:
    id:
      description: The range's id (absent for a range that check mode predicts).
      type: str
      sample: 01HZX3V4Q9C0R8M6S7T5W2Y1AD
    ip_address:
      description: The network's address.
      type: str
      sample: 192.0.2.0
    range:
      description: The prefix length.
      type: int
      sample: 26
    description:
      description: The note on the range.
      type: str
      sample: Berlin office
    access_control_list_id:
      description: The ACL the range belongs to.
      type: str
      sample: 01HZX3V4Q9C0R8M6S7T5W2Y1AC
    project_id:
      description: The project the range belongs to.
      type: str
      sample: 5f4d1c2e-0000-4000-8000-000000000000
    create_time:
      description: When the range was created (UTC).
      type: str
      sample: "2026-01-14T08:08:48Z"
    update_time:
      description: When the range was last changed (UTC); null before the first change.
      type: str
      sample: null
"""

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._module import run_module
from ansible_collections.sinch.est.plugins.module_utils._resource import EstResource, Field, Parent
from ansible_collections.sinch.est.plugins.module_utils._ip_ranges import ip_range_body, ip_range_key
from ansible_collections.sinch.est.plugins.module_utils._validation import Problems


class IpRange(EstResource):
    noun = "IP range"
    result_key = "ip_range"
    collection = paths.IP_RANGES
    item = paths.IP_RANGE
    item_readable = False  # the API has no GET of a single range: an id is looked up in the ACL's list
    fields = {"ip_address": Field("ipAddress"), "range": Field("range"), "description": Field("description")}
    identity = ()  # the network, compared by matches()
    unique_identity = False
    create_defaults = {"description": ""}

    def validate(self, problems):
        if self.params["cidr"] is not None or self.params["ip_address"] is not None:
            ip_range_body("", self.params, problems, self.warn)
        elif self.params["range"] is not None:
            problems.add("range: give ip_address with it (or use cidr)")

    def desired_network(self):
        """The range the options give, as the API's body (None when they give none); validate()
        reported its problems and warnings already."""
        if self.params["cidr"] is None and self.params["ip_address"] is None:
            return None
        return ip_range_body("", self.params, Problems(), lambda _warning: None)

    def label(self, target):
        network = self.desired_network()
        if self.params["id"]:
            return f"{self.noun} {self.params['id']}{self.parent.label}"
        if network:
            return f"{self.noun} {ip_range_key(network)}{self.parent.label}"
        return f"{self.noun}{self.parent.label}"

    def resolve_parents(self):
        label = f" of access control list {self.params['acl']!r}"
        unknown = []
        found = self.resolve_named(paths.ACLS, [self.params["acl"]], "acl", "access control list", unknown=unknown)
        if not found:
            self.parent_missing(f"acl: no access control list with id or name {self.params['acl']!r} in project "
                                f"{self.client.project_id}")
            return Parent(path_params={"acl_id": None}, label=label, absent=True)
        return Parent(path_params={"acl_id": found[0]["id"]}, label=label, found=found[0])

    def matches(self, item, target):
        return ip_range_key(item) == ip_range_key(self.desired_network())

    def desired_state(self, target):
        network = self.desired_network()
        desired = dict(network or {})
        if network and target.current is not None and ip_range_key(target.current) == ip_range_key(network):
            # Same network: keep the address as stored (it may carry host bits); only the description may change.
            desired = {}
        if self.params["description"] is not None:
            desired["description"] = self.params["description"]
        return desired

    def check_desired(self, target):
        if target.current is None and not self.desired_network():
            self.fail(f"{self.label(target)} does not exist; to add it set cidr or ip_address")


def main():
    run_module(
        IpRange,
        dict(
            acl=dict(type="str", required=True),
            id=dict(type="str"),
            cidr=dict(type="str"),
            ip_address=dict(type="str"),
            range=dict(type="int"),
            description=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        required_one_of=[("id", "cidr", "ip_address")],
        mutually_exclusive=[("cidr", "ip_address"), ("cidr", "range")],
    )


if __name__ == "__main__":
    main()
