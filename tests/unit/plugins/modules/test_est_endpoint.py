# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
from ansible.module_utils import basic

from ansible_collections.sinch.est.plugins.modules.est_endpoint import main
from ansible_collections.sinch.est.tests.unit.harness import FakeApi, run

ENDPOINTS = "/trunks/id1/endpoints"
STATIC = {"name": "sbc-1", "address": "198.51.100.10", "port": 5060, "priority": 1, "transport": "UDP", "enabled": True}
REGISTERED = {"name": "pbx", "isRegistered": True, "credentialUsername": "pbx-user", "priority": 2, "transport": "UDP",
              "enabled": True}


@pytest.fixture
def warnings(monkeypatch):
    messages = []
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda self, message: messages.append(message))
    return messages


@pytest.fixture
def api():
    fake = FakeApi()
    fake.add("/trunks", {"hostName": "acme", "name": "acme"})
    # The usernames the registered endpoints below use, in a credential list bound to the trunk
    # (placed directly, so the ids the tests expect stay as they are).
    fake.objects["/credentialLists/cl1"] = {"id": "cl1", "name": "pbx-users",
                                            "credentials": [{"username": "pbx-user"}, {"username": "u"}]}
    fake.collections["/credentialLists"] = ["cl1"]
    fake.objects["/trunks/id1/credentialLists/cl1"] = {"id": "cl1"}
    fake.collections["/trunks/id1/credentialLists"] = ["cl1"]
    return fake


def test_create_static_endpoint_on_a_trunk_given_by_host_name(api):
    result = run(main, api, {"trunk": "acme", "name": "sbc-1", "address": "198.51.100.10", "priority": 1, "transport": "tcp"})
    assert result["changed"] is True
    assert api.writes == [("POST", ENDPOINTS, {"name": "sbc-1", "address": "198.51.100.10", "priority": 1, "transport": "TCP"})]


def test_create_registered_endpoint_sends_is_registered(api):
    run(main, api, {"trunk": "id1", "name": "pbx", "credential_username": "pbx-user", "priority": 2})
    assert api.writes == [("POST", ENDPOINTS, {"name": "pbx", "credentialUsername": "pbx-user", "priority": 2,
                                               "isRegistered": True})]


def test_create_answered_as_a_list_envelope_returns_the_endpoint(api):
    api.post = lambda path, body=None, api="est": {"endpoints": [dict(body, id="e9")]}
    result = run(main, api, {"trunk": "acme", "name": "sbc-1", "address": "198.51.100.10", "priority": 1})
    assert result["endpoint"]["id"] == "e9"


def test_create_without_priority_or_kind_names_both(api):
    result = run(main, api, {"trunk": "acme", "name": "sbc-1"})
    assert result["failed"] and "priority" in result["msg"] and "credential_username" in result["msg"]
    assert api.writes == []


def test_same_values_in_another_case_change_nothing(api):
    api.add(ENDPOINTS, STATIC)
    result = run(main, api, {"trunk": "acme", "name": "sbc-1", "address": "198.51.100.10", "transport": "udp", "priority": 1})
    assert result["changed"] is False
    assert api.writes == []


def test_update_keeps_values_left_out(api):
    api.add(ENDPOINTS, STATIC)
    run(main, api, {"trunk": "acme", "name": "sbc-1", "priority": 5})
    assert api.writes == [("PUT", ENDPOINTS + "/id2", dict(STATIC, priority=5))]


def test_static_becoming_registered_drops_address_and_port(api):
    api.add(ENDPOINTS, STATIC)
    result = run(main, api, {"trunk": "acme", "name": "sbc-1", "credential_username": "u"}, check_mode=True)
    body = {"name": "sbc-1", "priority": 1, "transport": "UDP", "enabled": True, "credentialUsername": "u", "isRegistered": True}
    assert "address" not in result["endpoint"] and result["endpoint"]["is_registered"] is True
    run(main, api, {"trunk": "acme", "name": "sbc-1", "credential_username": "u"})
    assert api.writes == [("PUT", ENDPOINTS + "/id2", body)]


def test_registered_becoming_static_drops_the_username(api):
    api.add(ENDPOINTS, REGISTERED)
    run(main, api, {"trunk": "acme", "name": "pbx", "address": "pbx.example.com", "port": 5070})
    assert api.writes == [("PUT", ENDPOINTS + "/id2", {"name": "pbx", "priority": 2, "transport": "UDP", "enabled": True,
                                                       "address": "pbx.example.com", "port": 5070})]


def test_port_on_a_registered_endpoint_fails_before_any_write(api):
    api.add(ENDPOINTS, REGISTERED)
    result = run(main, api, {"trunk": "acme", "name": "pbx", "port": 5070})
    assert result["failed"] and "port" in result["msg"]
    assert api.writes == []


