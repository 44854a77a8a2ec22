# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""Answer-seizure ratio, average call duration, minutes and cost of call records.

The one computation behind the `call_stats` filter and the `sinch.est.calls` event source's
summaries, so a rule and a report never disagree. Pure Python: no Ansible import, so the event
source can load it outside a playbook. Bad input raises CallStatsError (a ValueError); each
caller turns it into its own kind of error.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Dict, Iterable, Optional

GROUPS = ("trunk", "direction", "result", "day")
UNKNOWN = "unknown"
TIME_PATTERN = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)


class CallStatsError(ValueError):
    """The calls cannot be summarised; the message starts with `call_stats:`."""


def field(call: dict, snake_key: str, camel_key: str) -> Any:
    """A call field under its snake_case key (est_call_info) or its camelCase key (the API)."""
    value = call.get(snake_key)
    return call.get(camel_key) if value is None else value


def parse_time(value: Any) -> Optional[datetime.datetime]:
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


def group_key(call: dict, group_by: str) -> str:
    if group_by == "trunk":
        value = field(call, "trunk_id", "trunkId")
    elif group_by == "direction":
        value = field(call, "direction", "direction")
    elif group_by == "result":
        value = field(call, "call_result", "callResult")
    else:
        created = parse_time(field(call, "create_time", "createTime"))
        value = created.date().isoformat() if created else None
    if value is None or value == "":
        return UNKNOWN
    return str(value).upper() if group_by in ("direction", "result") else str(value)


class Totals:
    """Running sums over calls; summary() rounds once, at the end."""

    def __init__(self) -> None:
        self.total = 0
        self.answered = 0
        self.talk_seconds = 0.0
        self.timed_answers = 0
        self.billed_seconds: float = 0
        self.cost: Dict[str, Decimal] = {}

    def add(self, call: dict) -> None:
        self.total += 1
        if str(field(call, "call_result", "callResult") or "").upper() == "COMPLETED":
            self.answered += 1
            answered_at = parse_time(field(call, "answer_time", "answerTime"))
            ended_at = parse_time(field(call, "end_time", "endTime"))
            if answered_at is not None and ended_at is not None and ended_at >= answered_at:
                self.talk_seconds += (ended_at - answered_at).total_seconds()
                self.timed_answers += 1
        billed = field(call, "billing_duration_seconds", "billingDurationSeconds")
        if isinstance(billed, (int, float)) and not isinstance(billed, bool):
            self.billed_seconds += billed
        price = call.get("price")
        if isinstance(price, dict) and price.get("amount") not in (None, ""):
            currency = str(field(price, "currency_code", "currencyCode") or UNKNOWN)
            try:
                amount = Decimal(str(price["amount"]))
            except InvalidOperation:
                raise CallStatsError(f"call_stats: call {field(call, 'call_id', 'callId')} has a price amount that is "
                                     f"not a number: {price['amount']!r}") from None
            self.cost[currency] = self.cost.get(currency, Decimal(0)) + amount

    def summary(self) -> Dict[str, Any]:
        return {
            "total": self.total,
            "answered": self.answered,
            "asr": round(self.answered / self.total, 4) if self.total else None,
            "acd_seconds": round(self.talk_seconds / self.timed_answers, 1) if self.timed_answers else None,
            "minutes": round(self.billed_seconds / 60, 2),
            "cost": {currency: str(amount) for currency, amount in sorted(self.cost.items())},
        }


def call_stats(calls: Iterable[Any], group_by: Optional[str] = None) -> Dict[str, Any]:
    """The summary of `calls` (a list of call dicts), with per-group summaries under `by`."""
    if not isinstance(calls, (list, tuple)):
        raise CallStatsError(f"call_stats: expects a list of calls (est_call_info's calls), got {type(calls).__name__}")
    if group_by is not None and group_by not in GROUPS:
        raise CallStatsError(f"call_stats: group_by must be one of {', '.join(GROUPS)}, got {group_by!r}")
    overall = Totals()
    groups: Dict[str, Totals] = {}
    for call in calls:
        if not isinstance(call, dict):
            raise CallStatsError(f"call_stats: every call must be a dict, got {type(call).__name__}")
        overall.add(call)
        if group_by is not None:
            groups.setdefault(group_key(call, group_by), Totals()).add(call)
    result = overall.summary()
    result["by"] = {key: groups[key].summary() for key in sorted(groups)}
    return result
