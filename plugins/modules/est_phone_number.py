#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_phone_number
short_description: Route phone numbers to Sinch Elastic SIP Trunking trunks
version_added: 0.1.0
description:
  - Routes phone numbers of your Sinch account to a Sinch Elastic SIP Trunking (EST) trunk, so their inbound
    calls reach that trunk, or takes them off every EST trunk.
  - "B(state=absent does not release, cancel or delete a number.) The number stays in your Sinch account (and
    keeps being billed); it is only routed to no EST trunk, so its inbound calls stop reaching your SBC. Release
    numbers in the Sinch dashboard or the Numbers API."
  - The routing is changed through the Sinch Numbers API (C(PATCH /activeNumbers/{number}) with an EST voice
    configuration), the way Sinch's SDKs do it; the EST API itself only reads numbers. The change is
    asynchronous; Sinch schedules it and makes it live after a while. Set O(wait=true) to wait until EST
    routes calls with it.
  - The task reads the project's numbers once from EST (one paginated read, even for thousands of numbers).
    Only when some number's live routing differs from the one asked for does it read the Numbers API's list of
    active numbers (per country and number type, 1000 a page), so a change already scheduled to the same
    trunk (by an earlier run, for example) is not sent again; it is reported as RV(phone_numbers[].pending) and
    not as a change.
  - The routing changes go out on a pool of up to O(concurrency) workers (one C(PATCH) per number; the API
    has no bulk form). If some fail, the task fails naming the numbers routed and those not
    (RV(routed), RV(not_routed)), with C(changed) true when any was routed; running it again routes the rest.
  - A number that is not in the project's EST numbers fails the task before anything is changed.
  - A change scheduled by someone else is not seen for a number whose live routing already matches the one
    asked for; it becomes visible once it is live.
author:
  - sinch.est contributors (@sinch-est)
options:
  phone_number:
    description:
      - One number, in E.164 format (V(+14155550100)).
      - One of O(phone_number) and O(phone_numbers) is required.
    type: str
  phone_numbers:
    description:
      - Many numbers in E.164 format, converged in one task (the same O(trunk) or O(state) for all).
    type: list
    elements: str
  trunk:
    description:
      - The trunk to route the numbers to, by id or by host name (an exact id match wins).
      - Required when O(state=present). Setting it with O(state=absent) fails the task, since that routes the
        numbers to no EST trunk at all.
    type: str
  state:
    description:
      - V(present) routes the numbers to O(trunk).
      - V(absent) routes them to no EST trunk. The numbers stay in the account; see the description.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description:
      - Wait until EST shows every number with the routing asked for (the scheduled change is live), polling
        EST's number list.
      - Has no effect in check mode.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with O(wait=true). When they pass, the task fails naming the numbers still pending; the
        change stays scheduled and a later run picks it up without sending it again.
    type: int
    default: 120
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_phone_number_info
  - module: sinch.est.est_trunk
  - name: EST API reference for phone numbers
    description: Sinch's reference of the EST phone number operations this module reads.
    link: https://developers.sinch.com/docs/est/api-reference/est/phone-numbers/
  - name: Numbers API reference for active numbers
    description: The Numbers API operation that routes a number to a trunk.
    link: https://developers.sinch.com/docs/numbers/api-reference/numbers/
"""

EXAMPLES = r"""
- name: Route a number to a trunk given by host name
  sinch.est.est_phone_number:
    phone_number: "+14155550100"
    trunk: acme-prod

- name: Route many numbers and wait until calls reach the trunk
  sinch.est.est_phone_number:
    phone_numbers:
      - "+14155550100"
      - "+14155550101"
      - "+14155550102"
    trunk: 01HZX3V4Q9C0R8M6S7T5W2Y1AB
    wait: true
    wait_timeout: 300

- name: Take a number off every EST trunk (it stays in the account)
  sinch.est.est_phone_number:
    phone_number: "+14155550100"
    state: absent
