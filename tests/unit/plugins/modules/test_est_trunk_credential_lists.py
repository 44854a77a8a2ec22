# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""est_trunk_credential_lists: the binding logic is tested through est_trunk_acls; these pin the declaration."""

from __future__ import annotations

import pytest
from ansible.module_utils import basic

from ansible_collections.sinch.est.plugins.modules.est_trunk_credential_lists import main
from ansible_collections.sinch.est.tests.unit.harness import run
from ansible_collections.sinch.est.tests.unit.plugins.modules.binding_fake import BindingApi

BINDING = "/trunks/t1/credentialLists"


@pytest.fixture
def api():
    api = BindingApi()
    api.add("/trunks", {"id": "t1", "hostName": "acme-prod"})
    api.add("/credentialLists", {"id": "c1", "name": "phones"})
    api.add("/credentialLists", {"id": "c2", "name": "old-phones"})
    api.bind(BINDING, "credentialListIds", ["c2"])
    return api


def test_present_binds_a_list_by_name_with_the_credential_list_ids_key(api):
    result = run(main, api, {"trunk": "acme-prod", "credential_lists": ["phones"]})
    assert result["changed"] is True
    assert result["credential_list_ids"] == ["c2", "c1"]
    assert api.writes == [("POST", BINDING, {"credentialListIds": ["c1"]})]


def test_second_run_changes_nothing(api):
    run(main, api, {"trunk": "acme-prod", "credential_lists": ["phones"]})
    result = run(main, api, {"trunk": "acme-prod", "credential_lists": ["phones"]})
    assert result["changed"] is False


def test_purge_replaces_the_set_with_one_put(api):
    result = run(main, api, {"trunk": "t1", "credential_lists": ["c1"], "purge": True}, diff=True)
    assert api.writes == [("PUT", BINDING, ["c1"])]
    assert api.bound(BINDING) == ["c1"]
    assert result["diff"]["before"]["credential_lists"] == [{"id": "c2", "name": "old-phones"}]
    assert result["diff"]["after"]["credential_lists"] == [{"id": "c1", "name": "phones"}]


def test_removing_the_last_list_does_not_warn_about_acls(api, monkeypatch):
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda self, message: warnings.append(message))
    result = run(main, api, {"trunk": "acme-prod", "credential_lists": ["old-phones"], "state": "absent"})
    assert result["credential_list_ids"] == []
    assert api.writes == [("PUT", BINDING, [])]
    assert warnings == []


def test_unknown_list_fails_naming_the_option(api):
    result = run(main, api, {"trunk": "acme-prod", "credential_lists": ["ghost"]})
    assert result["failed"]
    assert "credential_lists: no credential list with id or name 'ghost'" in result["msg"]
    assert api.writes == []


def test_absent_on_a_trunk_that_does_not_exist_is_a_no_op(api):
    result = run(main, api, {"trunk": "nowhere", "credential_lists": ["phones"], "state": "absent"})
    assert not result.get("failed") and result["changed"] is False and result["credential_list_ids"] == []
    assert api.writes == []
