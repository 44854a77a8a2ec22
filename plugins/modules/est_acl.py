#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_acl
short_description: Manage Sinch Elastic SIP Trunking access control lists and their IP ranges
version_added: 0.1.0
description:
  - Create, update and delete access control lists (ACLs) of a Sinch Elastic SIP Trunking (EST) project,
    together with the IP ranges they allow.
  - A trunk bound to an ACL accepts calls from the ACL's IP ranges. Bind ACLs to trunks with
    M(sinch.est.est_trunk_acls).
  - An ACL is identified by its O(name) or by its O(id). The API does not keep ACL names unique; when two
    ACLs share the name the task fails, naming their ids, and asks for O(id).
  - Only the options you set are compared and sent; an option left out keeps the value the ACL has on the
    server. Leaving out O(ip_ranges) leaves the ranges alone.
  - O(ip_ranges) is compared as a set of networks (address and prefix length). A new ACL is created with
    its ranges in one request. On an existing ACL, new ranges are added first, then changed descriptions
    are updated, and only then are ranges that are no longer wanted deleted, so traffic from a range that
    is being replaced is never cut off in between.
  - Do not manage the ranges of one ACL with both O(ip_ranges) here and M(sinch.est.est_ip_range); with the
    default O(purge_ip_ranges=true) this module deletes the ranges the other one adds.
  - Deleting an ACL that is still bound to a trunk is refused unless O(force=true), because the trunk would stop
    accepting calls from the ACL's ranges. Sinch never deletes a bound ACL, so with O(force=true) the module
    first unbinds it from every trunk (the diff lists them), then deletes it.
  - A new ACL is always created with O(enabled) (V(true) unless set), because the API refuses a create without it.
author:
  - sinch.est contributors (@sinch-est)
options:
  id:
    description:
      - The ACL's id. Addresses an existing ACL directly; it is an error if no ACL has it (an ACL is never
        created from an id).
      - Use it with O(name) to rename an ACL, or to choose one of several ACLs that share a name.
    type: str
  name:
    description:
      - The ACL's name, for example V(LA office). An empty string fails the task before any request.
      - Required unless O(id) is given.
    type: str
  enabled:
    description:
      - Whether the ACL is in force. V(false) keeps the ACL and its ranges but stops them from admitting
        calls, for example during a maintenance window.
      - The API default for a new ACL is V(true).
    type: bool
  ip_ranges:
    description:
      - The IP ranges (IPv4 networks) the ACL allows. Required to create an ACL; the API needs at least one.
      - Each range is a dictionary, given as O(ip_ranges[].cidr) or as O(ip_ranges[].ip_address) plus
        O(ip_ranges[].range); a plain CIDR string as an item fails the task with a message showing this shape.
      - Prefix lengths are 1 to 32 (Sinch refuses V(/0)).
      - Compared as a set, so order does not matter; two entries for the same network fail the task.
      - With O(purge_ip_ranges=true) (the default) the ACL ends up with exactly these ranges; with
        V(false) they are added to the ranges it has.
    type: list
    elements: dict
    suboptions:
      cidr:
        description:
          - The network in CIDR notation, for example V(203.0.113.0/24), or a single address such as
            V(198.51.100.7) (a V(/32)).
          - If host bits are set (V(203.0.113.5/24)) the task warns and uses the network address
            (V(203.0.113.0/24)), which is what the range admits.
          - Mutually exclusive with O(ip_ranges[].ip_address) and O(ip_ranges[].range).
        type: str
      ip_address:
        description:
          - The network's IPv4 address, for example V(203.0.113.0). Use with O(ip_ranges[].range).
        type: str
      range:
        description:
          - The prefix length (1 to 32) of the network starting at O(ip_ranges[].ip_address).
          - Defaults to V(32) (the single address) when O(ip_ranges[].ip_address) is given without it.
        type: int
      description:
        description:
          - A note on the range, for example V(SBC primary).
          - When left out, the range's description on the server is kept.
        type: str
  purge_ip_ranges:
    description:
      - Whether ranges on the ACL that are not in O(ip_ranges) are deleted.
      - Has no effect when O(ip_ranges) is left out.
    type: bool
    default: true
  state:
    description:
      - V(present) creates the ACL or updates it to match the options given.
      - V(absent) deletes it (with its ranges); nothing happens when it does not exist.
    type: str
    choices: [present, absent]
    default: present
  force:
    description:
      - Delete the ACL even when it is still bound to trunks; it is unbound from each of them first (Sinch
        refuses to delete a bound ACL). Those trunks stop accepting calls from the ACL's ranges.
    type: bool
    default: false
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_ip_range
  - module: sinch.est.est_acl_info
  - module: sinch.est.est_trunk_acls
  - name: EST API reference for access control lists
    description: Sinch's reference of the access control list and IP range operations this module uses.
    link: https://developers.sinch.com/docs/est/api-reference/est/access-control-list/
