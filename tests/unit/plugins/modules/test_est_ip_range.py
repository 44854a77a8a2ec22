# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.sinch.est.plugins.modules.est_ip_range import main
from ansible_collections.sinch.est.tests.unit.harness import FakeApi, run

ACLS = "/accessControlLists"
RANGES = "/accessControlLists/id1/ipRanges"


@pytest.fixture
def api():
    fake = FakeApi()
    fake.add(ACLS, {"name": "office"})
    return fake


def test_adds_a_range_to_the_acl_named(api):
    result = run(main, api, {"acl": "office", "cidr": "203.0.113.0/24", "description": "lan"})
    assert result["changed"] is True
    assert api.writes == [("POST", RANGES, {"ipAddress": "203.0.113.0", "range": 24, "description": "lan"})]
    assert result["ip_range"]["ip_address"] == "203.0.113.0"


def test_acl_is_accepted_by_id(api):
    result = run(main, api, {"acl": "id1", "ip_address": "198.51.100.7"})
    assert api.writes == [("POST", RANGES, {"ipAddress": "198.51.100.7", "range": 32})]
    assert result["changed"] is True


def test_existing_range_is_not_changed(api):
    api.add(RANGES, {"ipAddress": "203.0.113.0", "range": 24, "description": "lan"})
    result = run(main, api, {"acl": "office", "ip_address": "203.0.113.0", "range": 24, "description": "lan"})
    assert result["changed"] is False
    assert api.writes == []


def test_description_is_updated_in_place(api):
    api.add(RANGES, {"ipAddress": "203.0.113.0", "range": 24, "description": "old"})
    result = run(main, api, {"acl": "office", "cidr": "203.0.113.0/24", "description": "new"}, diff=True)
    assert api.writes == [("PUT", RANGES + "/id2", {"ipAddress": "203.0.113.0", "range": 24, "description": "new"})]
    assert result["diff"]["before"]["description"] == "old"


def test_stored_host_bits_match_without_an_update(api):
    api.add(RANGES, {"ipAddress": "203.0.113.5", "range": 24, "description": ""})
    result = run(main, api, {"acl": "office", "cidr": "203.0.113.0/24"})
    assert result["changed"] is False


def test_id_moves_a_range_to_another_network(api):
    api.add(RANGES, {"ipAddress": "203.0.113.0", "range": 24, "description": "lan"})
    run(main, api, {"acl": "office", "id": "id2", "cidr": "192.0.2.0/24"})
    assert api.writes == [("PUT", RANGES + "/id2", {"ipAddress": "192.0.2.0", "range": 24, "description": "lan"})]


def test_unknown_id_fails_instead_of_creating(api):
    result = run(main, api, {"acl": "office", "id": "nope", "cidr": "192.0.2.0/24"})
    assert result["failed"] and "no IP range with id 'nope'" in result["msg"]
    assert api.writes == []


def test_absent_deletes_the_range(api):
    api.add(RANGES, {"ipAddress": "203.0.113.0", "range": 24})
    result = run(main, api, {"acl": "office", "cidr": "203.0.113.0/24", "state": "absent"})
    assert result["changed"] is True
    assert api.writes == [("DELETE", RANGES + "/id2", None)]


def test_unknown_acl_fails_before_any_write(api):
    result = run(main, api, {"acl": "nowhere", "cidr": "203.0.113.0/24"})
    assert result["failed"] and "acl: no access control list" in result["msg"]
    assert api.writes == []


def test_invalid_cidr_fails_before_any_request(api):
    result = run(main, api, {"acl": "office", "cidr": "203.0.113.0/40"})
    assert result["failed"] and "range" in result["msg"]
    assert api.requests == []


def test_check_mode_add_writes_nothing(api):
    result = run(main, api, {"acl": "office", "cidr": "203.0.113.0/24"}, check_mode=True)
    assert result["changed"] is True
    assert api.writes == []


@pytest.mark.parametrize("args, message", [
    ({"cidr": "203.0.113.0/40"}, "range: 40 is out of range"),
    ({"cidr": "203.0.113.300/24"}, "cidr: '203.0.113.300'"),
    ({"ip_address": "203.0.113.x"}, "ip_address: '203.0.113.x'"),
])
def test_top_level_options_are_named_without_a_prefix(api, args, message):
    result = run(main, api, dict({"acl": "office"}, **args))
    assert message in result["msg"] and "." + message not in result["msg"]


def test_absent_in_an_acl_that_does_not_exist_is_a_no_op(api):
    result = run(main, api, {"acl": "gone", "cidr": "203.0.113.0/24", "state": "absent"})
    assert not result.get("failed") and result["changed"] is False and result["ip_range"] == {}
    assert api.writes == []


def test_present_in_an_acl_that_does_not_exist_still_fails(api):
    result = run(main, api, {"acl": "gone", "cidr": "203.0.113.0/24"})
    assert result["failed"] and result["msg"].startswith("acl: no access control list")
