# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""est_trunk_check on the FakeApi: each problem kind with its SIP code and fix, input checked before
any request, every collection read once, never a write."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.sinch.est.plugins.module_utils import _dialing as dialing
from ansible_collections.sinch.est.plugins.module_utils import _trunk_check as check
from ansible_collections.sinch.est.plugins.modules import est_trunk_check
from ansible_collections.sinch.est.tests.unit.harness import FakeApi, run

OLD = "2026-01-14T08:08:48.264185988"
PERMISSIONS = [
    {"isoCode": "US", "enabled": True, "countryDialingCodes": ["+1"]},
    {"isoCode": "CA", "enabled": False, "countryDialingCodes": ["+1"]},
    {"isoCode": "DE", "enabled": False, "countryDialingCodes": ["+49"]},
    {"isoCode": "SM", "enabled": True, "countryDialingCodes": ["+378", "+39 0549"]},
    {"isoCode": "*", "enabled": False, "countryDialingCodes": ["*"]},
]


@pytest.fixture
def api():
    """Trunk acme (1 call per second) with one static endpoint, ACL office (127.0.0.1/32) bound,
    ACL lab (127.0.0.2/32) not bound, credential list pbx-users (pbx01) bound, spare (spare01) not."""
    fake = FakeApi()
    fake.add("/trunks", {"id": "t1", "hostName": "acme", "callsPerSecond": 1, "createTime": OLD})
    fake.add("/trunks", {"id": "t2", "hostName": "other", "createTime": OLD})
    fake.add("/trunks/t1/endpoints", {"name": "sbc", "address": "127.0.0.1", "port": 5060, "enabled": True, "priority": 1})
    office = fake.add("/accessControlLists", {"id": "acl-office", "name": "office", "enabled": True, "createTime": OLD})
    fake.add("/accessControlLists", {"id": "acl-lab", "name": "lab", "enabled": True, "createTime": OLD})
    fake.add(f"/accessControlLists/{office['id']}/ipRanges", {"ipAddress": "127.0.0.1", "range": 32, "createTime": OLD})
    fake.add("/accessControlLists/acl-lab/ipRanges", {"ipAddress": "127.0.0.2", "range": 32, "createTime": OLD})
    fake.add("/trunks/t1/accessControlLists", {"id": "acl-office"})
    fake.add("/credentialLists", {"id": "cl-users", "name": "pbx-users", "createTime": OLD,
                                  "credentials": [{"id": "c1", "username": "pbx01"}]})
    fake.add("/credentialLists", {"id": "cl-spare", "name": "spare", "createTime": OLD,
                                  "credentials": [{"id": "c2", "username": "spare01"}]})
    fake.add("/trunks/t1/credentialLists", {"id": "cl-users"})
    fake.objects["/countryPermissions"] = {"countryPermissions": PERMISSIONS}
    return fake


def codes(result):
    return [(item["sip_code"], item["severity"]) for item in result["problems"]]


def test_a_clean_trunk_is_ok_and_nothing_is_written(api):
    result = run(est_trunk_check.main, api, {"trunk": "acme", "sbc_addresses": ["127.0.0.1"],
                                             "destinations": ["+14155550123"]})
    assert result["ok"] is True and result["problems"] == [] and result["changed"] is False
    assert result["trunk"]["host_name"] == "acme" and api.writes == []


def test_an_address_in_no_bound_acl_answers_403_and_names_the_acl_holding_it(api):
    api.collections["/trunks/t1/credentialLists"] = []
    result = run(est_trunk_check.main, api, {"trunk": "acme", "sbc_addresses": ["127.0.0.2"]})
    assert result["ok"] is False and codes(result) == [(403, "error")]
    assert "not bound to trunk acme" in result["problems"][0]["cause"]
    assert result["problems"][0]["fix"] == "sinch.est.est_trunk_acls trunk=acme acls=[lab]"


def test_an_address_in_no_acl_at_all_gets_the_ip_range_fix(api):
    api.collections["/trunks/t1/credentialLists"] = []
    result = run(est_trunk_check.main, api, {"trunk": "acme", "sbc_addresses": ["127.0.0.9"]})
    assert codes(result) == [(403, "error")]
    assert result["problems"][0]["fix"].startswith("sinch.est.est_ip_range acl=office cidr=127.0.0.9/32")


