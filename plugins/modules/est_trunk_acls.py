#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_trunk_acls
short_description: Bind access control lists to a Sinch Elastic SIP Trunking trunk
version_added: 0.1.0
description:
  - Add access control lists (ACLs) to a SIP trunk of a Sinch Elastic SIP Trunking (EST) project,
    remove them, or make the trunk's set of ACLs exactly the one given.
  - EST accepts outbound calls on a trunk only from the IP ranges in the ACLs bound to it, so
    binding an ACL opens the trunk to its addresses and unbinding closes it.
  - The binding is additive by default (O(purge=false)), so several plays can each bind their own
    ACLs to the same trunk. Use O(purge=true) when this task owns the whole set.
  - All additions are sent in one request before any removal, so replacing one ACL by another
    never leaves the trunk without the one meant to stay.
  - Sinch takes up to 60 seconds to apply a binding change at its SIP edge; calls from a newly allowed
    range may be refused (SIP 403) until then.
  - Removing the last ACL of a trunk succeeds with a warning, since the trunk cannot place outbound
    calls without one.
  - Create the ACLs themselves with M(sinch.est.est_acl).
author:
  - sinch.est contributors (@sinch-est)
options:
  trunk:
    description:
      - The trunk, by id or by host name (for example V(acme-prod)). An exact id match wins.
    type: str
    required: true
  acls:
    description:
      - The ACLs, each by id or by name. An exact id match wins; a name that two ACLs share fails
        the task naming both ids (ACL names are not unique), so use the id then.
      - With O(state=present), a name or id that matches no ACL fails the task before any change.
      - With O(state=absent), one that matches no ACL is not bound, so there is nothing to remove;
        the task warns and goes on (removing an ACL that a later task deleted stays idempotent).
      - An empty list with O(purge=true) removes every ACL from the trunk.
    type: list
    elements: str
    required: true
  state:
    description:
      - V(present) binds the listed ACLs that are not bound yet (and with O(purge=true) unbinds the
        others).
      - V(absent) unbinds the listed ACLs that are bound; the ACLs themselves are not deleted. When
        O(trunk) names no trunk nothing is bound, so nothing happens (a warning says so).
    type: str
    choices: [present, absent]
    default: present
  purge:
    description:
      - With O(state=present), also unbind every ACL of the trunk that is not in O(acls), so the
        trunk ends up with exactly the listed ACLs.
      - Not allowed with O(state=absent).
    type: bool
    default: false
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes
  - sinch.est.attributes.actiongroup
notes:
  - The diff shows the trunk's ACLs, with ids and names, before and after.
seealso:
  - module: sinch.est.est_acl
  - module: sinch.est.est_acl_info
  - module: sinch.est.est_trunk
  - module: sinch.est.est_trunk_credential_lists
  - name: EST API reference for SIP trunks (access control lists of a trunk)
    description: Sinch's reference of the trunk operations this module uses.
    link: https://developers.sinch.com/docs/est/api-reference/est/sip-trunks/
  - name: EST API reference
    description: The whole Elastic SIP Trunking API reference.
    link: https://developers.sinch.com/docs/est/api-reference/est/
"""

EXAMPLES = r"""
- name: Let the office SBCs place calls on the trunk
  sinch.est.est_trunk_acls:
    trunk: acme-prod
    acls:
      - office-sbcs

- name: Make the trunk's ACLs exactly these two
  sinch.est.est_trunk_acls:
    trunk: acme-prod
    acls:
      - office-sbcs
      - 01HZX3V4Q9C0R8M6S7T5W2Y1CD
    purge: true

- name: Stop accepting calls from the old data center
  sinch.est.est_trunk_acls:
    trunk: acme-prod
    acls:
      - old-dc
    state: absent
"""

RETURN = r"""
acl_ids:
  description:
    - The ids of the ACLs bound to the trunk after the task; in check mode, as they would be.
  returned: always
  type: list
  elements: str
  sample:
    - 01HZX3V4Q9C0R8M6S7T5W2Y1CD
    - 01HZX3V4Q9C0R8M6S7T5W2Y1EF
"""

from ansible_collections.sinch.est.plugins.module_utils import _binding as binding
from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._module import run_module


class TrunkAclBindings(binding.EstBinding):
    bindings = binding.TrunkAcls
    result_key = "acl_ids"
    named = paths.ACLS
    emptied_warning = ("EST accepts outbound calls only from the IP ranges of a trunk's ACLs, so it cannot place "
                       "outbound calls until one is bound again")


def main():
    run_module(
        TrunkAclBindings,
        dict(
            trunk=dict(type="str", required=True),
            acls=dict(type="list", elements="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            purge=dict(type="bool", default=False),
        ),
    )


if __name__ == "__main__":
    main()
