#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_call_pcap
short_description: Download the packet capture of a Sinch Elastic SIP Trunking call
version_added: 0.1.0
description:
  - Writes the packet capture (PCAP, SIP signalling) of one call of a Sinch Elastic SIP Trunking (EST) project,
    as C(GET /calls/records/{pcapId}/pcap) returns it, to O(dest).
  - Sinch keeps packet captures for 10 days; for an older call the task fails and says so.
  - The capture is streamed to a temporary file and replaces O(dest) in one atomic move, only when it differs,
    so C(changed) is true only when the file changed.
author:
  - sinch.est contributors (@sinch-est)
options:
  pcap_id:
    description:
      - The capture's id, the C(pcap_id) of a call returned by M(sinch.est.est_call_info).
      - One request. Exactly one of O(pcap_id) and O(call_id) is required.
    type: str
  call_id:
    description:
      - The call's id (C(call_id) from M(sinch.est.est_call_info)); its capture id is looked up first.
      - The API cannot read a call by id, so the call is searched in C(GET /calls). Call ids are ULIDs, which
        carry the time they were made, so the search first asks for the minute around that time (one request);
        when that finds nothing (an id that is no ULID, or clocks that differ), it reads the calls of the last
        10 days, the retention of captures.
    type: str
  direction:
    description:
      - The call leg to capture, V(INBOUND) or V(OUTBOUND), any case.
      - Default with O(call_id), the call's own direction; with O(pcap_id), the API's default (V(OUTBOUND)).
    type: str
  dest:
    description:
      - The file to write, for example C(/tmp/call.pcap). Its directory must exist.
    type: path
    required: true
  force:
    description:
      - Replace O(dest) when it exists and holds something else than this capture.
      - With V(false) an existing O(dest) is left as it is (a warning says when the capture differs); an
        identical O(dest) is never rewritten either way.
    type: bool
    default: false
  mode:
    description:
      - The permissions of O(dest), as in M(ansible.builtin.file), for example V('0600').
    type: raw
notes:
  - In check mode the capture is still downloaded (a read) to a temporary file, so C(changed) predicts truthfully;
    O(dest) is not written.
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes.actiongroup
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - The capture is downloaded to a temporary file and compared with O(dest); O(dest) is not written.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
    details:
      - O(dest) is written on the host the task runs on.
seealso:
  - module: sinch.est.est_call_info
  - module: sinch.est.est_call_export
  - name: EST API reference for calls
    description: Sinch's reference of C(GET /calls/records/{pcapId}/pcap).
    link: https://developers.sinch.com/docs/est/api-reference/est/calls/
"""

EXAMPLES = r"""
- name: Find the failed calls of the last hour
  sinch.est.est_call_info:
    call_result: failed
    created_after: -1h
    max_items: 5
  register: failed

- name: Download their captures
  sinch.est.est_call_pcap:
    pcap_id: "{{ item.pcap_id }}"
    direction: "{{ item.direction }}"
    dest: "/tmp/{{ item.call_id }}.pcap"
    mode: "0600"
  loop: "{{ failed.calls }}"
  loop_control:
    label: "{{ item.call_id }}"

- name: Download the capture of a call known by its id
  sinch.est.est_call_pcap:
    call_id: 01HPZ6K8W3X9V2N4Q7R5T1Y0AB
    dest: /tmp/support-ticket-4711.pcap
"""

RETURN = r"""
dest:
  description: The absolute path of the file written.
  returned: always
  type: str
  sample: /tmp/support-ticket-4711.pcap
size:
  description: The size in bytes of the capture in O(dest) when the task ends (in check mode, as it would be).
  returned: always
  type: int
  sample: 1894
pcap_id:
  description: The capture's id (looked up when O(call_id) was given).
  returned: always
  type: str
  sample: 0a81e938-07bd-1240-8487-0ecf41868d11