"""

EXAMPLES = r"""
- name: Allow calls from the office and both SBCs, and nothing else
  sinch.est.est_acl:
    name: LA office
    ip_ranges:
      - cidr: 203.0.113.0/24
        description: Office network
      - ip_address: 198.51.100.10
        description: SBC primary
      - ip_address: 198.51.100.11
        range: 32
        description: SBC secondary

- name: Add a range, keeping the ranges the ACL already has
  sinch.est.est_acl:
    name: LA office
    ip_ranges:
      - cidr: 192.0.2.0/28
    purge_ip_ranges: false

- name: Switch the ACL off for a maintenance window
  sinch.est.est_acl:
    name: LA office
    enabled: false

- name: Rename an ACL
  sinch.est.est_acl:
    id: 01HZX3V4Q9C0R8M6S7T5W2Y1AC
    name: Los Angeles office

- name: Delete an ACL even though a trunk still uses it
  sinch.est.est_acl:
    name: Old office
    state: absent
    force: true
"""

RETURN = r"""
acl:
  description:
    - The ACL as the API returned it (keys in snake_case), with its IP ranges after the change; in check
      mode, the ACL as it would be.
    - An empty dictionary when O(state=absent).
  returned: always
  type: dict
  contains:
    id:
      description: The ACL's id.
      type: str
      sample: 01HZX3V4Q9C0R8M6S7T5W2Y1AC
    name:
      description: The ACL's name.
      type: str
      sample: LA office
    enabled:
      description: Whether the ACL is in force.
      type: bool
      sample: true
    ip_ranges:
      description: The ACL's IP ranges.
      type: list
      elements: dict
      contains:
        id:
          description: The range's id (absent for a range that check mode predicts).
          type: str
          sample: 01HZX3V4Q9C0R8M6S7T5W2Y1AD
        ip_address:
          description: The network's address.
          type: str
          sample: 203.0.113.0
        range:
          description: The prefix length.
          type: int
          sample: 24
        description:
          description: The note on the range.
          type: str
          sample: Office network
        access_control_list_id:
          description: The ACL the range belongs to.
          type: str
          sample: 01HZX3V4Q9C0R8M6S7T5W2Y1AC
        project_id:
          description: The project the range belongs to.
          type: str
          sample: 5f4d1c2e-0000-4000-8000-000000000000
        create_time:
          description: When the range was created (UTC).
          type: str
          sample: "2026-01-14T08:08:48Z"
        update_time:
          description: When the range was last changed (UTC); null before the first change.
          type: str
          sample: null
    trunks:
      description: The ids of the trunks the ACL is bound to.
      type: list
      elements: str
      sample: [01HZX3V4Q9C0R8M6S7T5W2Y1AB]
    project_id:
      description: The project the ACL belongs to.
      type: str
      sample: 5f4d1c2e-0000-4000-8000-000000000000
    create_time:
      description: When the ACL was created (UTC).
      type: str
      sample: "2026-01-14T08:08:48Z"
    update_time:
      description: When the ACL was last changed (UTC); null before the first change.
      type: str
      sample: "2026-01-15T09:10:11Z"
