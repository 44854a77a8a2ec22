#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_phone_number_info
short_description: List the phone numbers of Sinch Elastic SIP Trunking
version_added: 0.1.0
description:
  - Returns the EST-enabled phone numbers of a Sinch Elastic SIP Trunking (EST) project and the trunk each is
    routed to, one number by O(phone_number), or a list, optionally only the numbers of one O(trunk).
  - Never changes anything. Returns an empty list when nothing matches.
author:
  - sinch.est contributors (@sinch-est)
options:
  phone_number:
    description:
      - Only this number, in E.164 (V(+14155550100)). One request; an unknown number returns an empty list.
      - Cannot be combined with O(trunk) or O(sort); O(max_items) does not apply.
    type: str
  trunk:
    description:
      - Only the numbers routed to this trunk, given by id or host name (an exact id match wins). Sent as
        C(sipTrunkId). A value that names no trunk returns an empty list.
    type: str
  sort:
    description:
      - The order of the list, as the API takes it - a list of criteria, each C(property) or C(property,asc)
        or C(property,desc), the first deciding first, for example V([countryCode, phoneNumber,desc]).
        Properties the API sorts by include C(phoneNumber), C(countryCode), C(sipTrunkId), C(createTime) and
        C(updateTime). Sent as one C(sort) query value per criterion.
      - A single criterion may be given as a string (V(phoneNumber,desc)), as before.
    type: list
    elements: str
  max_items:
    description:
      - The most numbers to return. V(0) returns all of them.
      - Pages are read at up to 500 numbers and only as far as O(max_items) needs.
    type: int
    default: 1000
notes:
  - A number that was just routed with M(sinch.est.est_phone_number) shows its new C(sip_trunk_id) here once
    Sinch has provisioned the change.
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes.info_module
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_phone_number
  - name: EST API reference for phone numbers
    description: Sinch's reference of the phone number operations this module uses.
    link: https://developers.sinch.com/docs/est/api-reference/est/phone-numbers/
"""

EXAMPLES = r"""
- name: Read one number
  sinch.est.est_phone_number_info:
    phone_number: "+14155550100"
  register: number

- name: Read every number routed to a trunk, sorted
  sinch.est.est_phone_number_info:
    trunk: acme-prod
    sort: phoneNumber,asc
    max_items: 0
  register: acme_numbers

- name: Read every number, by country, then newest first
  sinch.est.est_phone_number_info:
    sort:
      - countryCode
      - createTime,desc
    max_items: 0
  register: by_country

- name: Show the numbers that are not routed to any trunk yet
  sinch.est.est_phone_number_info:
    max_items: 0
  register: all_numbers

- name: List them
  ansible.builtin.debug:
    msg: "{{ all_numbers.phone_numbers | rejectattr('sip_trunk_id') | map(attribute='phone_number') | list }}"
"""

RETURN = r"""
phone_numbers:
  description:
    - The numbers found (keys in snake_case), in the order the API lists them, at most O(max_items).
    - C(sip_trunk_id) is empty for a number not routed to an EST trunk.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 01HZX8F1R6S2T9V7W3X0Y5Z4AB
      phone_number: "+14155550100"
      sip_trunk_id: 01HZX3V4Q9C0R8M6S7T5W2Y1AB
      country_code: US
      create_time: "2026-01-14T08:00:00Z"
      update_time: "2026-01-14T08:20:00Z"
"""

import itertools
import re

from ansible_collections.sinch.est.plugins.module_utils._calls import page_size_for
from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._module import EstModule, run_module, snake
from ansible_collections.sinch.est.plugins.module_utils._validation import check_e164

NUMBERS_MAX_PAGE_SIZE = 500
SORT_PATTERN = re.compile(r"^[A-Za-z]+(,(asc|desc|ascending|descending))?$", re.IGNORECASE)
SORT_DIRECTIONS = ("asc", "desc", "ascending", "descending")


def sort_criteria(values):
    """The criteria of `sort`: ansible-core splits a single string such as 'phoneNumber,desc' at its
    comma into two items, so a direction item is joined back to the property before it."""
    criteria = []
    for value in values or []:
        text = str(value).strip()
        if text.lower() in SORT_DIRECTIONS and criteria and "," not in criteria[-1]:
            criteria[-1] = f"{criteria[-1]},{text}"
        else:
            criteria.append(text)
    return criteria


class PhoneNumberInfo(EstModule):
    noun = "phone number"

    def validate(self, problems):
        if self.params["phone_number"] is not None:
            problems.add(check_e164("phone_number", self.params["phone_number"]))
        for index, criterion in enumerate(sort_criteria(self.params["sort"])):
            if not SORT_PATTERN.match(criterion):
                problems.add(f"sort[{index}]: {criterion!r} is not property, property,asc or property,desc "
                             "(e.g. phoneNumber,desc)")
        if self.params["max_items"] < 0:
            problems.add(f"max_items: {self.params['max_items']} is negative; give 0 for all numbers or a positive limit")

    def run(self):
        if self.params["phone_number"]:
            with self.step(f"Reading phone number {self.params['phone_number']}"):
                number = self.get_or_none(paths.PHONE_NUMBER, phone_number=self.params["phone_number"])
            self.exit(phone_numbers=[snake(number)] if number else [])
        query = {}
        if self.params["trunk"]:
            query["sipTrunkId"] = self.trunk_filter(self.params["trunk"])
        sort = sort_criteria(self.params["sort"])
        if sort:
            query["sort"] = sort  # one sort= per criterion
        max_items = self.params["max_items"]
        with self.step("Reading phone numbers"):
            pages = self.list_all(paths.PHONE_NUMBERS, params=query, page_size=page_size_for(max_items, NUMBERS_MAX_PAGE_SIZE))
            found = [snake(number) for number in itertools.islice(pages, max_items or None)]
        self.exit(phone_numbers=found)


def main():
    run_module(
        PhoneNumberInfo,
        dict(
            phone_number=dict(type="str"),
            trunk=dict(type="str"),
            sort=dict(type="list", elements="str"),
            max_items=dict(type="int", default=1000),
        ),
        mutually_exclusive=[("phone_number", "trunk"), ("phone_number", "sort")],
    )


if __name__ == "__main__":
    main()
