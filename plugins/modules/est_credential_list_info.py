#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_credential_list_info
short_description: List Sinch Elastic SIP Trunking credential lists
version_added: 0.1.0
description:
  - Returns the credential lists of a Sinch Elastic SIP Trunking (EST) project, all of them or those named by
    O(name) or O(id), each with the user names of its credentials.
  - Passwords are never returned; the API does not return them either.
  - Reads each list with C(GET /credentialLists/{id}) for its user names and C(GET /credentialLists/{id}/trunks)
    for the trunks it is bound to (two requests per list).
  - Never changes anything. Returns an empty list when nothing matches.
author:
  - sinch.est contributors (@sinch-est)
options:
  id:
    description:
      - Only the credential list with this id.
    type: str
  name:
    description:
      - Only credential lists with exactly this name.
    type: str
notes:
  - Listing credential lists (C(GET /credentialLists)) is in Sinch's Node SDK but in neither API reference;
    reading one by O(id) uses only C(GET /credentialLists/{id}).
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes.info_module
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_credential_list
  - module: sinch.est.est_trunk_credential_lists
  - name: EST API reference for credential lists
    description: Sinch's reference of the credential list operations this module uses.
    link: https://developers.sinch.com/docs/est/api-reference/est/credential-lists/
"""

EXAMPLES = r"""
- name: Read every credential list
  sinch.est.est_credential_list_info:
  register: credential_lists

- name: Read the credential list named pbx-users
  sinch.est.est_credential_list_info:
    name: pbx-users
  register: pbx_users

- name: Show its user names
  ansible.builtin.debug:
    msg: "{{ pbx_users.credential_lists[0].credentials | map(attribute='username') | list }}"
  when: pbx_users.credential_lists | length > 0
"""

RETURN = r"""
credential_lists:
  description: The credential lists found (keys in snake_case), in the order the API lists them.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The list's id.
      type: str
    name:
      description: The list's name.
      type: str
    credentials:
      description: The list's credentials, C(id) and C(username) each; never a password.
      type: list
      elements: dict
    trunks:
      description: The ids of the trunks the list is bound to.
      type: list
      elements: str
    create_time:
      description: When the list was created.
      type: str
    update_time:
      description: When the list was last changed (null before the first change).
      type: str
  sample:
    - id: 01HZX7E0Q5R1S8T6V2W9X4Y3ZA
      name: pbx-users
      credentials:
        - id: 01HZX7E0R6S2T9V7W3X0Y5Z4AB
          username: pbx-1
      trunks: [01HZX3V4Q9C0R8M6S7T5W2Y1AB]
      project_id: 5f4d1c2e-0000-4000-8000-000000000000
      create_time: "2026-01-14T08:16:00Z"
      update_time: null
"""

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils import _trunks as trunks
from ansible_collections.sinch.est.plugins.module_utils._module import EstModule, run_module, snake


class CredentialListInfo(EstModule):
    noun = "credential list"

    def run(self):
        if self.params["id"]:
            ids = [self.params["id"]]
        else:
            with self.step("Reading credential lists"):
                ids = [item["id"] for item in self.list_all(paths.CREDENTIAL_LISTS)
                       if self.params["name"] is None or item.get("name") == self.params["name"]]
        credential_lists = []
        for list_id in ids:
            with self.step(f"Reading credential list {list_id}"):
                credential_list = self.get_or_none(paths.CREDENTIAL_LIST, credential_list_id=list_id)
            if credential_list is not None:
                with self.step(f"Reading the trunks bound to credential list {list_id}"):
                    bound = [trunk.get("id") for trunk in trunks.bound_trunks(self.client, paths.CREDENTIAL_LIST_TRUNKS,
                                                                              credential_list_id=list_id)]
                credential_lists.append(self.view(dict(credential_list, trunks=bound)))
        self.exit(credential_lists=credential_lists)

    @staticmethod
    def view(credential_list):
        credentials = [{key: value for key, value in credential.items() if key != "password"}
                       for credential in credential_list.get("credentials") or []]
        return snake(dict(credential_list, credentials=credentials))


def main():
    run_module(CredentialListInfo, dict(id=dict(type="str"), name=dict(type="str")), mutually_exclusive=[("id", "name")])


if __name__ == "__main__":
    main()