def test_two_endpoints_with_the_name_fail_asking_for_id(api):
    api.add(ENDPOINTS, STATIC)
    api.add(ENDPOINTS, STATIC)
    result = run(main, api, {"trunk": "acme", "name": "sbc-1", "priority": 3})
    assert result["failed"] and "id2" in result["msg"] and "id3" in result["msg"] and "set id" in result["msg"]
    assert api.writes == []


def test_tls_on_port_5060_warns(api, warnings):
    run(main, api, {"trunk": "acme", "name": "sbc-1", "address": "198.51.100.10", "priority": 1, "transport": "tls"})
    assert "5060" in " ".join(warnings)


def test_tls_on_port_5061_does_not_warn(api, warnings):
    run(main, api, {"trunk": "acme", "name": "sbc-1", "address": "198.51.100.10", "port": 5061, "priority": 1, "transport": "tls"})
    assert warnings == []


@pytest.mark.parametrize("args, option", [
    ({"address": "300.1.1.1"}, "address"),
    ({"address": "bad host!"}, "address"),
    ({"port": 0}, "port"),
    ({"port": 70000}, "port"),
    ({"priority": 0}, "priority"),
    ({"transport": "sctp"}, "transport"),
    ({"credential_username": "u", "port": 5060}, "port"),
])
def test_invalid_input_fails_before_any_request(api, args, option):
    result = run(main, api, dict({"trunk": "acme", "name": "x", "priority": 1, "address": "198.51.100.1"}, **args)
                 if "credential_username" not in args else dict({"trunk": "acme", "name": "x", "priority": 1}, **args))
    assert result["failed"] and option in result["msg"]
    assert api.requests == []


def test_unknown_trunk_fails_naming_the_option(api):
    result = run(main, api, {"trunk": "nowhere", "name": "x", "address": "198.51.100.1", "priority": 1})
    assert result["failed"] and result["msg"].startswith("trunk:")
    assert api.writes == []


def test_api_refusing_a_username_explains_the_credential_list(api):
    from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError
    api.failures[("POST", ENDPOINTS)] = [(EstApiError("POST failed: HTTP 400", method="POST", path=ENDPOINTS, status_code=400,
                                                      api_message="credentialUsername must be..."), False)]
    result = run(main, api, {"trunk": "acme", "name": "pbx", "credential_username": "nobody", "priority": 1})
    assert result["failed"] and "credential list bound to trunk" in result["msg"]


def test_list_form_creates_updates_in_one_read_and_uses_top_level_defaults(api):
    api.add(ENDPOINTS, STATIC)
    result = run(main, api, {"trunk": "acme", "priority": 1, "transport": "udp", "endpoints": [
        {"name": "sbc-1", "address": "198.51.100.10"}, {"name": "sbc-2", "address": "198.51.100.11", "priority": 2}]})
    assert result["changed"] is True
    assert api.writes == [("POST", ENDPOINTS, {"name": "sbc-2", "address": "198.51.100.11", "priority": 2, "transport": "UDP"})]
    assert [e["name"] for e in result["endpoints"]] == ["sbc-1", "sbc-2"]
    assert [r for r in api.requests if r[:2] == ("GET", ENDPOINTS)] == [("GET", ENDPOINTS, None)]


def test_list_form_purge_deletes_the_others_after_creating(api):
    api.add(ENDPOINTS, dict(STATIC, name="old"))
    run(main, api, {"trunk": "acme", "purge_endpoints": True, "endpoints": [{"name": "new", "address": "198.51.100.12", "priority": 1}]})
    assert [request[0] for request in api.writes] == ["POST", "DELETE"]
    assert api.writes[1][1] == ENDPOINTS + "/id2"


def test_list_form_without_purge_keeps_the_others(api):
    api.add(ENDPOINTS, dict(STATIC, name="old"))
    result = run(main, api, {"trunk": "acme", "endpoints": [{"name": "old"}]})
    assert result["changed"] is False and api.writes == []


def test_list_form_absent_deletes_the_listed(api):
    api.add(ENDPOINTS, STATIC)
    result = run(main, api, {"trunk": "acme", "state": "absent", "endpoints": [{"name": "sbc-1"}, {"name": "gone"}]})
    assert result["changed"] is True and result["endpoints"] == []
    assert api.writes == [("DELETE", ENDPOINTS + "/id2", None)]


def test_list_form_duplicate_names_fail_before_any_request(api):
    result = run(main, api, {"trunk": "acme", "endpoints": [{"name": "a", "address": "198.51.100.1"}, {"name": "a"}]})
    assert result["failed"] and "endpoints[1].name" in result["msg"]
    assert api.requests == []


def test_list_form_checks_every_item_before_the_first_write(api):
    # A later item that cannot be created (no priority) fails the task before the first item is written.
    result = run(main, api, {"trunk": "acme", "endpoints": [{"name": "a", "address": "198.51.100.1", "priority": 1},
                                                            {"name": "b", "address": "198.51.100.2"}]})
    assert result["failed"] and "priority" in result["msg"]
    assert api.writes == []


