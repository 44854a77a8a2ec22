#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_endpoint_info
short_description: List the SIP endpoints of Sinch Elastic SIP Trunking trunks
version_added: 0.1.0
description:
  - Returns the SIP endpoints of one trunk of a Sinch Elastic SIP Trunking (EST) project, or of every trunk,
    optionally only those with one name.
  - Never changes anything. Returns an empty list when nothing matches, also when O(trunk) names no trunk.
author:
  - sinch.est contributors (@sinch-est)
options:
  trunk:
    description:
      - Only the endpoints of this trunk, given by id or host name (an exact id match wins).
      - Without it, the endpoints of every trunk of the project (one request per trunk).
    type: str
  name:
    description:
      - Only endpoints with exactly this name. Endpoint names are not unique, so several may match.
    type: str
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes.info_module
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_endpoint
  - module: sinch.est.est_trunk_info
  - name: EST API reference for SIP endpoints
    description: Sinch's reference of the endpoint operations this module uses.
    link: https://developers.sinch.com/docs/est/api-reference/est/sip-endpoints/
"""

EXAMPLES = r"""
- name: Read every endpoint of every trunk
  sinch.est.est_endpoint_info:
  register: all_endpoints

- name: Read the endpoints of one trunk
  sinch.est.est_endpoint_info:
    trunk: acme-prod
  register: acme_endpoints

- name: Show the addresses EST sends calls to, lowest priority first
  ansible.builtin.debug:
    msg: "{{ acme_endpoints.endpoints | sort(attribute='priority') | map(attribute='address') | list }}"

- name: Read the endpoints named pbx-1 on any trunk
  sinch.est.est_endpoint_info:
    name: pbx-1
  register: pbx
"""

RETURN = r"""
endpoints:
  description:
    - The endpoints found (keys in snake_case), trunk by trunk in the order the API lists them.
    - A static endpoint has C(address) and C(port); a registered one C(is_registered) and C(credential_username).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 01HZX4B7M2N8P5Q3R9S6T1V0WX
      sip_trunk_id: 01HZX3V4Q9C0R8M6S7T5W2Y1AB
      name: pbx-1
      address: 203.0.113.10
      port: 5060
      transport: UDP
      priority: 1
      enabled: true
      create_time: "2026-01-14T08:10:02Z"
      update_time: null
"""

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError
from ansible_collections.sinch.est.plugins.module_utils._module import EstModule, run_module, snake


class EndpointInfo(EstModule):
    noun = "endpoint"

    def run(self):
        if self.params["trunk"]:
            trunk_ids = [self.trunk_filter(self.params["trunk"])]
        else:
            with self.step("Reading trunks"):
                trunk_ids = [trunk["id"] for trunk in self.list_all(paths.TRUNKS)]
        endpoints = []
        for trunk_id in trunk_ids:
            with self.step(f"Reading the endpoints of trunk {trunk_id}"):
                found = self.endpoints_of(trunk_id)
            endpoints += [snake(endpoint) for endpoint in found
                          if self.params["name"] is None or endpoint.get("name") == self.params["name"]]
        self.exit(endpoints=endpoints)

    def endpoints_of(self, trunk_id):
        """The trunk's endpoints; none for a trunk id that no trunk has."""
        try:
            return list(self.list_all(paths.ENDPOINTS, trunk_id=trunk_id))
        except EstApiError as error:
            if error.not_found:
                return []
            raise


def main():
    run_module(EndpointInfo, dict(trunk=dict(type="str"), name=dict(type="str")))


if __name__ == "__main__":
    main()
