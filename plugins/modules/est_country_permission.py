#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_country_permission
short_description: Allow or block outbound calls to countries in Sinch Elastic SIP Trunking
version_added: 0.1.0
description:
  - Turns the country permissions of a Sinch Elastic SIP Trunking (EST) project on or off. A country
    permission decides whether calls from your trunks to numbers of that country are allowed.
  - Each project has a fixed list of countries (plus V(*), every other destination); they cannot be
    created or deleted, only enabled or disabled, so this module has no C(state) option.
  - Either set one country with O(iso_code) and O(enabled), or give the complete list of enabled countries
    with O(enabled_countries); exactly those are then enabled and every other one is disabled.
  - Permissions belong to one project. A sub-project has its own permissions, which override the parent
    project's; run the module with the sub-project's O(project_id) to change them.
  - While the feature is in beta, Sinch supports permissions for V(US), V(CA) and V(*) only; other countries
    the project lists can be changed, but may have no effect on calls yet.
  - Countries are enabled before others are disabled, so a change never blocks traffic that both the old
    and the new setting allow.
author:
  - sinch.est contributors (@sinch-est)
options:
  iso_code:
    description:
      - The two-letter ISO 3166-1 code of one country, in any case (V(US), V(ca)), or V(*) for every
        destination without a permission of its own.
      - It must be one of the countries the project lists (see M(sinch.est.est_country_permission_info));
        an unknown code fails the task before anything is changed.
      - Requires O(enabled). Cannot be used with O(enabled_countries).
    type: str
  enabled:
    description:
      - Whether calls to O(iso_code) are allowed.
      - Requires O(iso_code).
    type: bool
  enabled_countries:
    description:
      - The complete list of countries to allow, as ISO codes in any case (V(*) included).
      - Every listed country is enabled and every country the project lists but this list does not is
        disabled. An empty list disables every country, which blocks all outbound calls.
      - Cannot be used with O(iso_code) or O(enabled).
    type: list
    elements: str
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_country_permission_info
  - module: sinch.est.est_call_blocking_rule
  - name: EST API reference for country permissions
    description: Sinch's reference of the country permission operations this module uses.
    link: https://developers.sinch.com/docs/est/api-reference/est/country-permissions/
"""

EXAMPLES = r"""
- name: Allow calls to Canada
  sinch.est.est_country_permission:
    iso_code: CA
    enabled: true

- name: Block calls to every destination without a permission of its own
  sinch.est.est_country_permission:
    iso_code: "*"
    enabled: false

- name: Allow the United States and Canada only, block everything else
  sinch.est.est_country_permission:
    enabled_countries:
      - US
      - CA
"""

RETURN = r"""
country_permissions:
  description:
    - Every country permission of the project after the change (keys in snake_case); in check mode, as they
      would be.
  returned: always
  type: list
  elements: dict
  contains:
    iso_code:
      description: The ISO 3166-1 code of the country, or V(*).
      type: str
      sample: US
    name:
      description: The country's name.
      type: str
      sample: United States
    continent:
      description: The continent the country is on.
      type: str
      sample: North America
    country_dialing_codes:
      description: The dialing codes of the country.
      type: list
      elements: str
      sample: ["+1"]
    enabled:
      description: Whether calls to the country are allowed.
      type: bool
      sample: true
"""

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._module import EstModule, run_module, snake
from ansible_collections.sinch.est.plugins.module_utils._validation import check_iso_code


class CountryPermissions(EstModule):
    noun = "country permission"

    def validate(self, problems):
        if self.params["iso_code"] is not None:
            problems.add(check_iso_code("iso_code", self.params["iso_code"], star=True))
        for code in self.params["enabled_countries"] or []:
            problems.add(check_iso_code("enabled_countries", code, star=True))

    def desired_state(self):
        """{ISO code: enabled} for the countries the task names (all of them for enabled_countries)."""
        if self.params["enabled_countries"] is None:
            return {self.params["iso_code"].upper(): self.params["enabled"]}
        return {code.upper(): True for code in self.params["enabled_countries"]}

    def run(self):
        desired = self.desired_state()
        with self.step("Reading the country permissions"):
            current = self.client.get(paths.COUNTRY_PERMISSIONS.template).get("countryPermissions") or []
        enabled_before = {item["isoCode"].upper(): bool(item.get("enabled")) for item in current}

        unknown = sorted(code for code in desired if code not in enabled_before)
        if unknown:
            option = "iso_code" if self.params["enabled_countries"] is None else "enabled_countries"
            self.fail(f"{option}: {', '.join(unknown)} not in the country permissions of project {self.client.project_id} "
                      f"(known: {', '.join(sorted(enabled_before))}); nothing was changed")
        if self.params["enabled_countries"] is not None:
            desired = {code: code in desired for code in enabled_before}

        changes = {code: enabled for code, enabled in desired.items() if enabled_before[code] != enabled}
        after = {item["isoCode"].upper(): dict(item) for item in current}
        for code, enabled in changes.items():
            after[code]["enabled"] = enabled
        for code in sorted(changes):
            self.record_change(f"{'Enabling' if changes[code] else 'Disabling'} country permission {code}")
        if not self.check_mode:
            # Enable before disable: between the two phases no call is blocked that both settings allow.
            for enabled in (True, False):
                codes = sorted(code for code, wanted in changes.items() if wanted is enabled)
                for code, answer in zip(codes, self.each(codes, lambda code, enabled=enabled: self.put(code, enabled))):
                    if isinstance(answer, dict) and answer.get("isoCode"):
                        after[code] = answer

        enabled_after = {code: bool(item.get("enabled")) for code, item in after.items()}
        self.exit(before=enabled_before, after=enabled_after,
                  country_permissions=[snake(after[item["isoCode"].upper()]) for item in current])

    def put(self, code, enabled):
        with self.step(f"{'Enabling' if enabled else 'Disabling'} country permission {code}"):
            return self.client.put(paths.COUNTRY_PERMISSION.path(iso_code=code), {"enabled": enabled})


def main():
    run_module(
        CountryPermissions,
        dict(
            iso_code=dict(type="str"),
            enabled=dict(type="bool"),
            enabled_countries=dict(type="list", elements="str"),
        ),
        required_one_of=[("iso_code", "enabled_countries")],
        required_together=[("iso_code", "enabled")],
        mutually_exclusive=[("iso_code", "enabled_countries"), ("enabled", "enabled_countries")],
    )


if __name__ == "__main__":
    main()
