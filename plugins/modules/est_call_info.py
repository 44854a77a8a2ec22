#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_call_info
short_description: Query Sinch Elastic SIP Trunking call records
version_added: 0.1.0
description:
  - Returns the call records (CDRs) of a Sinch Elastic SIP Trunking (EST) project that match every filter
    given, newest first, as C(GET /calls) lists them.
  - All filters are checked before any request; a bad value fails the task and names the option.
  - Pages are read at the largest size the API allows (1000 calls) and only as far as O(max_items) needs.
    O(max_items=100) costs one request for 100 calls, and memory grows with the calls returned, not with
    the calls the API holds.
  - Never changes anything. Returns an empty list when nothing matches.
  - The current API reference has O(from_country_code), O(to_country_code) and O(emergency_only) on the
    call export only, and a call object carries neither country. With any of them the module reads the
    export (page by page, with every filter), keeps the rows whose own C(fromCountryCode),
    C(toCountryCode) and C(emergency) columns match (whether or not the server applied the filter), and
    returns the calls of C(GET /calls) with those ids, each with RV(calls[].from_country_code),
    RV(calls[].to_country_code) and RV(calls[].emergency) from its row. An export without one of those
    columns fails the task instead of returning calls that may not match.
  - Use the P(sinch.est.call_stats#filter) filter on the result for answer-seizure ratio (ASR), average call
    duration (ACD), billed minutes and cost.
author:
  - sinch.est contributors (@sinch-est)
options:
  max_items:
    description:
      - The most calls to return (the newest ones). V(0) returns every matching call.
      - The page size is spread evenly over the pages needed, up to 1000 per page (the current API reference;
        the older one said 500), so no page past O(max_items) is ever read.
    type: int
    default: 1000
notes:
  - Calls are listed newest first and paged by number. A call made while the pages are read shifts the later
    pages by one; a call seen twice is returned once.
extends_documentation_fragment:
  - sinch.est.call_filters
  - sinch.est.connection
  - sinch.est.attributes.info_module
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_call_export
  - module: sinch.est.est_call_pcap
  - plugin: sinch.est.call_stats
    plugin_type: filter
  - name: EST API reference for calls
    description: Sinch's reference of C(GET /calls) and its filters.
    link: https://developers.sinch.com/docs/est/api-reference/est/calls/
"""

EXAMPLES = r"""
- name: Read yesterday's failed outbound calls on one trunk
  sinch.est.est_call_info:
    trunk: acme-prod
    direction: outbound
    call_result: [busy, no_answer, failed]
    create_time: "2024-02-01"
    max_items: 0
  register: failed_calls

- name: Read the last 100 calls of the past 12 hours to a UK number
  sinch.est.est_call_info:
    to_number: "+44"
    created_after: -12h
    max_items: 100
  register: uk_calls

- name: Read the calls of one week in February
  sinch.est.est_call_info:
    created_after: "2024-02-05"
    created_before: "2024-02-11"
    max_items: 0
  register: week

- name: Show ASR and ACD of that week
  ansible.builtin.debug:
    msg: "{{ week.calls | sinch.est.call_stats }}"
"""

RETURN = r"""
calls:
  description:
    - The matching calls (keys in snake_case), newest first, at most O(max_items).
    - Fields as the API sends them; C(answer_time) is missing for calls that were never answered.
  returned: always
  type: list
  elements: dict
  contains:
    call_id:
      description: The call's id (a ULID).
      type: str
    from:
      description: The caller's number (E.164).
      type: str
    to:
      description: The called number (E.164).
      type: str
    direction:
      description: V(INBOUND) or V(OUTBOUND).
      type: str
    create_time:
      description: When the call was created (UTC).
      type: str
    answer_time:
      description: When the call was answered (UTC); only for answered calls.
      type: str
    end_time:
      description: When the call ended (UTC).
      type: str
    duration_seconds:
      description: Inbound calls from the start (ringing included), outbound calls from the answer, to the end.
      type: int
    billing_duration_seconds:
      description: The duration billed (rounded up to the billing period).
      type: int
    call_result:
      description: V(COMPLETED), V(NO_ANSWER), V(CANCEL), V(BUSY) or V(FAILED).
      type: str
    price_per_minute:
      description: C(currency_code) and C(amount) (a decimal string).
      type: dict
    price:
      description: The call's total price, C(currency_code) and C(amount) (a decimal string).
      type: dict
    trunk_id:
      description: The trunk the call went through.
      type: str
    pcap_id:
      description: The id of the call's packet capture (see M(sinch.est.est_call_pcap)); kept 10 days.
      type: str
    from_country_code:
      description: The caller's country, from the call export. Only with a country or emergency filter.
      type: str
    to_country_code:
      description: The callee's country, from the call export. Only with a country or emergency filter.
      type: str
    emergency:
      description: Whether the call was an emergency call, from the call export. Only with a country or emergency filter.
      type: bool
    project_id:
      description: The project the call belongs to.
      type: str
  sample:
    - call_id: 01HPZ6K8W3X9V2N4Q7R5T1Y0AB
      from: "+14155550100"
      to: "+442071234567"
      direction: OUTBOUND
      create_time: "2024-02-01T08:00:00Z"
      answer_time: "2024-02-01T08:00:09Z"
      end_time: "2024-02-01T08:03:09Z"
      duration_seconds: 180
      billing_duration_seconds: 180
      call_result: COMPLETED
      price_per_minute: {currency_code: USD, amount: "0.0120"}
      price: {currency_code: USD, amount: "0.0360"}
      trunk_id: 01HZX3V4Q9C0R8M6S7T5W2Y1AB
      pcap_id: 0a81e938-07bd-1240-8487-0ecf41868d11
      project_id: 5f4d1c2e-0000-4000-8000-000000000000
"""

from ansible_collections.sinch.est.plugins.module_utils._call_module import CallFilterModule
from ansible_collections.sinch.est.plugins.module_utils._calls import (
    CALLS_MAX_PAGE_SIZE,
    call_filter_argument_spec,
    calls_query,
    export_matches,
    needs_export,
    page_size_for,
)
from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._module import run_module, snake


class CallInfo(CallFilterModule):
    def validate(self, problems):
        query = super().validate(problems)
        if self.params["max_items"] < 0:
            problems.add(f"max_items: {self.params['max_items']} is negative; give 0 for all calls or a positive limit")
        return query

    def run(self):
        query = dict(self.query, **self.trunk_query())
        max_items = self.params["max_items"]
        # The country and emergency filters are the export's: the calls are checked against its rows
        verified = export_matches(self.export_pages(query), query) if needs_export(query) else None
        page_size = page_size_for(max_items, CALLS_MAX_PAGE_SIZE) if verified is None else CALLS_MAX_PAGE_SIZE
        calls = []
        seen = set()
        with self.step("Reading calls"):
            for call in self.list_all(paths.CALLS, params=calls_query(query), page_size=page_size):
                call_id = call.get("callId")
                if call_id is not None:
                    if call_id in seen:
                        continue
                    seen.add(call_id)
                if verified is not None:
                    if call_id not in verified:
                        continue
                    call = dict(call, **verified[call_id])
                calls.append(snake(call))
                if len(calls) == max_items:
                    break
        self.exit(calls=calls)


def main():
    spec = call_filter_argument_spec()
    spec.update(max_items=dict(type="int", default=1000))
    run_module(CallInfo, spec)


if __name__ == "__main__":
    main()
