#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_credential_list
short_description: Manage Sinch Elastic SIP Trunking credential lists and their credentials
version_added: 0.1.0
description:
  - Create, update and delete credential lists of a Sinch Elastic SIP Trunking (EST) project, and
    the credentials (username and password) in them.
  - Registered endpoints authenticate to EST with a username and password from a credential list
    bound to their trunk (see M(sinch.est.est_trunk_credential_lists)).
  - A credential list is identified by its O(name) or by its O(id). Names are not unique on the
    server; when two lists share the name, the task fails naming both ids, and O(id) chooses one.
    Give O(id) and O(name) to rename a list.
  - The API never returns passwords, so the module cannot tell whether a password differs.
    O(update_password) says what to do about it.
  - Passwords never appear in the result, the diff or the log; the diff shows usernames, and a rotated
    password as C(password_changed) on its username.
  - Every password is checked against Sinch's policy before any request - at least 12 characters, with an
    upper-case letter, a lower-case letter and a digit; the live API refuses anything else. The message
    names the option, the username and the rule, never the password.
  - Credentials are added (and with O(update_password=always) updated) before any is removed, so a
    username being replaced keeps working until its successor exists.
  - Removing a credential that a registered endpoint uses, or deleting a list still bound to a
    trunk, is refused unless O(force=true).
  - Sinch never deletes a list while registered endpoints use one of its usernames, on any trunk; the
    module then fails before any change, naming each endpoint and its trunk, even with O(force=true).
author:
  - sinch.est contributors (@sinch-est)
options:
  id:
    description:
      - The credential list's id. Addresses an existing list directly; it is an error if no list
        has it (a list is never created from an id).
      - Use it with O(name) to rename a list, or when two lists share a name.
    type: str
  name:
    description:
      - The credential list's name.
      - Required unless O(id) is given; required to create a list.
    type: str
  credentials:
    description:
      - The credentials the list should hold, each a O(credentials[].username) and its
        O(credentials[].password).
      - Compared by username as a set. With O(purge_credentials=true) (the default) usernames on
        the server but not listed here are removed; with V(false) they are kept.
      - Leave it out to leave the credentials as they are (for example to rename the list).
      - Ignored with O(state=absent).
    type: list
    elements: dict
    suboptions:
      username:
        description:
          - The SIP username. Unique within the list.
        type: str
        required: true
      password:
        description:
          - The SIP password of O(credentials[].username).
          - Sent when the username is added, and on every run with O(update_password=always).
            Never returned by the API, never shown in the result or the diff.
        type: str
        required: true
  update_password:
    description:
      - V(on_create) sets a password only when its username is added to the list; an existing
        username keeps the password it has on the server, so a second run reports no change.
      - V(always) sends the password of every listed username on every run. The API cannot tell
        whether a password differs, so the task then reports a change on every run; use it for a
        one-off password rotation, not in a playbook meant to converge to C(changed=0).
    type: str
    choices: [on_create, always]
    default: on_create
  purge_credentials:
    description:
      - Remove the usernames that the list holds but O(credentials) does not name.
      - With V(false), O(credentials) only adds (and with O(update_password=always) updates).
      - Has no effect when O(credentials) is left out.
    type: bool
    default: true
  state:
    description:
      - V(present) creates the credential list or updates it to match the options given.
      - V(absent) deletes it with its credentials; nothing happens when it does not exist.
    type: str
    choices: [present, absent]
    default: present
  force:
    description:
      - Delete the list even though it is bound to trunks (it is unbound from each first), or remove a
        credential even though a registered endpoint uses it. Those endpoints stop registering and their
        calls fail.
    type: bool
    default: false
notes:
  - The module learns which usernames a list holds from C(GET /credentialLists/{id}), whose C(credentials)
    Sinch's SDK reads but the current API reference does not describe. Should the API ever answer without
    them, every listed credential looks new, its password is sent again and the task reports a change on
    every run; the diff then shows the usernames as added each time.
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_credential_list_info
  - module: sinch.est.est_trunk_credential_lists
  - module: sinch.est.est_endpoint
  - name: EST API reference for credential lists
    description: Sinch's reference of the credential list operations this module uses.
    link: https://developers.sinch.com/docs/est/api-reference/est/credential-lists/
  - name: EST API reference
    description: The whole Elastic SIP Trunking API reference.
    link: https://developers.sinch.com/docs/est/api-reference/est/
"""

EXAMPLES = r"""
- name: Create the credentials of the branch phones
  sinch.est.est_credential_list:
    name: branch-phones
    credentials:
      - username: branch-101
        password: "{{ vault_branch_101_password }}"
      - username: branch-102
        password: "{{ vault_branch_102_password }}"

