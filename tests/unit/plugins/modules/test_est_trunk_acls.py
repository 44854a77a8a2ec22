# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""est_trunk_acls, and through it the binding base (EstBinding) both binding modules declare."""

from __future__ import annotations

import pytest
from ansible.module_utils import basic

from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError
from ansible_collections.sinch.est.plugins.modules.est_trunk_acls import main
from ansible_collections.sinch.est.tests.unit.harness import ambiguous, run
from ansible_collections.sinch.est.tests.unit.plugins.modules.binding_fake import BindingApi

BINDING = "/trunks/t1/accessControlLists"


@pytest.fixture
def warnings(monkeypatch):
    messages = []
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda self, message: messages.append(message))
    return messages


@pytest.fixture
def api():
    api = BindingApi()
    api.add("/trunks", {"id": "t1", "hostName": "acme-prod"})
    for acl_id, name in (("a1", "office"), ("a2", "dc"), ("a3", "lab")):
        api.add("/accessControlLists", {"id": acl_id, "name": name})
    api.bind(BINDING, "accessControlListIds", [])
    return api


def test_present_adds_the_missing_acls_in_one_request(api):
    result = run(main, api, {"trunk": "acme-prod", "acls": ["office", "a2"]})
    assert result["changed"] is True
    assert result["acl_ids"] == ["a1", "a2"]
    assert api.writes == [("POST", BINDING, {"accessControlListIds": ["a1", "a2"]})]


def test_present_with_everything_bound_changes_nothing(api):
    api.bind(BINDING, "accessControlListIds", ["a1", "a2"])
    result = run(main, api, {"trunk": "t1", "acls": ["dc", "office"]})
    assert result["changed"] is False
    assert result["acl_ids"] == ["a1", "a2"]
    assert api.writes == []


def test_present_without_purge_keeps_acls_not_listed(api):
    api.bind(BINDING, "accessControlListIds", ["a3"])
    result = run(main, api, {"trunk": "acme-prod", "acls": ["office"]})
    assert result["acl_ids"] == ["a3", "a1"]
    assert [request[0] for request in api.writes] == ["POST"]


def test_purge_adds_before_it_removes(api):
    api.bind(BINDING, "accessControlListIds", ["a3"])
    result = run(main, api, {"trunk": "acme-prod", "acls": ["office"], "purge": True})
    assert result["changed"] is True
    assert result["acl_ids"] == ["a1"]
    assert api.writes == [("POST", BINDING, {"accessControlListIds": ["a1"]}), ("DELETE", f"{BINDING}/a3", None)]


def test_purge_with_an_empty_list_removes_all_and_warns(api, warnings):
    api.bind(BINDING, "accessControlListIds", ["a1", "a2"])
    result = run(main, api, {"trunk": "acme-prod", "acls": [], "purge": True})
    assert result["acl_ids"] == []
    assert api.bound(BINDING) == []
    assert "outbound calls" in " ".join(warnings)


def test_absent_removes_only_the_listed_bound_acls(api):
    api.bind(BINDING, "accessControlListIds", ["a1", "a2"])
    result = run(main, api, {"trunk": "acme-prod", "acls": ["office", "lab"], "state": "absent"})
    assert result["changed"] is True
    assert api.writes == [("DELETE", f"{BINDING}/a1", None)]
    assert result["acl_ids"] == ["a2"]


def test_absent_of_an_acl_not_bound_changes_nothing(api):
    api.bind(BINDING, "accessControlListIds", ["a2"])
    result = run(main, api, {"trunk": "acme-prod", "acls": ["office"], "state": "absent"})
    assert result["changed"] is False
    assert api.writes == []


def test_absent_of_an_unknown_acl_warns_instead_of_failing(api, warnings):
    result = run(main, api, {"trunk": "acme-prod", "acls": ["deleted-meanwhile"], "state": "absent"})
    assert result["changed"] is False
    assert "deleted-meanwhile" in " ".join(warnings)


def test_removing_the_last_acl_warns(api, warnings):
    api.bind(BINDING, "accessControlListIds", ["a1"])
    result = run(main, api, {"trunk": "acme-prod", "acls": ["a1"], "state": "absent"})
    assert result["acl_ids"] == []
    assert any("no access control list" in warning for warning in warnings)


def test_unknown_acl_fails_before_any_write(api):
    result = run(main, api, {"trunk": "acme-prod", "acls": ["office", "nope"]})
    assert result["failed"]
    assert "acls: no access control list with id or name 'nope'" in result["msg"]
    assert api.writes == []


