#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_country_permission_info
short_description: List Sinch Elastic SIP Trunking country permissions
version_added: 0.1.0
description:
  - Returns the country permissions of a Sinch Elastic SIP Trunking (EST) project (which countries outbound calls
    may reach), all of them or the one of O(iso_code).
  - One request (C(GET /countryPermissions) is not paged).
  - Never changes anything. Returns an empty list when nothing matches.
author:
  - sinch.est contributors (@sinch-est)
options:
  iso_code:
    description:
      - Only the permission of this country, a two-letter ISO 3166-1 code (any case) or V(*) (all other
        countries).
    type: str
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes.info_module
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_country_permission
  - name: EST API reference for country permissions
    description: Sinch's reference of the country permission operations this module uses.
    link: https://developers.sinch.com/docs/est/api-reference/est/country-permissions/
"""

EXAMPLES = r"""
- name: Read every country permission
  sinch.est.est_country_permission_info:
  register: permissions

- name: Show the countries calls may reach
  ansible.builtin.debug:
    msg: "{{ permissions.country_permissions | selectattr('enabled') | map(attribute='iso_code') | list }}"

- name: Read the permission for Canada
  sinch.est.est_country_permission_info:
    iso_code: ca
  register: canada
"""

RETURN = r"""
country_permissions:
  description: The permissions found (keys in snake_case), in the order the API lists them.
  returned: always
  type: list
  elements: dict
  sample:
    - iso_code: CA
      name: Canada
      continent: North America
      country_dialing_codes: ["+1"]
      enabled: true
"""

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._module import EstModule, run_module, snake
from ansible_collections.sinch.est.plugins.module_utils._validation import check_iso_code


class CountryPermissionInfo(EstModule):
    noun = "country permission"

    def validate(self, problems):
        if self.params["iso_code"] is not None:
            problems.add(check_iso_code("iso_code", self.params["iso_code"], star=True))

    def run(self):
        with self.step("Reading country permissions"):
            answer = self.client.get(paths.COUNTRY_PERMISSIONS.template)
        # The references answer {"countryPermissions": [...]}; a bare list is read the same way.
        permissions = answer.get("countryPermissions", []) if isinstance(answer, dict) else answer or []
        wanted = self.params["iso_code"]
        if wanted is not None:
            permissions = [item for item in permissions if str(item.get("isoCode", "")).upper() == wanted.upper()]
        self.exit(country_permissions=snake(permissions))


def main():
    run_module(CountryPermissionInfo, dict(iso_code=dict(type="str")))


if __name__ == "__main__":
    main()
