# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""est_site's model and plan without any API: what each state makes of an estate, and in what order."""

from __future__ import annotations

from ansible_collections.sinch.est.plugins.module_utils import _site_model as model
from ansible_collections.sinch.est.plugins.module_utils._site_execute import Ids, request_of
from ansible_collections.sinch.est.plugins.module_utils._site_plan import PHASES, plan
from ansible_collections.sinch.est.plugins.module_utils._validation import Problems


def desired(config):
    problems = Problems()
    estate = model.desired_estate(config, problems, lambda message: None)
    assert not problems, problems.messages
    return estate


def current():
    """One trunk `acme` (endpoints a and b, ACL office, list pbx, number +14155550100), rule r1, US on."""
    raw = {
        "trunks": [{"id": "T1", "hostName": "acme", "name": "Acme", "enableCallerName": False, "enableCallForward": False,
                    "callForwardNumber": ""}],
        "acls": [{"id": "A1", "name": "office", "enabled": True}],
        "credential_lists": [{"id": "L1", "name": "pbx"}],
        "numbers": [{"phoneNumber": "+14155550100", "sipTrunkId": "T1"}, {"phoneNumber": "+14155550101", "sipTrunkId": ""}],
        "rules": [{"id": "R1", "name": "r1", "direction": "outbound", "calleeMatch": "+1900"}],
        "countries": [{"isoCode": "US", "enabled": True}, {"isoCode": "CA", "enabled": False}],
        "ranges": {"A1": [{"id": "G1", "ipAddress": "203.0.113.0", "range": 24, "description": "HQ"}]},
        "credentials": {"L1": [{"id": "C1", "username": "pbx01"}]},
        "endpoints": {"T1": [{"id": "E1", "name": "a", "address": "SBC.example.com", "port": 5060, "priority": 1,
                              "transport": "UDP", "enabled": True},
                             {"id": "E2", "name": "b", "isRegistered": True, "credentialUsername": "pbx01", "priority": 2,
                              "transport": "UDP", "enabled": True}]},
        "trunk_acls": {"T1": ["A1"]},
        "trunk_lists": {"T1": ["L1"]},
    }
    estate, ids, duplicates = model.current_estate(raw)
    assert duplicates == []
    return estate, ids


def test_merged_adds_to_member_lists_and_replaced_makes_them_exact():
    estate, _ids = current()
    wanted = desired({"trunks": [{"host_name": "ACME", "endpoints": [{"name": "c", "address": "198.51.100.1", "priority": 3}]}]})
    merged = model.target_estate(estate, wanted, "merged")
    replaced = model.target_estate(estate, wanted, "replaced")
    assert sorted(merged["trunks"]["acme"]["endpoints"]) == ["a", "b", "c"]
    assert sorted(replaced["trunks"]["acme"]["endpoints"]) == ["c"]
    # a member list left out stays as it is, whatever the state
    assert replaced["trunks"]["acme"]["acls"] == ["office"]
    assert merged["trunks"]["acme"]["endpoints"]["c"] == {
        "name": "c", "address": "198.51.100.1", "port": 5060, "priority": 3, "transport": "UDP", "enabled": True}


def test_a_value_equal_in_any_case_keeps_the_server_spelling():
    estate, _ids = current()
    wanted = desired({"trunks": [{"host_name": "acme", "endpoints": [{"name": "a", "address": "sbc.example.com"}]}]})
    target = model.target_estate(estate, wanted, "merged")
    assert target["trunks"]["acme"]["endpoints"]["a"]["address"] == "SBC.example.com"
    assert plan(estate, target, wanted) == []


def test_overridden_drops_what_a_given_section_does_not_list_and_the_bindings_to_it():
    estate, _ids = current()
    target = model.target_estate(estate, desired({"acls": [], "call_blocking_rules": []}), "overridden")
    assert target["acls"] == {} and target["call_blocking_rules"] == {}
    assert target["trunks"]["acme"]["acls"] == []
    assert target["credential_lists"] == estate["credential_lists"]


def test_deleting_a_trunk_routes_its_numbers_to_no_trunk():
    estate, _ids = current()
    target = model.target_estate(estate, desired({"trunks": [{"host_name": "acme"}]}), "deleted")
    assert target["trunks"] == {}
    assert target["numbers"]["+14155550100"] == ""


def test_a_number_moves_to_the_trunk_that_lists_it():
    estate, _ids = current()
    wanted = desired({"trunks": [{"host_name": "new", "phone_numbers": ["+14155550100"]}]})
    target = model.target_estate(estate, wanted, "merged")
    assert target["trunks"]["acme"]["phone_numbers"] == []
    assert target["trunks"]["new"]["phone_numbers"] == ["+14155550100"]


def test_the_teardown_of_a_trunk_runs_in_the_live_service_order():
    estate, ids = current()
    target = model.target_estate(estate, desired({"trunks": [{"host_name": "acme"}]}), "deleted")
    actions = plan(estate, target, {})
    shown = [(PHASES[action.phase], action.method, request_of(action, Ids(ids))["path"]) for action in actions]
    assert [(method, path) for _phase, method, path in shown] == [
        ("PATCH", "/activeNumbers/%2B14155550100"),
        ("DELETE", "/trunks/T1/endpoints/E1"),
        ("DELETE", "/trunks/T1/endpoints/E2"),
        ("DELETE", "/trunks/T1/accessControlLists/A1"),
        ("PUT", "/trunks/T1/credentialLists"),
        ("DELETE", "/trunks/T1"),
    ]


def test_ranges_are_added_before_any_is_removed():
    estate, _ids = current()
    wanted = desired({"acls": [{"name": "office", "ip_ranges": [{"cidr": "198.51.100.0/28"}]}]})
    actions = plan(estate, model.target_estate(estate, wanted, "replaced"), wanted)
    assert [action.what for action in actions] == ["add IP range 198.51.100.0/28 to access control list 'office'",
                                                   "remove IP range 203.0.113.0/24 from access control list 'office'"]


def test_the_view_has_config_shape_without_passwords_or_empty_strings():
    estate, _ids = current()
    shown = model.view(estate)
    assert shown["trunks"][0]["endpoints"][1] == {
        "name": "b", "credential_username": "pbx01", "priority": 2, "transport": "UDP", "enabled": True}
    assert shown["call_blocking_rules"] == [{"name": "r1", "direction": "OUTBOUND", "callee_match": "+1900"}]
    assert shown["credential_lists"] == [{"name": "pbx", "credentials": [{"username": "pbx01"}]}]
    assert shown["enabled_countries"] == ["US"]


def test_a_new_username_without_a_password_is_a_problem_an_existing_one_is_not():
    estate, _ids = current()
    wanted = desired({"credential_lists": [{"name": "pbx", "credentials": [{"username": "pbx01"}, {"username": "pbx02"}]}]})
    problems = model.target_problems(estate, model.target_estate(estate, wanted, "merged"), wanted)
    assert problems == ["config.credential_lists[pbx].credentials[pbx02].password: required to add the username "
                        "(the API never returns passwords, so gathered leaves them out)"]