def test_an_address_only_in_a_disabled_bound_acl_answers_403(api):
    api.objects["/accessControlLists/acl-office"]["enabled"] = False
    api.collections["/trunks/t1/credentialLists"] = []
    result = run(est_trunk_check.main, api, {"trunk": "acme", "sbc_addresses": ["127.0.0.1"]})
    assert codes(result) == [(403, "error")] and "enabled: true" in result["problems"][0]["fix"]


def test_an_address_outside_the_acls_with_a_bound_list_is_challenged_not_refused(api):
    result = run(est_trunk_check.main, api, {"trunk": "acme", "sbc_addresses": ["127.0.0.2"]})
    assert result["ok"] is True and codes(result) == [(None, "warning")]
    assert "407" in result["problems"][0]["cause"]


def test_nothing_bound_refuses_every_outbound_call(api):
    api.collections["/trunks/t1/credentialLists"] = []
    api.collections["/trunks/t1/accessControlLists"] = []
    result = run(est_trunk_check.main, api, {"trunk": "acme"})
    assert codes(result) == [(403, "error")] and "no ACL and no credential list" in result["problems"][0]["cause"]


def test_a_username_in_an_unbound_list_answers_401_with_the_binding_fix(api):
    result = run(est_trunk_check.main, api, {"trunk": "acme", "usernames": ["spare01"]})
    assert codes(result) == [(401, "error")]
    assert result["problems"][0]["fix"] == "sinch.est.est_trunk_credential_lists trunk=acme credential_lists=[spare]"


def test_a_username_in_no_list_answers_401(api):
    result = run(est_trunk_check.main, api, {"trunk": "acme", "usernames": ["ghost"]})
    assert codes(result) == [(401, "error")] and "in no credential list" in result["problems"][0]["cause"]


def test_a_registered_endpoint_whose_list_is_not_bound_answers_401(api):
    api.add("/trunks/t1/endpoints", {"name": "pbx", "isRegistered": True, "credentialUsername": "spare01", "priority": 2})
    result = run(est_trunk_check.main, api, {"trunk": "acme"})
    assert codes(result) == [(401, "error")] and "registered endpoint username 'spare01'" in result["problems"][0]["cause"]


def test_a_bound_username_no_registered_endpoint_uses_warns_about_register(api):
    result = run(est_trunk_check.main, api, {"trunk": "acme", "usernames": ["pbx01"]})
    assert result["ok"] is True and codes(result) == [(401, "warning")]
    assert "REGISTER answers 401" in result["problems"][0]["cause"]


def test_no_enabled_endpoint_answers_503(api):
    api.objects[f"/trunks/t1/endpoints/{api.collections['/trunks/t1/endpoints'][0]}"]["enabled"] = False
    result = run(est_trunk_check.main, api, {"trunk": "acme"})
    assert codes(result) == [(503, "error")] and "no enabled endpoint" in result["problems"][0]["cause"]


def test_a_disabled_country_answers_403_and_plus_one_follows_the_area_code(api):
    result = run(est_trunk_check.main, api, {"trunk": "acme", "destinations": ["+14165550123", "+14155550123", "+4930123456"]})
    assert codes(result) == [(403, "error"), (403, "error")]
    assert "+14165550123 (CA)" in result["problems"][0]["cause"]
    assert result["problems"][0]["fix"] == "sinch.est.est_country_permission iso_code=CA enabled: true"
    assert "(DE)" in result["problems"][1]["cause"]


def test_a_country_with_a_spaced_dialing_code_is_found(api):
    result = run(est_trunk_check.main, api, {"trunk": "acme", "destinations": ["+390549123456"]})
    assert result["problems"] == []


def test_an_outbound_blocking_rule_answers_403_and_a_caller_condition_only_warns(api):
    api.add("/callBlockingRules", {"name": "premium", "direction": "OUTBOUND", "calleeMatch": "1900"})
    api.add("/callBlockingRules", {"name": "from-lab", "direction": "OUTBOUND", "calleeMatch": "+1415", "callerMatch": "+1555"})
    api.add("/callBlockingRules", {"name": "inbound", "direction": "INBOUND", "calleeMatch": "+1"})
    result = run(est_trunk_check.main, api, {"trunk": "acme", "destinations": ["+19005550100", "+14155550100"]})
    assert codes(result) == [(403, "error"), (None, "warning")]
    assert "premium" in result["problems"][0]["cause"] and "state: absent" in result["problems"][0]["fix"]


