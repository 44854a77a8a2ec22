#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_trunk_credential_lists
short_description: Bind credential lists to a Sinch Elastic SIP Trunking trunk
version_added: 0.1.0
description:
  - Add credential lists to a SIP trunk of a Sinch Elastic SIP Trunking (EST) project, remove
    them, or make the trunk's set of credential lists exactly the one given.
  - A registered endpoint of a trunk (M(sinch.est.est_endpoint) with a C(credential_username))
    authenticates with a username from a credential list bound to that trunk, so bind the list
    before you create such an endpoint.
  - The binding is additive by default (O(purge=false)), so several plays can each bind their own
    lists to the same trunk. Use O(purge=true) when this task owns the whole set.
  - Additions alone are sent in one C(POST) (it appends). Whenever a list must be unbound, the whole
    new set is written with one C(PUT) (it replaces the set atomically), so replacing one list by another
    never leaves registered endpoints without the credentials meant to stay.
  - Sinch takes up to 60 seconds to apply a binding change at its SIP edge; a registered endpoint may get
    401 to its REGISTER until then.
  - Create the credential lists themselves with M(sinch.est.est_credential_list).
author:
  - sinch.est contributors (@sinch-est)
options:
  trunk:
    description:
      - The trunk, by id or by host name (for example V(acme-prod)). An exact id match wins.
    type: str
    required: true
  credential_lists:
    description:
      - The credential lists, each by id or by name. An exact id match wins; a name that two lists
        share fails the task naming both ids (names are not unique), so use the id then.
      - With O(state=present), a name or id that matches no credential list fails the task before
        any change.
      - With O(state=absent), one that matches no credential list is not bound, so there is
        nothing to remove; the task warns and goes on (removing a list that a later task deleted
        stays idempotent).
      - An empty list with O(purge=true) removes every credential list from the trunk.
    type: list
    elements: str
    required: true
  state:
    description:
      - V(present) binds the listed credential lists that are not bound yet (and with
        O(purge=true) unbinds the others).
      - V(absent) unbinds the listed credential lists that are bound; the lists themselves are not
        deleted. When O(trunk) names no trunk nothing is bound, so nothing happens (a warning says so).
    type: str
    choices: [present, absent]
    default: present
  purge:
    description:
      - With O(state=present), also unbind every credential list of the trunk that is not in
        O(credential_lists), so the trunk ends up with exactly the listed ones.
      - Not allowed with O(state=absent).
    type: bool
    default: false
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes
  - sinch.est.attributes.actiongroup
notes:
  - The diff shows the trunk's credential lists, with ids and names, before and after.
  - Unbinding a list whose usernames registered endpoints of the trunk use stops those endpoints
    from registering; move them to another list's username first.
seealso:
  - module: sinch.est.est_credential_list
  - module: sinch.est.est_credential_list_info
  - module: sinch.est.est_endpoint
  - module: sinch.est.est_trunk_acls
  - name: EST API reference for SIP trunks (credential lists of a trunk)
    description: Sinch's reference of the trunk operations this module uses.
    link: https://developers.sinch.com/docs/est/api-reference/est/sip-trunks/
  - name: EST API reference
    description: The whole Elastic SIP Trunking API reference.
    link: https://developers.sinch.com/docs/est/api-reference/est/
"""

EXAMPLES = r"""
- name: Let the branch phones register on the trunk
  sinch.est.est_trunk_credential_lists:
    trunk: acme-prod
    credential_lists:
      - branch-phones

- name: Make the trunk's credential lists exactly this one
  sinch.est.est_trunk_credential_lists:
    trunk: 01HZX3V4Q9C0R8M6S7T5W2Y1AB
    credential_lists:
      - branch-phones
    purge: true

- name: Unbind a retired list
  sinch.est.est_trunk_credential_lists:
    trunk: acme-prod
    credential_lists:
      - old-phones
    state: absent
"""

RETURN = r"""
credential_list_ids:
  description:
    - The ids of the credential lists bound to the trunk after the task; in check mode, as they
      would be.
  returned: always
  type: list
  elements: str
  sample:
    - 01HZX3V4Q9C0R8M6S7T5W2Y1GH
"""

from ansible_collections.sinch.est.plugins.module_utils import _binding as binding
from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._module import run_module


class TrunkCredentialListBindings(binding.EstBinding):
    bindings = binding.TrunkCredentialLists
    result_key = "credential_list_ids"
    named = paths.CREDENTIAL_LISTS


def main():
    run_module(
        TrunkCredentialListBindings,
        dict(
            trunk=dict(type="str", required=True),
            credential_lists=dict(type="list", elements="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            purge=dict(type="bool", default=False),
        ),
    )


if __name__ == "__main__":
    main()
