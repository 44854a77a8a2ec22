#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_acl_info
short_description: List Sinch Elastic SIP Trunking access control lists
version_added: 0.1.0
description:
  - Returns the access control lists (ACLs) of a Sinch Elastic SIP Trunking (EST) project, all of them or those
    named by O(name) or O(id), each with its IP ranges and the ids of the trunks it is bound to.
  - Reads each ACL's C(ipRanges) and C(trunks) sub-resources (two requests per ACL), so the answer does not
    depend on which fields the ACL list itself embeds.
  - Never changes anything. Returns an empty list when nothing matches.
author:
  - sinch.est contributors (@sinch-est)
options:
  id:
    description:
      - Only the ACL with this id.
    type: str
  name:
    description:
      - Only ACLs with exactly this name. ACL names are not unique on the server, so several may match.
    type: str
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes.info_module
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_acl
  - module: sinch.est.est_ip_range
  - module: sinch.est.est_trunk_acls
  - name: EST API reference for access control lists
    description: Sinch's reference of the ACL and IP range operations this module uses.
    link: https://developers.sinch.com/docs/est/api-reference/est/access-control-list/
"""

EXAMPLES = r"""
- name: Read every ACL with its ranges and trunks
  sinch.est.est_acl_info:
  register: acls

- name: Read the ACL named office
  sinch.est.est_acl_info:
    name: office
  register: office

- name: Show the networks it lets in
  ansible.builtin.debug:
    msg: "{{ office.acls[0].ip_ranges | map(attribute='ip_address') | list }}"
  when: office.acls | length > 0
"""

RETURN = r"""
acls:
  description: The ACLs found (keys in snake_case), in the order the API lists them.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The ACL's id.
      type: str
    name:
      description: The ACL's name.
      type: str
    enabled:
      description: Whether the ACL is in force.
      type: bool
    ip_ranges:
      description: The ACL's IP ranges (C(ip_address), C(range) the prefix length, C(description), C(id)).
      type: list
      elements: dict
    trunks:
      description: The ids of the trunks the ACL is bound to.
      type: list
      elements: str
    create_time:
      description: When the ACL was created.
      type: str
    update_time:
      description: When the ACL was last changed (null before the first change).
      type: str
  sample:
    - id: 01HZX6D9P4Q0R7S5T1V8W3X2YZ
      name: office
      enabled: true
      ip_ranges:
        - id: 01HZX6DA0B1C2D3E4F5G6H7J8K
          ip_address: 203.0.113.0
          range: 24
          description: office network
          access_control_list_id: 01HZX6D9P4Q0R7S5T1V8W3X2YZ
      trunks: [01HZX3V4Q9C0R8M6S7T5W2Y1AB]
      project_id: 5f4d1c2e-0000-4000-8000-000000000000
      create_time: "2026-01-14T08:15:00Z"
      update_time: null
"""

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils import _trunks as trunks
from ansible_collections.sinch.est.plugins.module_utils._module import EstModule, run_module, snake


class AclInfo(EstModule):
    noun = "ACL"

    def run(self):
        with self.step("Reading access control lists"):
            if self.params["id"]:
                acl = self.get_or_none(paths.ACL, acl_id=self.params["id"])
                acls = [acl] if acl else []
            else:
                acls = [acl for acl in self.list_all(paths.ACLS)
                        if self.params["name"] is None or acl.get("name") == self.params["name"]]
        self.exit(acls=[self.with_children(acl) for acl in acls])

    def with_children(self, acl):
        with self.step(f"Reading the IP ranges and trunks of ACL {acl['id']}"):
            ip_ranges = list(self.list_all(paths.IP_RANGES, acl_id=acl["id"]))
            bound = [trunk.get("id") for trunk in trunks.bound_trunks(self.client, paths.ACL_TRUNKS, acl_id=acl["id"])]
        return snake(dict(acl, ipRanges=ip_ranges, trunks=bound))


def main():
    run_module(AclInfo, dict(id=dict(type="str"), name=dict(type="str")), mutually_exclusive=[("id", "name")])


if __name__ == "__main__":
    main()