"""

from ansible_collections.sinch.est.plugins.module_utils import _binding as binding
from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils import _trunks as trunks
from ansible_collections.sinch.est.plugins.module_utils._children import Changes, ChildSet, set_changes
from ansible_collections.sinch.est.plugins.module_utils._module import run_module, snake
from ansible_collections.sinch.est.plugins.module_utils._resource import Dependents, EstResource, Field
from ansible_collections.sinch.est.plugins.module_utils._ip_ranges import ip_range_key, ip_ranges_body
from ansible_collections.sinch.est.plugins.module_utils._validation import Problems, check_name_not_empty

# What an item of ip_ranges looks like, for the message when one is not a dictionary (a CIDR string).
IP_RANGE_SHAPE = "a dictionary {ip_address: 192.0.2.0, range: 24} (or {cidr: 192.0.2.0/24})"


def desired_ranges(params):
    """The ip_ranges option as IpRange bodies (validate() reported its problems and warnings already)."""
    return ip_ranges_body("ip_ranges", params["ip_ranges"], Problems(), lambda _warning: None)


class IpRanges(ChildSet):
    option = "ip_ranges"
    noun = "IP range"
    diff_keys = ("ip_address", "range", "description")

    def key(self, member):
        return ip_range_key(member)

    def desired(self, target):
        return desired_ranges(target.params)

    def inline(self):
        return self.parent["ipRanges"] if isinstance(self.parent.get("ipRanges"), list) else None

    def fetch(self):
        return list(self.owner.list_all(paths.IP_RANGES, acl_id=self.parent["id"]))

    def changes(self, current, desired, purge):
        to_add, to_remove, matched = set_changes(current, desired, self.key)
        if purge:
            # The API does not refuse the same network twice; an exact list keeps one of each.
            first_of_network = {}
            to_remove += [item for item in current if first_of_network.setdefault(self.key(item), id(item)) != id(item)]
        else:
            to_remove = []
        to_describe = [(old, new) for old, new in matched
                       if "description" in new and (old.get("description") or "") != new["description"]]
        return Changes(add=to_add, update=to_describe, remove=to_remove)

    def add_one(self, member):
        path = paths.IP_RANGES.path(acl_id=self.parent["id"])

        def recheck():  # a lost POST may have made it
            return next((item for item in self.fetch() if self.key(item) == self.key(member)), None), member
        with self.owner.step(f"Adding IP range {member['ipAddress']}/{member['range']} to ACL {self.parent['id']}"):
            return self.owner.post_without_duplicates(path, member, recheck)

    def described(self, pair):
        old, new = pair
        return {"ipAddress": old["ipAddress"], "range": old["range"], "description": new["description"]}

    def predict_update(self, pair):
        return dict(pair[0], **self.described(pair))

    def update_one(self, pair):
        old = pair[0]
        with self.owner.step(f"Updating IP range {old['ipAddress']}/{old['range']} of ACL {self.parent['id']}"):
            return self.owner.client.put(paths.IP_RANGE.path(acl_id=self.parent["id"], range_id=old["id"]),
                                         self.described(pair))

    def remove_one(self, member):
        with self.owner.step(f"Deleting IP range {member['ipAddress']}/{member['range']} from ACL {self.parent['id']}"):
            self.owner.delete(paths.IP_RANGE.path(acl_id=self.parent["id"], range_id=member["id"]))

    def view(self, member):
        return snake(member)


class Acl(EstResource):
    noun = "access control list"
    result_key = "acl"
    collection = paths.ACLS
    item = paths.ACL
    fields = {"name": Field("name"), "enabled": Field("enabled")}
    identity = ("name",)
    unique_identity = False
    required_for_create = ("name", "ip_ranges")
    children = (IpRanges,)
    create_defaults = {"trunks": []}  # a new ACL is bound to no trunk
    diff_keys = ("trunks",)  # the trunks a forced delete unbinds it from

    def validate(self, problems):
        problems.add(check_name_not_empty("name", self.params["name"]))
        ip_ranges_body("ip_ranges", self.params["ip_ranges"], problems, self.warn)

    def check_desired(self, target):
        if target.current is None and self.params["ip_ranges"] == []:
            self.fail("ip_ranges: an access control list needs at least one range to be created")

    def create_body(self, target):
        # The live API refuses an ACL create without `enabled`.
        return dict({"enabled": True}, **target.desired, ipRanges=desired_ranges(target.params))

    def dependents(self, target):
        acl_id = target.current["id"]
        with self.step(f"Checking the trunks {self.label(target)} is bound to"):
            bound = trunks.bound_trunks(self.client, paths.ACL_TRUNKS, acl_id=acl_id)
        if not bound:
            return Dependents()
        names = ", ".join(f"{trunk.get('hostName')} ({trunk.get('id')})" for trunk in bound)
        if not self.params["force"]:
            self.fail(f"{self.label(target)} (id {acl_id}) is bound to trunk(s) {names}; deleting it "
                      "would stop those trunks accepting calls from its IP ranges. Unbind it with "
                      "sinch.est.est_trunk_acls (state: absent), or set force: true.")
        # The service never deletes a bound ACL: unbind it from every trunk first.
        return Dependents(shown={"trunks": [trunk.get("hostName") or trunk["id"] for trunk in bound]},
                          removals=(lambda: self.each(bound, lambda trunk: binding.TrunkAcls(self, trunk).remove_one(acl_id)),))


def main():
    run_module(
        Acl,
        dict(
            id=dict(type="str"),
            name=dict(type="str"),
            enabled=dict(type="bool"),
            ip_ranges=dict(type="list", elements="dict", options=dict(
                cidr=dict(type="str"),
                ip_address=dict(type="str"),
                range=dict(type="int"),
                description=dict(type="str"),
            )),
            purge_ip_ranges=dict(type="bool", default=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            force=dict(type="bool", default=False),
        ),
        required_one_of=[("id", "name")],
        list_shapes={"ip_ranges": IP_RANGE_SHAPE},
    )


if __name__ == "__main__":
    main()
