# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
from ansible.module_utils import basic

from ansible_collections.sinch.est.plugins.modules.est_acl import main
from ansible_collections.sinch.est.tests.unit.harness import FakeApi, run

ACLS = "/accessControlLists"
RANGES = "/accessControlLists/id1/ipRanges"


@pytest.fixture
def warnings(monkeypatch):
    messages = []
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda self, message: messages.append(message))
    return messages


@pytest.fixture
def api():
    return FakeApi()


def office(api, *ranges):
    acl = api.add(ACLS, {"name": "office", "enabled": True})
    for address, prefix, description in ranges:
        api.add(f"{ACLS}/{acl['id']}/ipRanges", {"ipAddress": address, "range": prefix, "description": description})
    return acl


def test_create_sends_the_acl_with_its_ranges_in_one_request(api):
    result = run(main, api, {"name": "office", "ip_ranges": [{"cidr": "203.0.113.0/24", "description": "lan"},
                                                             {"ip_address": "198.51.100.7"}]})
    assert result["changed"] is True
    assert api.writes == [("POST", ACLS, {"enabled": True, "name": "office", "ipRanges": [
        {"ipAddress": "203.0.113.0", "range": 24, "description": "lan"}, {"ipAddress": "198.51.100.7", "range": 32}]})]


def test_create_without_ranges_names_the_option(api):
    result = run(main, api, {"name": "office"})
    assert result["failed"] and "ip_ranges" in result["msg"]
    assert api.writes == []


def test_same_ranges_in_another_order_change_nothing(api):
    office(api, ("203.0.113.0", 24, "lan"), ("198.51.100.7", 32, ""))
    result = run(main, api, {"name": "office", "ip_ranges": [{"cidr": "198.51.100.7/32"}, {"cidr": "203.0.113.0/24"}]})
    assert result["changed"] is False
    assert api.writes == []


def test_changed_range_is_added_before_the_old_one_is_deleted(api):
    office(api, ("203.0.113.0", 24, ""))
    result = run(main, api, {"name": "office", "ip_ranges": [{"cidr": "192.0.2.0/24"}]})
    assert result["changed"] is True
    assert [request[:2] for request in api.writes] == [("POST", RANGES), ("DELETE", RANGES + "/id2")]


def test_ranges_are_kept_when_purge_is_off(api):
    office(api, ("203.0.113.0", 24, ""))
    result = run(main, api, {"name": "office", "ip_ranges": [{"cidr": "192.0.2.0/24"}], "purge_ip_ranges": False})
    assert [request[0] for request in api.writes] == ["POST"]
    assert len(result["acl"]["ip_ranges"]) == 2


def test_ranges_left_out_are_not_touched(api):
    office(api, ("203.0.113.0", 24, ""))
    result = run(main, api, {"name": "office", "enabled": False})
    assert api.writes == [("PUT", ACLS + "/id1", {"name": "office", "enabled": False})]
    assert result["acl"]["ip_ranges"][0]["ip_address"] == "203.0.113.0"


def test_description_change_updates_the_range_in_place(api):
    office(api, ("203.0.113.0", 24, "old"))
    run(main, api, {"name": "office", "ip_ranges": [{"cidr": "203.0.113.0/24", "description": "new"}]})
    assert api.writes == [("PUT", RANGES + "/id2", {"ipAddress": "203.0.113.0", "range": 24, "description": "new"})]


def test_description_left_out_keeps_the_server_description(api):
    office(api, ("203.0.113.0", 24, "kept"))
    result = run(main, api, {"name": "office", "ip_ranges": [{"cidr": "203.0.113.0/24"}]})
    assert result["changed"] is False


def test_host_bits_warn_and_match_the_stored_network(api, warnings):
    office(api, ("203.0.113.5", 24, ""))
    result = run(main, api, {"name": "office", "ip_ranges": [{"cidr": "203.0.113.9/24"}]})
    assert result["changed"] is False
    assert "host bits" in " ".join(warnings)


def test_host_bits_are_cleared_on_create(api):
    run(main, api, {"name": "office", "ip_ranges": [{"cidr": "203.0.113.9/24"}]})
    assert api.writes[0][2]["ipRanges"] == [{"ipAddress": "203.0.113.0", "range": 24}]