"""

import datetime
import os

from ansible_collections.sinch.est.plugins.module_utils._calls import (
    CALLS_MAX_PAGE_SIZE,
    DIRECTIONS,
    PCAP_RETENTION_DAYS,
    WIRE_TIME_FORMAT,
    utc_now,
)
from ansible_collections.sinch.est.plugins.module_utils._downloads import download_to_dest
from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError
from ansible_collections.sinch.est.plugins.module_utils._module import EstModule, run_module

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Seconds either side of a ULID's time searched first; a call's createTime is within a second of it.
ULID_WINDOW = 60


def ulid_time(value):
    """The creation time a ULID carries (its first 10 characters: milliseconds since 1970), or None."""
    text = value.strip().upper()
    if len(text) != 26 or any(char not in CROCKFORD for char in text):
        return None
    milliseconds = 0
    for char in text[:10]:
        milliseconds = milliseconds * 32 + CROCKFORD.index(char)
    try:
        return datetime.datetime.fromtimestamp(milliseconds / 1000, datetime.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


class CallPcap(EstModule):
    noun = "packet capture"

    def validate(self, problems):
        direction = self.params["direction"]
        if direction is not None and direction.upper() not in DIRECTIONS:
            problems.add(f"direction: {direction!r} is not one of {', '.join(DIRECTIONS)} (any case)")

    def run(self):
        direction = self.params["direction"].upper() if self.params["direction"] else None
        pcap_id = self.params["pcap_id"]
        call = None
        if self.params["call_id"]:
            call = self.find_call(self.params["call_id"])
            pcap_id = call.get("pcapId")
            if not pcap_id:
                self.fail(f"call_id: call {self.params['call_id']} has no pcapId: Sinch recorded no packet capture for it")
            direction = direction or call.get("direction")
        dest = os.path.abspath(self.params["dest"])
        try:
            with self.step(f"Downloading packet capture {pcap_id} to {dest}"):
                size = download_to_dest(self, paths.CALL_PCAP, {"direction": direction} if direction else None,
                                        dest, self.params["force"], self.params["mode"],
                                        measure=os.path.getsize, pcap_id=pcap_id)
        except EstApiError as error:
            if not error.not_found:
                raise
            made = f" (call created {call.get('createTime')})" if call else ""
            self.fail(f"No packet capture {pcap_id}{made} ({direction or 'default'} leg): Sinch keeps packet captures "
                      f"for {PCAP_RETENTION_DAYS} days, so the call is older than that, or the id is wrong. The API said: "
                      f"{error.api_message or error.msg}", api_error=error.to_failure()["api_error"])
        self.exit(dest=dest, size=size, pcap_id=pcap_id)

    def find_call(self, call_id):
        """The call with this id, from GET /calls (the API has no read by id)."""
        windows = []
        made = ulid_time(call_id)
        if made is not None:
            windows.append((made - datetime.timedelta(seconds=ULID_WINDOW), made + datetime.timedelta(seconds=ULID_WINDOW)))
        now = utc_now()
        windows.append((now - datetime.timedelta(days=PCAP_RETENTION_DAYS), now))
        for after, before in windows:
            query = {"createTime>": after.strftime(WIRE_TIME_FORMAT), "createTime<": before.strftime(WIRE_TIME_FORMAT)}
            with self.step(f"Looking up call {call_id} created {query['createTime>']} to {query['createTime<']}"):
                for call in self.list_all(paths.CALLS, params=query, page_size=CALLS_MAX_PAGE_SIZE):
                    if call.get("callId") == call_id:
                        return call
        self.fail(f"call_id: no call {call_id} in project {self.client.project_id} in the last {PCAP_RETENTION_DAYS} days "
                  f"(Sinch keeps packet captures for {PCAP_RETENTION_DAYS} days); check the id, or give pcap_id")


def main():
    run_module(
        CallPcap,
        dict(
            pcap_id=dict(type="str"),
            call_id=dict(type="str"),
            direction=dict(type="str"),
            dest=dict(type="path", required=True),
            force=dict(type="bool", default=False),
            mode=dict(type="raw"),
        ),
        mutually_exclusive=[("pcap_id", "call_id")],
        required_one_of=[("pcap_id", "call_id")],
    )


if __name__ == "__main__":
    main()