- name: Add one credential and keep the others the list already has
  sinch.est.est_credential_list:
    name: branch-phones
    credentials:
      - username: branch-103
        password: "{{ vault_branch_103_password }}"
    purge_credentials: false

- name: Rotate the passwords (reports a change on every run)
  sinch.est.est_credential_list:
    name: branch-phones
    credentials:
      - username: branch-101
        password: "{{ vault_branch_101_new_password }}"
      - username: branch-102
        password: "{{ vault_branch_102_new_password }}"
    update_password: always

- name: Rename a credential list
  sinch.est.est_credential_list:
    id: 01HZX3V4Q9C0R8M6S7T5W2Y1GH
    name: branch-phones-eu

- name: Delete a credential list, even though trunks still use it
  sinch.est.est_credential_list:
    name: old-phones
    state: absent
    force: true
"""

RETURN = r"""
credential_list:
  description:
    - The credential list as the API returned it (keys in snake_case), without any password; in
      check mode, the list as it would be.
    - An empty dictionary when O(state=absent).
  returned: always
  type: dict
  contains:
    id:
      description: The credential list's id (missing in check mode when the list would be created).
      type: str
      sample: 01HZX3V4Q9C0R8M6S7T5W2Y1GH
    name:
      description: The credential list's name.
      type: str
      sample: branch-phones
    credentials:
      description: The credentials in the list; usernames only, never passwords.
      type: list
      elements: dict
      contains:
        id:
          description: The credential's id (missing in check mode for a credential that would be added).
          type: str
          sample: 01HZX3V4Q9C0R8M6S7T5W2Y1JK
        username:
          description: The SIP username.
          type: str
          sample: branch-101
    project_id:
      description: The project the list belongs to.
      type: str
      sample: 5f4d1c2e-0000-4000-8000-000000000000
    create_time:
      description: When the list was created (UTC).
      type: str
      sample: "2026-01-14T08:08:48Z"
    update_time:
      description: When the list was last changed (UTC); null before the first change.
      type: str
      sample: "2026-01-15T09:10:11Z"