def test_a_destination_routed_to_another_trunk_warns(api):
    api.add("/phoneNumbers", {"phoneNumber": "+14155550100", "sipTrunkId": "t2"})
    result = run(est_trunk_check.main, api, {"trunk": "acme", "destinations": ["+14155550100"]})
    assert codes(result) == [(None, "warning")] and "routed to trunk t2" in result["problems"][0]["cause"]


def test_one_call_per_second_shared_by_several_sbcs_warns(api):
    api.objects["/accessControlLists/acl-office/ipRanges/" + api.collections["/accessControlLists/acl-office/ipRanges"][0]]["range"] = 24
    result = run(est_trunk_check.main, api, {"trunk": "acme", "sbc_addresses": ["127.0.0.1", "127.0.0.3"]})
    assert codes(result) == [(None, "warning")] and "603" in result["problems"][0]["cause"]


def test_an_acl_changed_less_than_a_minute_ago_warns(api):
    api.objects["/accessControlLists/acl-office"]["updateTime"] = (datetime.now(timezone.utc) - timedelta(seconds=5)).isoformat()
    result = run(est_trunk_check.main, api, {"trunk": "acme"})
    assert codes(result) == [(None, "warning")] and "ACL 'office' changed less than 60 seconds ago" in result["problems"][0]["cause"]


def test_fail_on_problems_fails_with_every_error_and_keeps_the_problems(api):
    result = run(est_trunk_check.main, api, {"trunk": "acme", "usernames": ["ghost"], "destinations": ["+4930123456"],
                                             "fail_on_problems": True})
    assert result["failed"] is True and len(result["problems"]) == 2
    assert "401: username 'ghost'" in result["msg"] and "403: calls to +4930123456" in result["msg"]


def test_bad_input_fails_before_any_request_naming_each_option(api):
    result = run(est_trunk_check.main, api, {"trunk": "acme.pstn.sinch.com", "sbc_addresses": ["10.0.0.300"],
                                             "usernames": [" "], "destinations": ["4930123456"]})
    assert result["failed"] is True and api.requests == []
    for option in ("trunk:", "sbc_addresses[0]", "usernames[0]", "destinations[0]"):
        assert option in result["msg"]


def test_an_unknown_trunk_fails_naming_the_option_in_check_mode_too(api):
    for check_mode in (False, True):
        result = run(est_trunk_check.main, api, {"trunk": "nope"}, check_mode=check_mode)
        assert result["failed"] is True and result["msg"].startswith("trunk: no trunk")


def test_every_collection_is_read_once_whatever_the_number_of_facts(api):
    run(est_trunk_check.main, api, {"trunk": "acme", "sbc_addresses": ["127.0.0.2", "127.0.0.3", "127.0.0.4"],
                                    "usernames": ["spare01", "ghost", "x"], "destinations": ["+14155550100", "+4930123456"]})
    reads = Counter(path for method, path, _params in api.requests if path != "/trunks")
    assert reads and max(reads.values()) == 1, reads


def test_timestamps_with_nanoseconds_and_zones_parse():
    assert check.parse_time("2023-09-14T08:08:48.264185988") == datetime(2023, 9, 14, 8, 8, 48, 264185, tzinfo=timezone.utc)
    assert check.parse_time("2023-09-14T10:08:48+02:00") == datetime(2023, 9, 14, 8, 8, 48, tzinfo=timezone.utc)
    assert check.parse_time("2023-09-14T08:08:48Z") == datetime(2023, 9, 14, 8, 8, 48, tzinfo=timezone.utc)
    assert check.parse_time("2023-09-14T08:08:48.5Z") == datetime(2023, 9, 14, 8, 8, 48, 500000, tzinfo=timezone.utc)
    assert check.parse_time("") is None and check.parse_time(None) is None


@pytest.mark.parametrize("number, iso_code", [("+14155550100", "US"), ("+16045550100", "CA"), ("+18765550100", "JM"),
                                              ("+17875550100", "PR"), ("+4930123", "DE"), ("+390549123", "SM")])
def test_the_country_of_a_number(number, iso_code):
    assert dialing.country_of(number, PERMISSIONS) == iso_code
