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

import datetime
import re
from decimal import Decimal, InvalidOperation

from ansible.errors import AnsibleFilterError

GROUPS = ("trunk", "direction", "result", "day")
UNKNOWN = "unknown"
TIME_PATTERN = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)


def _field(call, snake_key, camel_key):
    value = call.get(snake_key)
    return call.get(camel_key) if value is None else value


def parse_time(value):
    """A call timestamp as an aware UTC datetime, or None (no zone means UTC; nanoseconds are cut to micro)."""
    if not isinstance(value, str):
        return None
    match = TIME_PATTERN.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    moment = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro,
                               tzinfo=datetime.timezone.utc)
    if zone and zone.upper() != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        moment -= sign * datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return moment


def group_key(call, group_by):
    if group_by == "trunk":
        value = _field(call, "trunk_id", "trunkId")
    elif group_by == "direction":
        value = _field(call, "direction", "direction")
    elif group_by == "result":
        value = _field(call, "call_result", "callResult")
    else:
        created = parse_time(_field(call, "create_time", "createTime"))
        value = created.date().isoformat() if created else None
    if value is None or value == "":
        return UNKNOWN
    return str(value).upper() if group_by in ("direction", "result") else str(value)


class _Totals:
    def __init__(self):
        self.total = 0
        self.answered = 0
        self.talk_seconds = 0.0
        self.timed_answers = 0
        self.billed_seconds = 0
        self.cost = {}

    def add(self, call):
        self.total += 1
        if str(_field(call, "call_result", "callResult") or "").upper() == "COMPLETED":
            self.answered += 1
            answered_at = parse_time(_field(call, "answer_time", "answerTime"))
            ended_at = parse_time(_field(call, "end_time", "endTime"))
            if answered_at is not None and ended_at is not None and ended_at >= answered_at:
                self.talk_seconds += (ended_at - answered_at).total_seconds()
                self.timed_answers += 1
        billed = _field(call, "billing_duration_seconds", "billingDurationSeconds")
        if isinstance(billed, (int, float)) and not isinstance(billed, bool):
            self.billed_seconds += billed
        price = call.get("price")
        if isinstance(price, dict) and price.get("amount") not in (None, ""):
            currency = str(_field(price, "currency_code", "currencyCode") or UNKNOWN)
            try:
                amount = Decimal(str(price["amount"]))
            except InvalidOperation:
                raise AnsibleFilterError(f"call_stats: call {_field(call, 'call_id', 'callId')} has a price amount that is "
                                         f"not a number: {price['amount']!r}")
            self.cost[currency] = self.cost.get(currency, Decimal(0)) + amount

    def summary(self):
        return {
            "total": self.total,
            "answered": self.answered,
            "asr": round(self.answered / self.total, 4) if self.total else None,
            "acd_seconds": round(self.talk_seconds / self.timed_answers, 1) if self.timed_answers else None,
            "minutes": round(self.billed_seconds / 60, 2),
            "cost": {currency: str(amount) for currency, amount in sorted(self.cost.items())},
        }


def call_stats(calls, group_by=None):
    if not isinstance(calls, (list, tuple)):
        raise AnsibleFilterError(f"call_stats: expects a list of calls (est_call_info's calls), got {type(calls).__name__}")
    if group_by is not None and group_by not in GROUPS:
        raise AnsibleFilterError(f"call_stats: group_by must be one of {', '.join(GROUPS)}, got {group_by!r}")
    overall = _Totals()
    groups = {}
    for call in calls:
        if not isinstance(call, dict):
            raise AnsibleFilterError(f"call_stats: every call must be a dict, got {type(call).__name__}")
        overall.add(call)
        if group_by is not None:
            groups.setdefault(group_key(call, group_by), _Totals()).add(call)
    result = overall.summary()
    result["by"] = {key: groups[key].summary() for key in sorted(groups)}
    return result


class FilterModule:
    def filters(self):
        return {"call_stats": call_stats}