def test_list_form_ambiguous_name_fails_before_the_first_write(api):
    api.add(ENDPOINTS, dict(STATIC, name="dup"))
    api.add(ENDPOINTS, dict(STATIC, name="dup"))
    result = run(main, api, {"trunk": "acme", "endpoints": [{"name": "a", "address": "198.51.100.1", "priority": 1},
                                                            {"name": "dup", "priority": 4}]})
    assert result["failed"] and "set id" in result["msg"]
    assert api.writes == []


@pytest.mark.parametrize("args", [{"name": "sbc-1"}, {"endpoints": [{"name": "sbc-1"}]}])
def test_absent_on_a_trunk_that_does_not_exist_is_a_no_op(args, warnings):
    api = FakeApi()
    result = run(main, api, dict(args, trunk="gone", state="absent"))
    assert not result.get("failed") and result["changed"] is False
    assert api.writes == [] and "trunk: no trunk" in " ".join(warnings)


def test_a_registered_endpoint_whose_username_is_in_an_unbound_list_is_refused_naming_the_list(api):
    api.objects["/credentialLists/cl2"] = {"id": "cl2", "name": "spare", "credentials": [{"username": "lonely"}]}
    api.collections["/credentialLists"].append("cl2")
    result = run(main, api, {"trunk": "acme", "name": "pbx", "credential_username": "lonely", "priority": 2})
    assert result["failed"] is True
    assert "'spare'" in result["msg"] and "est_trunk_credential_lists" in result["msg"] and "401" in result["msg"]
    assert api.writes == []


def test_a_registered_endpoint_whose_username_no_list_has_is_refused(api):
    result = run(main, api, {"trunk": "acme", "name": "pbx", "credential_username": "nobody", "priority": 2})
    assert result["failed"] is True and "no credential list of project" in result["msg"]
    assert api.writes == []


def test_the_list_form_checks_every_registered_item_before_the_first_write(api):
    result = run(main, api, {"trunk": "acme", "endpoints": [
        {"name": "sbc-1", "address": "198.51.100.10", "priority": 1},
        {"name": "pbx", "credential_username": "nobody", "priority": 2}]})
    assert result["failed"] is True and "endpoints[1]" in result["msg"] and "nothing was changed" in result["msg"]
    assert api.writes == []


def test_in_check_mode_an_unbound_username_warns_instead_of_failing(api, warnings):
    result = run(main, api, {"trunk": "acme", "name": "pbx", "credential_username": "nobody", "priority": 2},
                 check_mode=True)
    assert result["changed"] is True
    assert [warning for warning in warnings if "nobody" in warning and "earlier task" in warning]


def test_an_unchanged_registered_endpoint_does_not_read_the_credential_lists(api):
    api.add(ENDPOINTS, REGISTERED)
    result = run(main, api, {"trunk": "acme", "name": "pbx", "credential_username": "pbx-user", "priority": 2})
    assert result["changed"] is False
    assert not [request for request in api.requests if "credentialLists" in request[1]]


def test_check_mode_under_a_trunk_that_does_not_exist_yet_predicts_the_creates(api, warnings):
    result = run(main, api, {"trunk": "acme-new", "endpoints": [{"name": "sbc-1", "address": "198.51.100.10", "priority": 1}]},
                 check_mode=True, diff=True)
    assert result["changed"] is True and api.writes == []
    assert [endpoint["name"] for endpoint in result["diff"]["after"]["endpoints"]] == ["sbc-1"]
    assert [warning for warning in warnings if "acme-new" in warning and "yet" in warning]


def test_outside_check_mode_a_trunk_that_does_not_exist_fails(api):
    result = run(main, api, {"trunk": "acme-new", "name": "sbc-1", "address": "198.51.100.10", "priority": 1})
    assert result["failed"] is True and "no trunk with id or host name 'acme-new'" in result["msg"]


class ListsWithoutCredentials(FakeApi):
    """The current API reference's list reply: credential lists without their credentials."""

    def paginate(self, path, items_key, params=None, page_size=500, max_pages=10000, api="est"):
        for item in super().paginate(path, items_key, params, page_size, max_pages, api):
            yield {key: value for key, value in item.items() if key != "credentials"} if path == "/credentialLists" else item


def test_a_refused_username_reads_each_credential_list_once(api):
    lean = ListsWithoutCredentials()
    lean.objects, lean.collections, lean.next_id = api.objects, api.collections, api.next_id
    lean.objects["/credentialLists/cl2"] = {"id": "cl2", "name": "spare", "credentials": [{"username": "lonely"}]}
    lean.collections["/credentialLists"].append("cl2")
    result = run(main, lean, {"trunk": "acme", "name": "pbx", "credential_username": "lonely", "priority": 2})
    assert result["failed"] is True and "'spare'" in result["msg"]
    reads = [request[1] for request in lean.requests if request[0] == "GET" and request[1].startswith("/credentialLists/")]
    assert sorted(reads) == ["/credentialLists/cl1", "/credentialLists/cl2"]
