#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_trunk_info
short_description: List Sinch Elastic SIP Trunking SIP trunks
version_added: 0.1.0
description:
  - Returns the SIP trunks of a Sinch Elastic SIP Trunking (EST) project, all of them or the one
    named by O(host_name) or O(id).
  - Never changes anything. Returns an empty list when nothing matches.
author:
  - sinch.est contributors (@sinch-est)
options:
  id:
    description:
      - Return only the trunk with this id.
    type: str
  host_name:
    description:
      - Return only the trunk with this host name (the part before C(.pstn.sinch.com)).
    type: str
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes.info_module
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_trunk
  - name: EST API reference for SIP trunks
    description: Sinch's reference of the SIP trunk operations this module uses.
    link: https://developers.sinch.com/docs/est/api-reference/est/sip-trunks/
"""

EXAMPLES = r"""
- name: Read every trunk of the project
  sinch.est.est_trunk_info:
  register: all_trunks

- name: Read one trunk by host name
  sinch.est.est_trunk_info:
    host_name: acme-prod
  register: acme

- name: Show its SIP domain
  ansible.builtin.debug:
    msg: "{{ acme.trunks[0].domain }}"
  when: acme.trunks | length > 0
"""

RETURN = r"""
trunks:
  description: The trunks found (keys in snake_case), in the order the API lists them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 01HZX3V4Q9C0R8M6S7T5W2Y1AB
      name: ACME production trunk
      host_name: acme-prod
      top_level_domain: .pstn.sinch.com
      domain: acme-prod.pstn.sinch.com
      enable_caller_name: true
      enable_call_forward: false
      call_forward_number: ""
      calls_per_second: 1
      project_id: 5f4d1c2e-0000-4000-8000-000000000000
      create_time: "2026-01-14T08:08:48Z"
      update_time: null
"""

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils import _trunks as trunks
from ansible_collections.sinch.est.plugins.module_utils._module import EstModule, run_module, snake
from ansible_collections.sinch.est.plugins.module_utils._validation import check_host_name


class TrunkInfo(EstModule):
    noun = "trunk"

    def validate(self, problems):
        if self.params["host_name"] is not None:
            problems.add(check_host_name("host_name", self.params["host_name"]))

    def run(self):
        with self.step("Reading trunks"):
            if self.params["id"]:
                trunk = self.get_or_none(paths.TRUNK, trunk_id=self.params["id"])
                found = [trunk] if trunk else []
            elif self.params["host_name"]:
                trunk = trunks.find_trunk_by_host_name(self.client, self.params["host_name"])
                found = [trunk] if trunk else []
            else:
                found = list(self.list_all(paths.TRUNKS))
        self.exit(trunks=snake(found))


def main():
    run_module(
        TrunkInfo,
        dict(id=dict(type="str"), host_name=dict(type="str")),
        mutually_exclusive=[("id", "host_name")],
    )


if __name__ == "__main__":
    main()
