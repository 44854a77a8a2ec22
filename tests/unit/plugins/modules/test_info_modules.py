# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The read-only info modules on the FakeApi: filters, empty answers, snake_case, no writes."""

from __future__ import annotations

import pytest
import responses

from ansible_collections.sinch.est.plugins.modules import (
    est_acl_info,
    est_call_blocking_rule_info,
    est_country_permission_info,
    est_credential_list_info,
    est_endpoint_info,
    est_phone_number_info,
)
from ansible_collections.sinch.est.plugins.module_utils._client import client_from_values
from ansible_collections.sinch.est.tests.unit.harness import FakeApi, run


@pytest.fixture
def api():
    fake = FakeApi()
    fake.add("/trunks", {"id": "t1", "hostName": "alpha"})
    fake.add("/trunks", {"id": "t2", "hostName": "beta"})
    return fake


def test_endpoints_of_every_trunk_in_snake_case(api):
    api.add("/trunks/t1/endpoints", {"name": "pbx", "sipTrunkId": "t1", "address": "203.0.113.1"})
    api.add("/trunks/t2/endpoints", {"name": "pbx", "sipTrunkId": "t2", "address": "203.0.113.2"})
    api.add("/trunks/t2/endpoints", {"name": "other", "sipTrunkId": "t2", "isRegistered": True})
    result = run(est_endpoint_info.main, api, {})
    assert [endpoint["sip_trunk_id"] for endpoint in result["endpoints"]] == ["t1", "t2", "t2"]
    assert result["changed"] is False and api.writes == []


def test_endpoints_of_one_trunk_by_host_name_and_name(api):
    api.add("/trunks/t1/endpoints", {"name": "pbx", "sipTrunkId": "t1"})
    api.add("/trunks/t2/endpoints", {"name": "pbx", "sipTrunkId": "t2"})
    api.add("/trunks/t2/endpoints", {"name": "other", "sipTrunkId": "t2"})
    result = run(est_endpoint_info.main, api, {"trunk": "beta", "name": "pbx"})
    assert [(endpoint["sip_trunk_id"], endpoint["name"]) for endpoint in result["endpoints"]] == [("t2", "pbx")]


def test_an_unknown_trunk_host_name_fails_listing_the_project_trunks(api):
    result = run(est_endpoint_info.main, api, {"trunk": "gamma"})
    assert result["failed"] is True
    assert "no trunk with host name 'gamma'" in result["msg"] and "alpha" in result["msg"] and "beta" in result["msg"]


def test_endpoints_of_a_trunk_id_that_no_trunk_has_are_an_empty_list(api):
    result = run(est_endpoint_info.main, api, {"trunk": "01HZX3V4Q9C0R8M6S7T5W2Y1DD"})
    assert result == {"changed": False, "endpoints": []}


def test_acls_carry_their_ranges_and_trunk_ids(api):
    acl = api.add("/accessControlLists", {"name": "office", "enabled": True})
    api.add("/accessControlLists", {"name": "lab", "enabled": True})
    api.add(f"/accessControlLists/{acl['id']}/ipRanges", {"ipAddress": "203.0.113.0", "range": 24})
    api.add(f"/accessControlLists/{acl['id']}/trunks", {"id": "t2", "hostName": "beta"})
    result = run(est_acl_info.main, api, {"name": "office"})
    assert len(result["acls"]) == 1
    office = result["acls"][0]
    assert office["ip_ranges"][0]["ip_address"] == "203.0.113.0" and office["trunks"] == ["t2"]


def test_acl_by_id_and_unknown_acls(api):
    acl = api.add("/accessControlLists", {"name": "office"})
    assert run(est_acl_info.main, api, {"id": acl["id"]})["acls"][0]["name"] == "office"
    assert run(est_acl_info.main, api, {"id": "nope"})["acls"] == []
    assert run(est_acl_info.main, api, {"name": "nope"})["acls"] == []


def test_credential_lists_never_return_a_password(api):
    api.add("/credentialLists", {"name": "pbx-users", "credentials": [{"id": "c1", "username": "u1", "password": "leak"}]})
    api.add("/credentialLists", {"name": "other", "credentials": []})
    result = run(est_credential_list_info.main, api, {"name": "pbx-users"})
    assert result["credential_lists"] == [{"id": "id3", "name": "pbx-users", "credentials": [{"id": "c1", "username": "u1"}], "trunks": []}]
    assert "leak" not in repr(result)


def test_credential_lists_carry_the_trunks_they_are_bound_to(api):
    credential_list = api.add("/credentialLists", {"name": "pbx-users", "credentials": []})
    api.add(f"/credentialLists/{credential_list['id']}/trunks", {"id": "t1", "hostName": "acme"})
    result = run(est_credential_list_info.main, api, {"id": credential_list["id"]})
    assert result["credential_lists"][0]["trunks"] == ["t1"]


