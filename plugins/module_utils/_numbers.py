# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""Routing phone numbers to EST trunks through the Numbers API (as Sinch's SDKs do it).

A routing change is asynchronous: the Numbers API holds it as `scheduledVoiceProvisioning` until
it is live, and only then does EST's `GET /phoneNumbers` show the number on its new trunk.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Iterable, List

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths

POLL_INTERVAL_FIRST = 1.0
POLL_INTERVAL_MAX = 10.0


def routed_trunk(value: Any) -> str:
    """A trunk id as EST and the Numbers API give it; no trunk is None or "" alike."""
    return value or ""


def route(client: Any, number: str, trunk_id: str) -> Any:
    """Schedules `number` onto `trunk_id` ("" takes it off every EST trunk)."""
    return client.patch(paths.ACTIVE_NUMBER.path(phone_number=number),
                        {"voiceConfiguration": {"type": "EST", "trunkId": trunk_id}}, api="numbers")


def poll(still_pending: Callable[[], List[str]], timeout: float) -> List[str]:
    """Calls `still_pending()` (what has not happened yet) with a growing interval until it answers
    nothing or `timeout` seconds passed; returns what is still pending."""
    deadline = time.monotonic() + timeout
    interval = POLL_INTERVAL_FIRST
    pending = still_pending()
    while pending and time.monotonic() < deadline:
        time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
        interval = min(interval * 2, POLL_INTERVAL_MAX)
        pending = still_pending()
    return pending


def still_on_trunk(client: Any, trunk_id: str, numbers: Iterable[str]) -> List[str]:
    """The numbers of `numbers` that EST still lists on `trunk_id`."""
    wanted = set(numbers)
    listed = client.list_all(paths.PHONE_NUMBERS, params={"sipTrunkId": trunk_id})
    return [item.get("phoneNumber") for item in listed
            if item.get("sipTrunkId") == trunk_id and item.get("phoneNumber") in wanted]