"""

RETURN = r"""
phone_numbers:
  description:
    - One entry per number of the task, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    phone_number:
      description: The number in E.164 format.
      type: str
      sample: "+14155550100"
    trunk_id:
      description: The trunk the number is routed to once the change is live; an empty string for no EST trunk.
      type: str
      sample: 01HZX3V4Q9C0R8M6S7T5W2Y1AB
    live_trunk_id:
      description: The trunk EST routes the number's calls to right now; an empty string for none.
      type: str
      sample: 01HZX3V4Q9C0R8M6S7T5W2Y1AB
    pending:
      description: Whether the routing to RV(phone_numbers[].trunk_id) is scheduled but not live yet.
      type: bool
      sample: false
    changed:
      description: Whether this task asked for the change (in check mode, would have).
      type: bool
      sample: true
    country_code:
      description: The number's country, as EST reports it.
      type: str
      sample: US
routed:
  description: When some numbers could not be routed (the task fails), those that were.
  returned: failure
  type: list
  elements: str
  sample: ["+14155550100"]
not_routed:
  description: When some numbers could not be routed (the task fails), those that were not.
  returned: failure
  type: list
  elements: str
  sample: ["+14155550101"]
"""

from ansible_collections.sinch.est.plugins.module_utils import _numbers as numbers
from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError
from ansible_collections.sinch.est.plugins.module_utils._module import CREATED_ID, EstModule, run_module
from ansible_collections.sinch.est.plugins.module_utils._validation import check_e164


class PhoneNumberRouting(EstModule):
    noun = "phone number"

    def requested_numbers(self):
        numbers = [self.params["phone_number"]] if self.params["phone_number"] is not None else self.params["phone_numbers"]
        return list(dict.fromkeys(numbers))  # duplicates collapse; order kept

    def validate(self, problems):
        option = "phone_number" if self.params["phone_number"] is not None else "phone_numbers"
        for number in self.requested_numbers():
            problems.add(check_e164(option, number))
        if self.params["state"] == "absent" and self.params["trunk"] is not None:
            problems.add("trunk: not used with state=absent (that routes the numbers to no EST trunk); leave it out")
        if self.params["wait_timeout"] < 0:
            problems.add(f"wait_timeout: {self.params['wait_timeout']} is negative")

    def run(self):
        requested = self.requested_numbers()
        trunk_id, trunk_exists = self.trunk_wanted()

        with self.step("Reading the project's EST phone numbers"):
            live = self.read_live_routing(requested, trunk_id)
        missing = [number for number in requested if number not in live]
        if missing:
            self.fail(f"{', '.join(missing)}: not among the EST numbers of project {self.client.project_id}; "
                      "buy the number or enable it for EST first (nothing was changed)")

        entries = {number: {"phone_number": number, "trunk_id": trunk_id,
                            "live_trunk_id": numbers.routed_trunk(live[number].get("sipTrunkId")),
                            "pending": False, "changed": False, "country_code": live[number].get("countryCode")}
                   for number in requested}
        before = {number: entry["live_trunk_id"] for number, entry in entries.items()}
        elsewhere = [number for number, entry in entries.items() if entry["live_trunk_id"] != trunk_id]
        scheduled = self.scheduled_trunks(elsewhere, entries) if elsewhere else {}
        to_send = [number for number in elsewhere if scheduled.get(number) != trunk_id]
        for number in elsewhere:
            entries[number].update(pending=True, changed=number in to_send)

        if to_send and not self.check_mode:
            self.route_all(to_send, trunk_id, entries)
        for number in to_send if self.check_mode else ():
            self.record_change(f"Routing {number}")
        if self.params["wait"] and not self.check_mode and elsewhere:
            self.wait_until_live(elsewhere, trunk_id, entries)
        # check mode: a trunk an earlier task creates has no id yet; the diff says so, as the real run shows ids
        shown = trunk_id if trunk_exists else CREATED_ID
        after = {number: shown for number in requested}
        self.exit(before=before, after=after, phone_numbers=list(entries.values()))

    def trunk_wanted(self):
        """(the trunk id the numbers go to, "" for none; whether that trunk exists yet)."""
        if self.params["state"] != "present":
            return "", True  # no EST trunk
        trunk = self.resolve_trunk(self.params["trunk"])
        # In check mode a trunk an earlier task creates is not there yet: no number is on it.
        return (trunk["id"], True) if trunk else (self.params["trunk"], False)

    def read_live_routing(self, requested, trunk_id, polling=False):
        """{number: EST number} for the requested numbers, from as few list reads as the API allows.

        When routing to a trunk, the numbers already on it are read first with the list's `sipTrunkId`
        filter: on a big account a no-op then costs the trunk's pages, not the whole project's. Only
        when some number is elsewhere is the whole list read (while `polling` for a routing to go live,
        the trunk's own numbers are all that matter).
        """
        if trunk_id:
            on_target = {item.get("phoneNumber"): item for item in self.list_all(paths.PHONE_NUMBERS, params={"sipTrunkId": trunk_id})
                         if item.get("sipTrunkId") == trunk_id}
            if polling or all(number in on_target for number in requested):
                return on_target
        return {item.get("phoneNumber"): item for item in self.list_all(paths.PHONE_NUMBERS)}

    def scheduled_trunks(self, wanted, entries):
        """{number: the EST trunk a routing change already scheduled for it goes to} for `wanted`."""
        with self.step("Reading the project's active numbers (Numbers API)"):
            return numbers.scheduled_routing(self.client, {number: entries[number]["country_code"] or "" for number in wanted})

    def route_all(self, to_send, trunk_id, entries):
        """PATCHes every number on the pool; when some fail, the task fails naming which were routed."""
        destination = trunk_id or "no EST trunk"

        def route(number):
            with self.step(f"Routing {number} to {destination}"):
                numbers.route(self.client, number, trunk_id)
            self.record_change(f"Routed {number}")
        outcomes = self.parallel(to_send, route)
        failed = [outcome for outcome in outcomes if outcome.error is not None]
        if not failed:
            return
        done = [outcome.item for outcome in outcomes if outcome.error is None]
        for outcome in failed:
            entries[outcome.item].update(changed=False)
        reasons = "; ".join(f"{outcome.item}: {outcome.error.to_failure()['msg'] if isinstance(outcome.error, EstApiError) else outcome.error}"
                            for outcome in failed)
        self.fail(f"Routing to {destination} failed for {len(failed)} of {len(to_send)} numbers ({reasons}). "
                  f"Routed: {', '.join(done) or 'none'}. Run the task again to route the rest.",
                  phone_numbers=list(entries.values()), routed=done, not_routed=[outcome.item for outcome in failed])

    def wait_until_live(self, waiting, trunk_id, entries):
        def still_pending():
            with self.step(f"Waiting for {len(waiting)} numbers to be routed to {trunk_id or 'no EST trunk'}"):
                on_target = self.read_live_routing(waiting, trunk_id, polling=True)
            return [number for number in waiting
                    if numbers.routed_trunk((on_target.get(number) or {}).get("sipTrunkId")) != trunk_id]
        pending = numbers.poll(still_pending, self.params["wait_timeout"])
        for number in waiting:
            if number not in pending:
                entries[number].update(live_trunk_id=trunk_id, pending=False)
        if pending:
            self.fail(f"Timed out after {self.params['wait_timeout']} s waiting for {', '.join(pending)} to be routed to "
                      f"{trunk_id or 'no EST trunk'}; the change is scheduled and will apply, run the task again or "
                      "raise wait_timeout", phone_numbers=list(entries.values()))


def main():
    run_module(
        PhoneNumberRouting,
        dict(
            phone_number=dict(type="str"),
            phone_numbers=dict(type="list", elements="str"),
            trunk=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            wait=dict(type="bool", default=False),
            wait_timeout=dict(type="int", default=120),
        ),
        required_one_of=[("phone_number", "phone_numbers")],
        mutually_exclusive=[("phone_number", "phone_numbers")],
        required_if=[("state", "present", ("trunk",))],
    )


if __name__ == "__main__":
    main()
