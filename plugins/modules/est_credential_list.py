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
  - Passwords never appear in the result, the diff or the log; the diff shows usernames.
  - Credentials are added (and with O(update_password=always) updated) before any is removed, so a
    username being replaced keeps working until its successor exists.
  - Removing a credential that a registered endpoint uses, or deleting a list still bound to a
    trunk, is refused unless O(force=true).
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
      - Delete the list even though it is bound to trunks, or remove a credential even though a
        registered endpoint uses it. Those endpoints stop registering and their calls fail.
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

from ansible_collections.sinch.est.plugins.module_utils._client import path_segment
from ansible_collections.sinch.est.plugins.module_utils._resource import EstResource, Field, run_module, set_changes


def without_passwords(credentials):
    return [{key: value for key, value in credential.items() if key != "password"} for credential in credentials or []]


class CredentialList(EstResource):
    noun = "credential list"
    result_key = "credential_list"
    collection_path = "/credentialLists"
    item_path = "/credentialLists/{id}"
    items_key = "credentialLists"
    fields = {"name": Field("name")}
    identity = ("name",)
    unique_identity = False
    required_for_create = ("name",)

    def validate(self, problems):
        if self.params["name"] == "":
            problems.add("name: must not be empty")
        seen = set()
        for index, credential in enumerate(self.params["credentials"] or []):
            username = credential["username"]
            if not username:
                problems.add(f"credentials[{index}].username: must not be empty")
            elif username in seen:
                problems.add(f"credentials[{index}].username: {username!r} is listed twice")
            seen.add(username)
            if not credential["password"]:
                problems.add(f"credentials[{index}].password: must not be empty (username {username!r})")

    def find_by_identity(self):
        # The list reply may leave out the credentials (only Sinch's SDK shows them there).
        found = super().find_by_identity()
        if found is not None and "credentials" not in found:
            found = self.get_or_none(self.item_url(found["id"]))
        return found

    def create_body(self, desired):
        credentials = self.params["credentials"] or []
        return dict(desired, credentials=[{"username": item["username"], "password": item["password"]} for item in credentials])

    def view(self, obj):
        shown = super().view(obj)
        if "credentials" in shown:
            shown["credentials"] = without_passwords(shown["credentials"])
        return shown

    def credential_changes(self, current):
        """(to_add, to_send, to_remove): new credentials, those whose password is sent, usernames to remove."""
        existing = current.get("credentials") or []
        to_add, to_remove, matched = set_changes(existing, self.params["credentials"], key=lambda item: item["username"])
        if not self.params["purge_credentials"]:
            to_remove = []
        to_send = to_add + ([pair[1] for pair in matched] if self.params["update_password"] == "always" else [])
        return to_add, to_send, to_remove

    def check_desired(self, current, desired):
        if current is None or self.params["credentials"] is None:
            return
        to_remove = self.credential_changes(current)[2]
        if to_remove:
            self.refuse_removing_used(current, [item["username"] for item in to_remove])

    def converge_children(self, current, after):
        if current is None or self.params["credentials"] is None:
            return {}, {}
        existing = current.get("credentials") or []
        to_add, to_send, to_remove = self.credential_changes(current)
        self.changed = self.changed or bool(to_send or to_remove)
        removed = {item["username"] for item in to_remove}
        kept = [item for item in existing if item["username"] not in removed]
        added = []
        for credential in to_send:
            self.context = f"Setting the password of {credential['username']!r} in {self.label()}"
            answer = None
            if not self.check_mode:
                answer = self.client.put(self.credential_url(current["id"], credential["username"]), {"password": credential["password"]})
            if credential in to_add:
                added.append(answer if isinstance(answer, dict) and answer.get("username") else {"username": credential["username"]})
        for credential in to_remove:
            self.context = f"Removing {credential['username']!r} from {self.label()}"
            if not self.check_mode:
                self.client.delete(self.credential_url(current["id"], credential["username"]))
        return {"credentials": without_passwords(existing)}, {"credentials": without_passwords(kept + added)}

    def credential_url(self, list_id, username):
        return f"{self.item_url(list_id)}/credentials/{path_segment(username)}"

    def trunks_bound_to(self, list_id):
        self.context = f"Reading the trunks bound to {self.label()}"
        return self.bound_trunks(self.item_url(list_id))

    def refuse_removing_used(self, current, usernames):
        if self.params["force"]:
            return
        users = []
        for trunk in self.trunks_bound_to(current["id"]):
            self.context = f"Reading the endpoints of trunk {trunk.get('hostName')}"
            for endpoint in self.list_all(f"/trunks/{path_segment(trunk['id'])}/endpoints", "endpoints"):
                if endpoint.get("credentialUsername") in usernames:
                    users.append(f"endpoint {endpoint.get('name')!r} ({endpoint.get('id')}) of trunk {trunk.get('hostName')} "
                                 f"uses {endpoint['credentialUsername']!r}")
        if users:
            self.fail(f"Removing {', '.join(map(repr, sorted(usernames)))} from {self.label()} would stop registered endpoints "
                      f"from registering: {'; '.join(users)}. Point those endpoints at another username, keep the "
                      "credential in the list, or set force: true.")

    def before_delete(self, current):
        if self.params["force"]:
            return
        trunks = self.trunks_bound_to(current["id"])
        if trunks:
            names = ", ".join(f"{trunk.get('hostName')} ({trunk.get('id')})" for trunk in trunks)
            self.fail(f"{self.label()} is still bound to trunk(s) {names}; deleting it would stop their registered "
                      "endpoints from authenticating. Unbind it with sinch.est.est_trunk_credential_lists "
                      "(state: absent), or set force: true.")


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
