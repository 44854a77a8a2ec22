# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.sinch.est.plugins.modules.est_projects import main
from ansible_collections.sinch.est.tests.unit.harness import FakeApi, run


class ProjectsApi(FakeApi):
    """POST /addProjects as the document describes it: known projects are ignored, the reply lists
    the ones added (`reply` overrides the answer)."""

    def __init__(self, known=(), reply=None):
        super().__init__()
        self.known = list(known)
        self.reply = reply

    def post(self, path, body, api="est"):
        self.requests.append(("POST", path, body))
        assert path == "/addProjects"
        added = [project for project in body["projectIds"] if project not in self.known]
        self.known += added
        return self.reply if self.reply is not None else {"addedProjects": added}


def test_new_projects_are_added_and_reported(monkeypatch):
    api = ProjectsApi(known=["p-old"])
    result = run(main, api, {"project_ids": ["p-new", "p-old", "p-new"]}, diff=True)
    assert api.requests == [("POST", "/addProjects", {"projectIds": ["p-new", "p-old"]})]
    assert (result["changed"], result["added_project_ids"], result["project_ids"]) == (True, ["p-new"], ["p-new", "p-old"])
    assert result["diff"] == {"before": {"project_ids": ["p-old"]}, "after": {"project_ids": ["p-new", "p-old"]}}


def test_known_projects_change_nothing():
    api = ProjectsApi(known=["p-a", "p-b"])
    result = run(main, api, {"project_ids": ["p-a", "p-b"]})
    assert (result["changed"], result["added_project_ids"]) == (False, [])


def test_check_mode_sends_nothing_and_says_it_cannot_tell(monkeypatch):
    warnings = []
    from ansible.module_utils import basic
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda self, message: warnings.append(message))
    api = ProjectsApi()
    result = run(main, api, {"project_ids": ["p-new"]}, check_mode=True, diff=True)
    assert api.requests == []
    assert (result["changed"], result["added_project_ids"]) == (True, ["p-new"])
    assert result["diff"]["after"] == {"project_ids": ["p-new"]}
    assert any("cannot tell" in message for message in warnings)


@pytest.mark.parametrize("project_ids, words", [([], "at least one"), (["p1", ""], "project_ids[1]: must not be empty")])
def test_bad_input_fails_before_any_request(project_ids, words):
    api = ProjectsApi()
    result = run(main, api, {"project_ids": project_ids})
    assert result["failed"] is True and words in result["msg"]
    assert api.requests == []


def test_a_reply_without_added_projects_counts_every_project_as_added():
    result = run(main, ProjectsApi(reply={}), {"project_ids": ["p-x"]})
    assert (result["changed"], result["added_project_ids"]) == (True, ["p-x"])
