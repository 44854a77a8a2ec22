# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
name: call_stats
short_description: Answer-seizure ratio, average call duration, minutes and cost of EST call records
version_added: 0.1.0
author:
  - sinch.est contributors (@sinch-est)
description:
  - Summarises a list of Sinch Elastic SIP Trunking call records, as M(sinch.est.est_call_info) returns them
    (snake_case keys; camelCase API objects are read too), overall and grouped by trunk, direction, result or day.
  - C(total) counts every call attempt; C(answered) the calls whose C(call_result) is V(COMPLETED) (any case).
  - C(asr), the answer-seizure ratio, is C(answered) / C(total) as a fraction from 0 to 1, rounded to 4 decimals.
    Every attempt counts, V(CANCEL) (the caller hung up before an answer) included, as carriers compute ASR.
    It is V(null) when there are no calls.
  - C(acd_seconds), the average call duration, is the mean of C(end_time) - C(answer_time) over the answered calls
    that carry both, in seconds rounded to 1 decimal; V(null) when no call was answered. It is not
    C(duration_seconds), which for inbound calls includes the ringing.
  - C(minutes) is the billed minutes, the sum of C(billing_duration_seconds) / 60, rounded to 2 decimals.
  - C(cost) sums C(price.amount) per C(price.currency_code) exactly (decimal arithmetic, no float rounding) and
    gives each sum as a decimal string; calls without a price are left out. Currencies are never added together.
  - Times without a zone are UTC; fractions of a second (up to nanoseconds) are read.
  - An empty list gives C(total=0), C(answered=0), C(minutes=0), C(cost={}), C(asr=null), C(acd_seconds=null).
options:
  _input:
    description: The call records, a list of dicts.
    type: list
    elements: dict
    required: true
  group_by:
    description:
      - Also summarise per group, under C(by).
      - V(trunk) by C(trunk_id); V(direction) by C(direction) (upper case); V(result) by C(call_result) (upper
        case); V(day) by the UTC date (V(2024-02-01)) of C(create_time), so a call that runs past midnight
        counts on the day it started.
      - Calls without the field are grouped under V(unknown).
    type: str
    choices: [trunk, direction, result, day]
"""

EXAMPLES = r"""
- name: Read yesterday's calls
  sinch.est.est_call_info:
    create_time: "2024-02-01"
    max_items: 0
  register: yesterday

- name: Overall ASR in percent and ACD
  ansible.builtin.debug:
    msg: >-
      ASR {{ (stats.asr or 0) * 100 }} %, ACD {{ stats.acd_seconds }} s,
      {{ stats.minutes }} billed minutes, cost {{ stats.cost }}
  vars:
    stats: "{{ yesterday.calls | sinch.est.call_stats }}"

- name: Trunks whose ASR is below 50 %
  ansible.builtin.debug:
    msg: "{{ by_trunk | dict2items | selectattr('value.asr', 'lt', 0.5) | map(attribute='key') | list }}"
  vars:
    by_trunk: "{{ (yesterday.calls | sinch.est.call_stats(group_by='trunk')).by }}"
"""

RETURN = r"""
_value:
  description: The summary.
  type: dict
  contains:
    total:
      description: Every call attempt.
      type: int
    answered:
      description: The calls whose result is V(COMPLETED).
      type: int
    asr:
      description: answered / total, 0 to 1, rounded to 4 decimals; null without calls.
      type: float
    acd_seconds:
      description: Mean of end time - answer time over the answered calls, rounded to 1 decimal; null without any.
      type: float
    minutes:
      description: Billed minutes, the sum of C(billing_duration_seconds) / 60, rounded to 2 decimals.
      type: float
    cost:
      description: The summed price per currency code, each a decimal string such as V("12.3456").
      type: dict
    by:
      description:
        - Per group key, a dict with the same C(total), C(answered), C(asr), C(acd_seconds), C(minutes) and
          C(cost). Empty without O(group_by).
      type: dict
  sample:
    total: 120
    answered: 75
    asr: 0.625
    acd_seconds: 182.4
    minutes: 241.0
    cost: {USD: "1.2345"}
    by:
      01HZX3V4Q9C0R8M6S7T5W2Y1AB: {total: 120, answered: 75, asr: 0.625, acd_seconds: 182.4, minutes: 241.0, cost: {USD: "1.2345"}}
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sinch.est.plugins.module_utils._call_stats import CallStatsError
from ansible_collections.sinch.est.plugins.module_utils._call_stats import call_stats as _summarise


def call_stats(calls, group_by=None):
    # The computation lives in module_utils so the sinch.est.calls event source uses the same code.
    try:
        return _summarise(calls, group_by=group_by)
    except CallStatsError as error:
        raise AnsibleFilterError(str(error)) from None


class FilterModule:
    def filters(self):
        return {"call_stats": call_stats}