def test_credential_list_by_unknown_id_is_an_empty_list(api):
    assert run(est_credential_list_info.main, api, {"id": "nope"})["credential_lists"] == []


@pytest.fixture
def permissions(api):
    api.objects["/countryPermissions"] = {"countryPermissions": [
        {"isoCode": "US", "enabled": True, "countryDialingCodes": ["+1"]}, {"isoCode": "CA", "enabled": False}]}
    return api


def test_country_permissions_all_and_one_in_any_case(permissions):
    assert [item["iso_code"] for item in run(est_country_permission_info.main, permissions, {})["country_permissions"]] == ["US", "CA"]
    assert run(est_country_permission_info.main, permissions, {"iso_code": "ca"})["country_permissions"] == [{"iso_code": "CA", "enabled": False}]
    assert run(est_country_permission_info.main, permissions, {"iso_code": "SE"})["country_permissions"] == []


def test_a_bad_iso_code_fails_before_any_request(permissions):
    result = run(est_country_permission_info.main, permissions, {"iso_code": "USA"})
    assert result["failed"] is True and "iso_code" in result["msg"] and permissions.requests == []


def test_call_blocking_rules_by_name(api):
    api.add("/callBlockingRules", {"name": "premium", "direction": "OUTBOUND", "calleeMatch": "+449"})
    api.add("/callBlockingRules", {"direction": "INBOUND"})
    assert len(run(est_call_blocking_rule_info.main, api, {})["rules"]) == 2
    assert run(est_call_blocking_rule_info.main, api, {"name": "premium"})["rules"][0]["callee_match"] == "+449"
    assert run(est_call_blocking_rule_info.main, api, {"name": "none"})["rules"] == []


def test_one_phone_number_by_e164(api):
    api.objects["/phoneNumbers/%2B14155550100"] = {"phoneNumber": "+14155550100", "sipTrunkId": "t1"}
    result = run(est_phone_number_info.main, api, {"phone_number": "+14155550100"})
    assert result["phone_numbers"] == [{"phone_number": "+14155550100", "sip_trunk_id": "t1"}]
    assert run(est_phone_number_info.main, api, {"phone_number": "+14155550199"})["phone_numbers"] == []


def test_phone_numbers_of_a_trunk_sorted_and_capped(api):
    for number in range(5):
        api.add("/phoneNumbers", {"phoneNumber": f"+4681234567{number}", "sipTrunkId": "t2"})
    result = run(est_phone_number_info.main, api, {"trunk": "beta", "sort": "phoneNumber,desc", "max_items": 3})
    assert len(result["phone_numbers"]) == 3
    assert api.requests[-1] == ("GET", "/phoneNumbers", {"sipTrunkId": "t2", "sort": ["phoneNumber,desc"]})


@pytest.mark.parametrize("sort, sent", [
    ("phoneNumber,desc", ["phoneNumber,desc"]),
    ("phoneNumber", ["phoneNumber"]),
    (["countryCode", "createTime,desc"], ["countryCode", "createTime,desc"]),
    (["countryCode,asc", "phoneNumber", "desc"], ["countryCode,asc", "phoneNumber,desc"]),
])
def test_sort_takes_a_list_of_criteria_or_one_string(api, sort, sent):
    run(est_phone_number_info.main, api, {"sort": sort})
    assert api.requests[-1] == ("GET", "/phoneNumbers", {"sort": sent})


def test_sort_criteria_go_out_as_repeated_query_values():
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, "https://est.test/v1/projects/p1/phoneNumbers", json={"phoneNumbers": [], "totalItems": 0})
        client = client_from_values(dict(project_id="p1", access_token="token", api_url="https://est.test"))
        run(est_phone_number_info.main, client, {"sort": ["countryCode", "phoneNumber,desc"]})
        assert "sort=countryCode&sort=phoneNumber%2Cdesc" in mock.calls[0].request.url


def test_phone_numbers_of_an_unknown_trunk_host_name_fail_before_reading_numbers(api):
    api.add("/phoneNumbers", {"phoneNumber": "+46812345670"})
    result = run(est_phone_number_info.main, api, {"trunk": "gamma"})
    assert result["failed"] is True and "no trunk with host name 'gamma'" in result["msg"]
    assert not [request for request in api.requests if request[1] == "/phoneNumbers"]


def test_bad_phone_number_options_fail_before_any_request(api):
    result = run(est_phone_number_info.main, api, {"phone_number": "0812345", "max_items": -5})
    assert result["failed"] is True and "phone_number" in result["msg"] and "max_items" in result["msg"]
    result = run(est_phone_number_info.main, api, {"sort": "phoneNumber;drop"})
    assert result["failed"] is True and "sort" in result["msg"]
    result = run(est_phone_number_info.main, api, {"sort": ["phoneNumber", "country code"]})
    assert result["failed"] is True and "sort[1]: 'country code'" in result["msg"]
    assert api.requests == []