def test_acl_name_shared_by_two_fails_naming_both_ids(api):
    api.add("/accessControlLists", {"id": "a4", "name": "office"})
    result = run(main, api, {"trunk": "acme-prod", "acls": ["office"]})
    assert result["failed"]
    assert "a1" in result["msg"] and "a4" in result["msg"] and "use the id" in result["msg"]
    assert api.writes == []


def test_unknown_trunk_fails_naming_the_option(api):
    result = run(main, api, {"trunk": "nowhere", "acls": ["office"]})
    assert result["failed"]
    assert result["msg"].startswith("trunk: no trunk with id or host name 'nowhere'")
    assert api.writes == []


def test_purge_with_state_absent_is_rejected_before_any_request(api):
    result = run(main, api, {"trunk": "acme-prod", "acls": ["office"], "state": "absent", "purge": True})
    assert result["failed"]
    assert "purge:" in result["msg"]
    assert api.requests == []


def test_empty_acl_value_is_rejected_before_any_request(api):
    result = run(main, api, {"trunk": "acme-prod", "acls": ["office", ""]})
    assert result["failed"]
    assert "acls[1]" in result["msg"]
    assert api.requests == []


def test_check_mode_predicts_without_writing(api):
    api.bind(BINDING, "accessControlListIds", ["a3"])
    result = run(main, api, {"trunk": "acme-prod", "acls": ["office"], "purge": True}, check_mode=True)
    assert result["changed"] is True
    assert result["acl_ids"] == ["a1"]
    assert api.writes == []
    assert api.bound(BINDING) == ["a3"]


def test_diff_shows_names_and_ids_before_and_after(api):
    api.bind(BINDING, "accessControlListIds", ["a3"])
    result = run(main, api, {"trunk": "acme-prod", "acls": ["office"], "purge": True}, diff=True)
    assert result["diff"]["before"] == {"trunk": "acme-prod", "acls": [{"id": "a3", "name": "lab"}]}
    assert result["diff"]["after"] == {"trunk": "acme-prod", "acls": [{"id": "a1", "name": "office"}]}


def test_duplicate_values_bind_once(api):
    result = run(main, api, {"trunk": "acme-prod", "acls": ["office", "a1"]})
    assert api.writes == [("POST", BINDING, {"accessControlListIds": ["a1"]})]
    assert result["acl_ids"] == ["a1"]


def test_bound_ids_answered_as_objects_are_read_too(api):
    api.bind(BINDING, "accessControlListIds", ["a1"])
    api.objects_in_reply = True
    result = run(main, api, {"trunk": "acme-prod", "acls": ["office"]})
    assert result["changed"] is False


def test_lost_answer_of_an_add_is_not_resent_when_it_arrived(api):
    api.failures[("POST", BINDING)] = [(ambiguous(BINDING), True)]
    result = run(main, api, {"trunk": "acme-prod", "acls": ["office"]})
    assert result["changed"] is True
    assert [request[0] for request in api.writes] == ["POST"]
    assert api.bound(BINDING) == ["a1"]


def test_lost_add_that_did_not_arrive_is_sent_again(api):
    api.failures[("POST", BINDING)] = [(ambiguous(BINDING), False)]
    result = run(main, api, {"trunk": "acme-prod", "acls": ["office"]})
    assert result["changed"] is True
    assert [request[0] for request in api.writes] == ["POST", "POST"]
    assert api.bound(BINDING) == ["a1"]


def test_remove_of_an_acl_unbound_meanwhile_succeeds(api):
    api.bind(BINDING, "accessControlListIds", ["a1", "a2"])
    api.failures[("DELETE", f"{BINDING}/a2")] = [(api_not_found(f"{BINDING}/a2"), False)]
    result = run(main, api, {"trunk": "acme-prod", "acls": ["a1"], "purge": True})
    assert result["changed"] is True
    assert result["acl_ids"] == ["a1"]


def api_not_found(path):
    return EstApiError(f"DELETE {path} failed: HTTP 404", method="DELETE", path=path, status_code=404)


def test_absent_on_a_trunk_that_does_not_exist_is_a_no_op(api, warnings):
    result = run(main, api, {"trunk": "nowhere", "acls": ["office"], "state": "absent"})
    assert not result.get("failed") and result["changed"] is False and result["acl_ids"] == []
    assert api.writes == [] and "trunk: no trunk" in " ".join(warnings)


def test_check_mode_diff_shows_an_acl_an_earlier_task_creates_with_the_placeholder_id(api, warnings):
    result = run(main, api, {"trunk": "acme-prod", "acls": ["office", "new-office"]}, check_mode=True, diff=True)
    assert result["changed"] is True and api.writes == []
    assert result["diff"]["after"] == {"trunk": "acme-prod", "acls": [
        {"id": "a1", "name": "office"}, {"id": "(created: id assigned by Sinch)", "name": "new-office"}]}