"""

from ansible_collections.sinch.est.plugins.module_utils import _binding as binding
from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils import _trunks as trunks
from ansible_collections.sinch.est.plugins.module_utils._children import Changes, ChildSet, set_changes
from ansible_collections.sinch.est.plugins.module_utils._module import run_module
from ansible_collections.sinch.est.plugins.module_utils._resource import Dependents, EstResource, Field
from ansible_collections.sinch.est.plugins.module_utils._validation import check_credentials


def without_password(credential):
    return {key: value for key, value in credential.items() if key != "password"}


class Credentials(ChildSet):
    option = "credentials"
    noun = "credential"
    diff_keys = ("username", "password_changed")

    def key(self, member):
        return member["username"]

    def inline(self):
        return self.parent["credentials"] if isinstance(self.parent.get("credentials"), list) else None

    def fetch(self):
        # The list reply may leave out the credentials (only Sinch's SDK shows them there).
        found = self.owner.get_or_none(paths.CREDENTIAL_LIST, credential_list_id=self.parent["id"]) or {}
        return found.get("credentials") or []

    def changes(self, current, desired, purge):
        to_add, to_remove, matched = set_changes(current, desired, self.key)
        rotate = matched if self.owner.params["update_password"] == "always" else []
        return Changes(add=to_add, update=rotate, remove=to_remove if purge else [])

    def set_password(self, credential):
        with self.owner.step(f"Setting the password of {credential['username']!r} in credential list {self.parent['id']}"):
            return self.owner.client.put(self.url(credential["username"]), {"password": credential["password"]})

    def add_one(self, member):
        answer = self.set_password(member)
        return answer if isinstance(answer, dict) and answer.get("username") else {"username": member["username"]}

    def update_one(self, pair):
        self.set_password(pair[1])

    def predict_update(self, pair):
        # The API cannot tell whether a password differs: a rotation is a change the diff names.
        return dict(pair[0], password_changed=True)

    def remove_one(self, member):
        with self.owner.step(f"Removing {member['username']!r} from credential list {self.parent['id']}"):
            self.owner.delete(self.url(member["username"]))

    def url(self, username):
        return paths.CREDENTIAL.path(credential_list_id=self.parent["id"], username=username)

    def view(self, member):
        return without_password(member)


class CredentialList(EstResource):
    noun = "credential list"
    result_key = "credential_list"
    collection = paths.CREDENTIAL_LISTS
    item = paths.CREDENTIAL_LIST
    fields = {"name": Field("name")}
    identity = ("name",)
    unique_identity = False
    required_for_create = ("name",)
    children = (Credentials,)
    diff_keys = ("trunks",)  # the trunks a forced delete unbinds it from

    def validate(self, problems):
        if self.params["name"] == "":
            problems.add("name: must not be empty")
        check_credentials(problems, self.params["credentials"])

    def create_body(self, target):
        credentials = self.params["credentials"] or []
        return dict(target.desired, credentials=[{"username": item["username"], "password": item["password"]}
                                                 for item in credentials])

    def view(self, obj):
        shown = super().view(obj)
        if "credentials" in shown:
            shown["credentials"] = [without_password(credential) for credential in shown["credentials"]]
        return shown

    def complete_current(self, target):
        if target.current is None or self.params["credentials"] is None:
            return target.current
        # Kept on the object, so converging the set does not read it again.
        return dict(target.current, credentials=Credentials(self, target.current).read())

    def check_desired(self, target):
        if target.current is None or self.params["credentials"] is None:
            return
        to_remove = Credentials(self, target.current).changes(target.current["credentials"], self.params["credentials"],
                                                              self.params["purge_credentials"]).remove
        if to_remove and not self.params["force"]:
            usernames = sorted(item["username"] for item in to_remove)
            users = self.endpoints_using(usernames, self.trunks_bound_to(target))
            if users:
                self.fail(f"Removing {', '.join(map(repr, usernames))} from {self.label(target)} would stop registered "
                          f"endpoints from registering: {'; '.join(users)}. Point those endpoints at another username, "
                          "keep the credential in the list, or set force: true.")

    def trunks_bound_to(self, target):
        with self.step(f"Reading the trunks bound to {self.label(target)}"):
            return trunks.bound_trunks(self.client, paths.CREDENTIAL_LIST_TRUNKS, credential_list_id=target.current["id"])

    def endpoints_using(self, usernames, on_trunks):
        """'endpoint ... of trunk ... uses ...' for each registered endpoint of `on_trunks` using one of `usernames`."""
        users = []
        for trunk in on_trunks:
            with self.step(f"Reading the endpoints of {trunks.trunk_label(trunk)}"):
                endpoints = [endpoint for endpoint in self.list_all(paths.ENDPOINTS, trunk_id=trunk["id"])
                             if endpoint.get("credentialUsername") in usernames]
            users += [f"endpoint {endpoint.get('name')!r} ({endpoint.get('id')}) of trunk {trunk.get('hostName')} "
                      f"uses {endpoint['credentialUsername']!r}" for endpoint in endpoints]
        return users

    def dependents(self, target):
        bound = self.trunks_bound_to(target)
        if bound and not self.params["force"]:
            names = ", ".join(f"{trunk.get('hostName')} ({trunk.get('id')})" for trunk in bound)
            self.fail(f"{self.label(target)} is still bound to trunk(s) {names}; deleting it would stop their registered "
                      "endpoints from authenticating. Unbind it with sinch.est.est_trunk_credential_lists "
                      "(state: absent), or set force: true.")
        # The service refuses to delete a list whose usernames registered endpoints use, on any trunk.
        # The credentials are kept for the diff's before view, which then shows them without a second read.
        credentials = Credentials(self, target.current).read()
        usernames = [credential["username"] for credential in credentials]
        with self.step("Reading the project's trunks"):
            every_trunk = list(self.list_all(paths.TRUNKS))
        users = self.endpoints_using(usernames, every_trunk) if usernames else []
        if users:
            self.fail(f"{self.label(target)} cannot be deleted while registered endpoints use its usernames: "
                      f"{'; '.join(users)}. Delete those endpoints or point them at a username in another list first.")
        if not bound:
            return Dependents(shown={"credentials": credentials})
        list_id = target.current["id"]
        return Dependents(
            shown={"credentials": credentials, "trunks": [trunk.get("hostName") or trunk["id"] for trunk in bound]},
            removals=(lambda: self.each(bound, lambda trunk: binding.TrunkCredentialLists(self, trunk).remove_one(list_id)),))


def main():
    run_module(
        CredentialList,
        dict(
            id=dict(type="str"),
            name=dict(type="str"),
            credentials=dict(
                type="list",
                elements="dict",
                options=dict(
                    username=dict(type="str", required=True),
                    password=dict(type="str", required=True, no_log=True),
                ),
            ),
            update_password=dict(type="str", choices=["on_create", "always"], default="on_create", no_log=False),
            purge_credentials=dict(type="bool", default=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            force=dict(type="bool", default=False),
        ),
        required_one_of=[("id", "name")],
    )


if __name__ == "__main__":
    main()