def test_duplicate_ranges_fail_before_any_request(api):
    result = run(main, api, {"name": "office", "ip_ranges": [{"cidr": "203.0.113.0/24"}, {"ip_address": "203.0.113.0", "range": 24}]})
    assert result["failed"] and "ip_ranges[1]" in result["msg"]
    assert api.requests == []


@pytest.mark.parametrize("entry, option", [
    ({"cidr": "203.0.113.0/33"}, "ip_ranges[0].range"),
    ({"cidr": "300.1.1.1/24"}, "ip_ranges[0].cidr"),
    ({"ip_address": "10.0.0.1", "cidr": "10.0.0.0/8"}, "ip_ranges[0]"),
    ({"description": "no address"}, "ip_ranges[0]"),
])
def test_invalid_range_fails_naming_the_option(api, entry, option):
    result = run(main, api, {"name": "office", "ip_ranges": [entry]})
    assert result["failed"] and option in result["msg"]
    assert api.requests == []


def test_check_mode_predicts_ranges_and_writes_nothing(api):
    office(api, ("203.0.113.0", 24, ""))
    result = run(main, api, {"name": "office", "ip_ranges": [{"cidr": "192.0.2.0/24"}]}, check_mode=True, diff=True)
    assert result["changed"] is True
    assert api.writes == []
    assert [r["ip_address"] for r in result["diff"]["before"]["ip_ranges"]] == ["203.0.113.0"]
    assert [r["ip_address"] for r in result["diff"]["after"]["ip_ranges"]] == ["192.0.2.0"]


def test_two_acls_with_the_name_fail_naming_both_ids(api):
    api.add(ACLS, {"name": "office"})
    api.add(ACLS, {"name": "office"})
    result = run(main, api, {"name": "office", "enabled": True})
    assert result["failed"] and "id1" in result["msg"] and "id2" in result["msg"]


def test_delete_of_a_bound_acl_is_refused_naming_the_trunk(api):
    office(api, ("203.0.113.0", 24, ""))
    api.add(ACLS + "/id1/trunks", {"id": "t1", "hostName": "acme"})
    result = run(main, api, {"name": "office", "state": "absent"})
    assert result["failed"] and "acme (t1)" in result["msg"] and "force" in result["msg"]
    assert api.writes == []


def test_delete_of_a_bound_acl_with_force_unbinds_it_then_deletes(api):
    office(api, ("203.0.113.0", 24, ""))
    api.add(ACLS + "/id1/trunks", {"id": "t1", "hostName": "acme"})
    api.add("/trunks/t1/accessControlLists", {"id": "id1"})
    result = run(main, api, {"name": "office", "state": "absent", "force": True}, diff=True)
    assert result["changed"] is True
    assert api.writes == [("DELETE", "/trunks/t1/accessControlLists/id1", None), ("DELETE", ACLS + "/id1", None)]
    assert result["diff"]["before"]["trunks"] == ["acme"]
    assert result["diff"]["before"]["ip_ranges"][0]["ip_address"] == "203.0.113.0"


def test_ranges_in_the_acl_object_are_used_without_another_read(api):
    api.add(ACLS, {"name": "office", "ipRanges": [{"id": "r1", "ipAddress": "203.0.113.0", "range": 24}]})
    result = run(main, api, {"name": "office", "ip_ranges": [{"cidr": "203.0.113.0/24"}]})
    assert result["changed"] is False
    assert ("GET", RANGES, None) not in api.requests


def test_purge_removes_a_network_the_server_holds_twice(api):
    office(api, ("203.0.113.0", 24, ""), ("203.0.113.0", 24, ""))
    result = run(main, api, {"name": "office", "ip_ranges": [{"cidr": "203.0.113.0/24"}]})
    assert result["changed"] is True
    assert api.writes == [("DELETE", RANGES + "/id3", None)]


def test_without_purge_a_network_held_twice_is_left_alone(api):
    office(api, ("203.0.113.0", 24, ""), ("203.0.113.0", 24, ""))
    result = run(main, api, {"name": "office", "ip_ranges": [{"cidr": "203.0.113.0/24"}], "purge_ip_ranges": False})
    assert result["changed"] is False
