#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_trunk
short_description: Manage Sinch Elastic SIP Trunking SIP trunks
version_added: 0.1.0
description:
  - Create, update and delete SIP trunks of a Sinch Elastic SIP Trunking (EST) project.
  - A trunk is identified by its O(host_name) (unique across all of Sinch) or by its O(id); give
    both to rename a trunk's host name.
  - Only the options you set are compared and sent; an option left out keeps the value the trunk
    has on the server. Updates send the whole trunk (the API's C(PUT) replaces it), merged from the
    current values and your changes.
  - Sinch never deletes a trunk that still has anything on it (the API answers 400), so O(state=absent)
    tears the trunk down in the order the service requires - its phone numbers taken off it (only with
    O(force=true)), its endpoints deleted, its ACLs and credential lists unbound (they stay, for other
    trunks), then the trunk deleted. Check mode and the diff show each step; a run that stops halfway
    (a network failure) is finished by running the task again.
  - Deleting a trunk that still has phone numbers routed to it is refused before any change unless
    O(force=true), because those numbers would stop receiving calls.
author:
  - sinch.est contributors (@sinch-est)
options:
  id:
    description:
      - The trunk's id. Addresses an existing trunk directly; it is an error if no trunk has it
        (a trunk is never created from an id).
      - Use it with O(host_name) to change a trunk's host name.
    type: str
  host_name:
    description:
      - The host part of the trunk's SIP domain, for example V(acme-prod) for
        C(acme-prod.pstn.sinch.com). A DNS label (RFC 1035) - 1 to 63 letters, digits and hyphens, not
        starting or ending with a hyphen - checked before any request.
      - Unique across all of Sinch. If another account holds it, creating the trunk fails with a
        message saying so.
      - Required unless O(id) is given.
    type: str
  name:
    description:
      - Display name of the trunk. An empty string fails the task before any request.
      - Defaults to O(host_name) when a trunk is created without it.
    type: str
  enable_caller_name:
    description:
      - Whether caller name (CNAM) lookup is enabled on inbound calls.
      - The API default for a new trunk is V(false).
    type: bool
  enable_call_forward:
    description:
      - Whether calls are forwarded to O(call_forward_number) when the trunk cannot be reached.
      - Turning it on needs a O(call_forward_number), given here or already on the trunk.
    type: bool
  call_forward_number:
    description:
      - The E.164 number (for example V(+14155550100)) calls are forwarded to.
      - Set it to an empty string to clear it (forwarding must then be off).
    type: str
  state:
    description:
      - V(present) creates the trunk or updates it to match the options given.
      - V(absent) deletes it; nothing happens when it does not exist.
    type: str
    choices: [present, absent]
    default: present
  force:
    description:
      - Delete the trunk even when phone numbers are still routed to it. They are first taken off the
        trunk through the Numbers API (routed to no EST trunk), and the task waits up to 120 seconds
        until EST no longer routes them to it (the change is asynchronous). Those numbers stop receiving
        calls until they are routed to another trunk.
    type: bool
    default: false
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_trunk_info
  - module: sinch.est.est_endpoint
  - module: sinch.est.est_phone_number
  - name: EST API reference for SIP trunks
    description: Sinch's reference of the SIP trunk operations this module uses.
    link: https://developers.sinch.com/docs/est/api-reference/est/sip-trunks/
"""

EXAMPLES = r"""
- name: Create or update a trunk
  sinch.est.est_trunk:
    host_name: acme-prod
    name: ACME production trunk
    enable_caller_name: true

- name: Forward calls to a mobile number while the SBC is down
  sinch.est.est_trunk:
    host_name: acme-prod
    enable_call_forward: true
    call_forward_number: "+14155550100"

- name: Rename a trunk's host name (the SIP domain changes with it)
  sinch.est.est_trunk:
    id: 01HZX3V4Q9C0R8M6S7T5W2Y1AB
    host_name: acme-production

- name: Review what deleting a trunk would take off it (numbers, endpoints, bindings)
  sinch.est.est_trunk:
    host_name: acme-old
    state: absent
    force: true
  check_mode: true
  diff: true

- name: Delete a trunk, taking the numbers still routed to it off first
  sinch.est.est_trunk:
    host_name: acme-old
    state: absent
    force: true
"""

RETURN = r"""
trunk:
  description:
    - The trunk as the API returned it (keys in snake_case); in check mode, the trunk as it would be.
    - An empty dictionary when O(state=absent).
  returned: always
  type: dict
  contains:
    id:
      description: The trunk's id.
      type: str
      sample: 01HZX3V4Q9C0R8M6S7T5W2Y1AB
    name:
      description: Display name.
      type: str
      sample: ACME production trunk
    host_name:
      description: Host part of the SIP domain.
      type: str
      sample: acme-prod
    top_level_domain:
      description: The domain Sinch appends to the host name.
      type: str
      sample: .pstn.sinch.com
    domain:
      description: The trunk's full SIP domain, O(host_name) plus RV(trunk.top_level_domain).
      type: str
      sample: acme-prod.pstn.sinch.com
    enable_caller_name:
      description: Whether caller name lookup is on.
      type: bool
      sample: true
    enable_call_forward:
      description: Whether call forwarding is on.
      type: bool
      sample: false
    call_forward_number:
      description: The forwarding number, or an empty string.
      type: str
      sample: "+14155550100"
    calls_per_second:
      description: The trunk's call rate limit, set by Sinch.
      type: int
      sample: 1
    project_id:
      description: The project the trunk belongs to.
      type: str
      sample: 5f4d1c2e-0000-4000-8000-000000000000
    create_time:
      description: When the trunk was created (UTC).
      type: str
      sample: "2026-01-14T08:08:48Z"
    update_time:
      description: When the trunk was last changed (UTC); null before the first change.
      type: str
      sample: "2026-01-15T09:10:11Z"
"""

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils import _trunks as trunks
from ansible_collections.sinch.est.plugins.module_utils._module import run_module
from ansible_collections.sinch.est.plugins.module_utils._resource import Dependents, EstResource, Field
from ansible_collections.sinch.est.plugins.module_utils._validation import check_trunk

# How long a forced delete waits for its numbers to leave the trunk (the Numbers API routes asynchronously).
NUMBERS_MOVE_TIMEOUT = 120


class Trunk(EstResource):
    noun = "trunk"
    collection = paths.TRUNKS
    item = paths.TRUNK
    fields = {
        "host_name": Field("hostName", compare="casefold"),
        "name": Field("name"),
        "enable_caller_name": Field("enableCallerName"),
        "enable_call_forward": Field("enableCallForward"),
        "call_forward_number": Field("callForwardNumber"),
    }
    identity = ("host_name",)
    required_for_create = ("host_name",)
    create_defaults = {"enableCallerName": False, "enableCallForward": False, "callForwardNumber": ""}
    diff_keys = ("phone_numbers", "endpoints", "acl_ids", "credential_list_ids")  # what a delete takes off it

    def validate(self, problems):
        check_trunk(problems, self.params)

    def find_by_identity(self, target):
        return trunks.find_trunk_by_host_name(self.client, target.params["host_name"])

    def create_body(self, target):
        return dict({"name": target.params["host_name"]}, **target.desired)

    def check_desired(self, target):
        merged = dict(target.current or {}, **target.desired)
        if merged.get("enableCallForward") and not merged.get("callForwardNumber"):
            self.fail("call_forward_number: required when enable_call_forward is true "
                      "(the trunk has no forwarding number yet)")

    def dependents(self, target):
        """The service deletes only an empty trunk: its numbers move away (only with force), its endpoints
        are deleted, its ACLs and credential lists unbound (those stay), then the trunk goes. Every step
        shows in the diff; a run stopped halfway is finished by the next run, which reads it all again."""
        # Imported here: only a delete needs them, and a task pays for every file it loads.
        from ansible_collections.sinch.est.plugins.module_utils import _binding as binding
        from ansible_collections.sinch.est.plugins.module_utils._children import Changes

        trunk = target.current
        label = self.label(target)
        acls = binding.TrunkAcls(self, trunk)
        credential_lists = binding.TrunkCredentialLists(self, trunk)
        with self.step(f"Reading what {label} still holds"):
            routed = [number.get("phoneNumber") for number in trunks.routed_numbers(self.client, trunk["id"])]
            endpoints = list(self.list_all(paths.ENDPOINTS, trunk_id=trunk["id"]))
            acl_ids = acls.read()
            list_ids = credential_lists.read()
        if routed and not self.params["force"]:
            shown = ", ".join(routed[:5]) + (", ..." if len(routed) > 5 else "")
            self.fail(f"{label} still has phone numbers routed to it ({shown}); deleting it would stop their calls. "
                      "Route them elsewhere with sinch.est.est_phone_number, or set force: true to take them off "
                      "the trunk first.")
        removals = [lambda: self.take_all_off(target, routed)] if routed else []
        removals.append(lambda: self.each(endpoints, lambda endpoint: self.delete_endpoint(trunk, endpoint)))
        if acl_ids:
            removals.append(lambda: acls.remove_all(acl_ids))
        if list_ids:
            removals.append(lambda: credential_lists.apply(Changes(remove=list_ids), list_ids))
        return Dependents(shown=dict(phoneNumbers=routed, endpoints=[endpoint.get("name") for endpoint in endpoints],
                                     aclIds=acl_ids, credentialListIds=list_ids),
                          removals=tuple(removals))

    def take_all_off(self, target, routed):
        """Takes the numbers off the trunk and waits until EST no longer lists them on it."""
        from ansible_collections.sinch.est.plugins.module_utils import _numbers as numbers

        label = self.label(target)
        self.each(routed, self.take_off_trunk)
        with self.step(f"Waiting for the numbers to leave {label}"):
            pending = numbers.poll(lambda: numbers.still_on_trunk(self.client, target.current["id"], routed),
                                   NUMBERS_MOVE_TIMEOUT)
        if pending:
            self.fail(f"{label}: {', '.join(pending)} still routed to it {NUMBERS_MOVE_TIMEOUT} s after being taken "
                      "off (the Numbers API applies routing asynchronously); the change is scheduled, so run the "
                      "task again to finish deleting the trunk")

    def take_off_trunk(self, number):
        from ansible_collections.sinch.est.plugins.module_utils import _numbers as numbers

        with self.step(f"Taking {number} off the trunk"):
            numbers.route(self.client, number, "")

    def delete_endpoint(self, trunk, endpoint):
        with self.step(f"Deleting endpoint {endpoint.get('name')!r} of {trunks.trunk_label(trunk)}"):
            self.delete(paths.ENDPOINT.path(trunk_id=trunk["id"], endpoint_id=endpoint["id"]))


def main():
    run_module(
        Trunk,
        dict(
            id=dict(type="str"),
            host_name=dict(type="str"),
            name=dict(type="str"),
            enable_caller_name=dict(type="bool"),
            enable_call_forward=dict(type="bool"),
            call_forward_number=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            force=dict(type="bool", default=False),
        ),
        required_one_of=[("id", "host_name")],
    )


if __name__ == "__main__":
    main()
