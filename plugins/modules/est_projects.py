#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_projects
short_description: Add projects to Sinch Elastic SIP Trunking
version_added: 0.1.0
description:
  - Adds projects of your Sinch account to Elastic SIP Trunking (EST), so they can hold trunks, ACLs and the
    rest (C(POST /addProjects), the API's C(addEstProjects)).
  - Additive - the projects of O(project_ids) are added, no project is ever removed (the API has no operation
    that removes one).
  - The request goes to the project of O(project_id) (the connection option), as the API's path requires.
  - Sinch ignores a project EST already knows and answers the projects it added, so C(changed) is true only
    when at least one of O(project_ids) was new. The projects already known are the diff's C(before).
author:
  - sinch.est contributors (@sinch-est)
options:
  project_ids:
    description:
      - The ids of the projects to add, for example V(3acb7ae1-cf3d-4112-ba5e-3a9d8c71cd47).
      - An empty id fails the task before any request; an id listed twice is sent once.
    type: list
    elements: str
    required: true
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes.actiongroup
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: partial
    details:
      - Check mode sends nothing. The API has no operation that lists the projects EST knows, so check mode
        cannot tell a known project from a new one; it reports C(changed) (and every listed project in the
        diff's C(after)), and warns that the real run may change nothing.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details:
      - C(before) lists the projects of O(project_ids) EST already knew, C(after) all of them.
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: all
    details:
      - The module talks to the Sinch API over HTTPS; run it on V(localhost) or an execution environment.
seealso:
  - name: EST API reference for projects
    description: Sinch's reference of C(POST /addProjects).
    link: https://developers.sinch.com/docs/est/api-reference/est/projects/
"""

EXAMPLES = r"""
- name: Add the staging and production projects to Elastic SIP Trunking
  sinch.est.est_projects:
    project_ids:
      - 3acb7ae1-cf3d-4112-ba5e-3a9d8c71cd47
      - 879c4177-af8a-4534-8168-cc2f66a1f2c6
  register: added

- name: Show which of them were new
  ansible.builtin.debug:
    msg: "{{ added.added_project_ids }}"
"""

RETURN = r"""
project_ids:
  description: The projects listed in O(project_ids), each once, in the order given.
  returned: always
  type: list
  elements: str
  sample: [3acb7ae1-cf3d-4112-ba5e-3a9d8c71cd47]
added_project_ids:
  description:
    - The projects this run added (the API's C(addedProjects)); empty when EST knew them all.
    - In check mode, every project of O(project_ids) (see the check mode attribute).
  returned: always
  type: list
  elements: str
  sample: [3acb7ae1-cf3d-4112-ba5e-3a9d8c71cd47]
"""

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._module import EstModule, run_module
from ansible_collections.sinch.est.plugins.module_utils._validation import check_name_not_empty


class Projects(EstModule):
    noun = "project"

    def validate(self, problems):
        for index, project_id in enumerate(self.params["project_ids"]):
            problems.add(check_name_not_empty(f"project_ids[{index}]", project_id))
        if not self.params["project_ids"]:
            problems.add("project_ids: list at least one project")

    def run(self):
        wanted = list(dict.fromkeys(project_id.strip() for project_id in self.params["project_ids"]))
        if self.check_mode:
            self.record_change("Adding project(s)")
            self.warn("check mode cannot tell which of project_ids EST already knows (the API has no operation that "
                      "lists them); the real run changes nothing if it knows them all")
            self.exit(before={"project_ids": []}, after={"project_ids": wanted}, project_ids=wanted,
                      added_project_ids=wanted)
        with self.step(f"Adding project(s) {', '.join(wanted)} to Elastic SIP Trunking"):
            reply = self.client.post(paths.ADD_PROJECTS.path(), {"projectIds": wanted})
        added = reply.get("addedProjects") if isinstance(reply, dict) else None
        if not isinstance(added, list):
            self.warn("the API's reply did not list the projects it added (addedProjects); reporting every listed "
                      "project as added")
            added = wanted
        if added:
            self.record_change(f"Added project(s) {', '.join(map(str, added))}")
        known = [project_id for project_id in wanted if project_id not in added]
        self.exit(before={"project_ids": known}, after={"project_ids": wanted}, project_ids=wanted,
                  added_project_ids=[project_id for project_id in added if isinstance(project_id, str)])


def main():
    run_module(Projects, dict(project_ids=dict(type="list", elements="str", required=True)))


if __name__ == "__main__":
    main()
