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
from typing import Any, Callable, Dict, Iterable, List

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError

# The Numbers API's list of active numbers: Sinch's newer SDKs read it unfiltered, while its OpenAPI
# document marks regionCode and type required; a server that insists answers 400, and the list is then
# read per country (each number names its own) and type. A page holds 1000.
NUMBER_TYPES = ("LOCAL", "TOLL_FREE", "MOBILE")
ACTIVE_NUMBERS_PAGE_SIZE = 1000
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


def scheduled_routing(client: Any, countries: Dict[str, str]) -> Dict[str, str]:
    """{number: the EST trunk id ("" none) a routing change already scheduled for it goes to}, for the
    numbers of `countries` (number -> its country code, "" when unknown).

    Read from the Numbers API's list of active numbers instead of one read per number; reading stops
    as soon as every wanted number was seen.
    """
    remaining = set(countries)
    scheduled: Dict[str, str] = {}
    try:
        _scan_active_numbers(client, {}, remaining, scheduled)
    except EstApiError as error:
        if error.status_code != 400:
            raise
        _scan_by_country(client, countries, remaining, scheduled)
    return scheduled


def _scan_by_country(client: Any, countries: Dict[str, str], remaining: set, scheduled: Dict[str, str]) -> None:
    """The active numbers read per country and type, for a server that refuses the unfiltered list."""
    for country in sorted({countries[number] or "" for number in remaining}):
        for number_type in NUMBER_TYPES:
            if not any((countries[number] or "") == country for number in remaining):
                break  # every number of this country was seen
            query = dict({"regionCode": country} if country else {}, type=number_type)
            _scan_active_numbers(client, query, remaining, scheduled)


def _scan_active_numbers(client: Any, query: dict, remaining: set, scheduled: Dict[str, str]) -> None:
    """Reads active numbers matching `query` until `remaining` is empty, noting scheduled routings."""
    for active in client.list_all(paths.ACTIVE_NUMBERS, params=query, page_size=ACTIVE_NUMBERS_PAGE_SIZE):
        number = active.get("phoneNumber")
        if number in remaining:
            remaining.discard(number)
            provisioning = (active.get("voiceConfiguration") or {}).get("scheduledVoiceProvisioning")
            if provisioning and str(provisioning.get("type") or "EST").upper() == "EST":
                scheduled[number] = routed_trunk(provisioning.get("trunkId"))
            if not remaining:
                return
