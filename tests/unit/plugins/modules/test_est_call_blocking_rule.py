# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.sinch.est.plugins.modules.est_call_blocking_rule import main
from ansible_collections.sinch.est.tests.unit.harness import FakeApi, run

RULES = "/callBlockingRules"


def rule(name, direction="OUTBOUND", **fields):
    body = {"name": name, "direction": direction, "callerCountry": "", "calleeCountry": "", "callerMatch": "",
            "calleeMatch": ""}
    body.update(fields)
    return body


@pytest.fixture
def api():
    return FakeApi()


def test_create_sends_direction_upper_case(api):
    result = run(main, api, {"name": "premium", "direction": "outbound", "callee_match": "+1900"})
    assert result["changed"] is True
    assert api.writes == [("POST", RULES, {"name": "premium", "direction": "OUTBOUND", "calleeMatch": "+1900"})]
    assert result["rule"]["callee_match"] == "+1900"


def test_create_without_direction_fails_naming_it(api):
    result = run(main, api, {"name": "premium", "callee_match": "+1900"})
    assert result["failed"] is True
    assert "direction" in result["msg"]
    assert api.writes == []


def test_same_rule_in_another_case_is_not_changed(api):
    api.add(RULES, rule("premium", calleeMatch="+1900", calleeCountry="US"))
    result = run(main, api, {"name": "premium", "direction": "Outbound", "callee_country": "us", "callee_match": "+1900"})
    assert result["changed"] is False
    assert api.writes == []


def test_update_keeps_fields_left_out(api):
    api.add(RULES, rule("premium", calleeMatch="+1900", calleeCountry="US"))
    result = run(main, api, {"name": "premium", "callee_match": "+1976"})
    assert result["changed"] is True
    assert api.writes == [("PUT", f"{RULES}/id1", rule("premium", calleeMatch="+1976", calleeCountry="US"))]


def test_empty_string_clears_a_prefix(api):
    api.add(RULES, rule("premium", calleeMatch="+1900", calleeCountry="US"))
    run(main, api, {"name": "premium", "callee_match": ""})
    assert api.objects[f"{RULES}/id1"]["calleeMatch"] == ""


def test_two_rules_with_the_name_fail_naming_both_ids(api):
    api.add(RULES, rule("premium"))
    api.add(RULES, rule("premium"))
    result = run(main, api, {"name": "premium", "direction": "OUTBOUND"})
    assert result["failed"] is True
    assert "id1" in result["msg"] and "id2" in result["msg"]
    assert api.writes == []


def test_unknown_id_fails_instead_of_creating(api):
    result = run(main, api, {"id": "nope", "name": "premium", "direction": "OUTBOUND"})
    assert result["failed"] is True
    assert "no call blocking rule with id 'nope'" in result["msg"]
    assert api.writes == []


def test_rename_by_id(api):
    api.add(RULES, rule("old"))
    result = run(main, api, {"id": "id1", "name": "new"})
    assert result["changed"] is True
    assert api.objects[f"{RULES}/id1"]["name"] == "new"


@pytest.mark.parametrize("option,value", [
    ("direction", "SIDEWAYS"),
    ("caller_country", "USA"),
    ("callee_country", "1"),
    ("caller_match", "1-900"),
    ("callee_match", "++1900"),
])
def test_bad_value_fails_naming_the_option_before_any_request(api, option, value):
    result = run(main, api, {"name": "r", "direction": "INBOUND", option: value})
    assert result["failed"] is True
    assert option in result["msg"]
    assert api.requests == []


def test_delete(api):
    api.add(RULES, rule("premium"))
    result = run(main, api, {"name": "premium", "state": "absent"})
    assert result["changed"] is True
    assert api.writes == [("DELETE", f"{RULES}/id1", None)]


def test_delete_of_a_missing_rule_is_not_a_change(api):
    result = run(main, api, {"name": "premium", "state": "absent"})
    assert result["changed"] is False
    assert api.writes == []


def test_check_mode_create_predicts_the_rule(api):
    result = run(main, api, {"name": "premium", "direction": "inbound", "caller_country": "gb"}, check_mode=True, diff=True)
    assert result["changed"] is True
    assert api.writes == []
    # the real run's form: the server's defaults filled in, the id a placeholder saying it is not assigned yet
    assert result["rule"] == {"name": "premium", "direction": "INBOUND", "caller_country": "GB", "callee_country": "",
                              "caller_match": "", "callee_match": "", "id": "(created: id assigned by Sinch)"}
    assert result["diff"]["before"] == {} and result["diff"]["after"] == result["rule"]


# -- the list form --------------------------------------------------------------------------------

def test_rules_create_only_the_missing_ones_with_one_read(api):
    api.add(RULES, rule("a", calleeMatch="+1900"))
    result = run(main, api, {"rules": [{"name": "a", "direction": "OUTBOUND", "callee_match": "+1900"},
                                       {"name": "b", "direction": "INBOUND", "caller_country": "gb"}]})
    assert result["changed"] is True
    assert api.writes == [("POST", RULES, {"name": "b", "direction": "INBOUND", "callerCountry": "GB"})]
    assert [request for request in api.requests if request[0] == "GET"] == [("GET", RULES, None)]
    assert [item["name"] for item in result["rules"]] == ["a", "b"]


def test_rules_matching_the_server_are_not_changed(api):
    api.add(RULES, rule("a", calleeMatch="+1900"))
    api.add(RULES, rule("other"))
    result = run(main, api, {"rules": [{"name": "a", "direction": "outbound", "callee_match": "+1900"}]})
    assert result["changed"] is False
    assert api.writes == []


def test_rules_update_a_changed_rule(api):
    api.add(RULES, rule("a", calleeMatch="+1900"))
    run(main, api, {"rules": [{"name": "a", "callee_match": "+1976"}]})
    assert api.writes == [("PUT", f"{RULES}/id1", rule("a", calleeMatch="+1976"))]


def test_purge_rules_deletes_unlisted_rules_after_writing(api):
    api.add(RULES, rule("a"))
    api.add(RULES, rule("", callerMatch="+44"))
    result = run(main, api, {"purge_rules": True, "rules": [{"name": "b", "direction": "INBOUND", "caller_match": "+1900"}]},
                 diff=True)
    assert [request[0] for request in api.writes] == ["POST", "DELETE", "DELETE"]
    assert [item["name"] for item in result["diff"]["before"]["rules"]] == ["a", ""]
    assert [item["name"] for item in result["diff"]["after"]["rules"]] == ["b"]


def test_without_purge_unlisted_rules_are_kept(api):
    api.add(RULES, rule("a"))
    run(main, api, {"rules": [{"name": "b", "direction": "INBOUND"}]})
    assert f"{RULES}/id1" in api.objects


def test_rules_state_absent_deletes_the_listed_rules(api):
    api.add(RULES, rule("a"))
    api.add(RULES, rule("b"))
    result = run(main, api, {"state": "absent", "rules": [{"name": "a"}, {"name": "missing"}]})
    assert result["changed"] is True
    assert api.writes == [("DELETE", f"{RULES}/id1", None)]


def test_rules_with_an_ambiguous_name_change_nothing(api):
    api.add(RULES, rule("a"))
    api.add(RULES, rule("a"))
    result = run(main, api, {"rules": [{"name": "b", "direction": "INBOUND"}, {"name": "a", "direction": "INBOUND"}]})
    assert result["failed"] is True
    assert "rules[1]" in result["msg"] and "id1, id2" in result["msg"]
    assert api.writes == []


def test_rules_new_rule_without_direction_changes_nothing(api):
    result = run(main, api, {"rules": [{"name": "a", "direction": "INBOUND"}, {"name": "b"}]})
    assert result["failed"] is True
    assert "rules[1]" in result["msg"] and "direction" in result["msg"]
    assert api.writes == []


def test_rules_listing_a_name_twice_fails_before_any_request(api):
    result = run(main, api, {"rules": [{"name": "a", "direction": "INBOUND"}, {"name": "a", "direction": "OUTBOUND"}]})
    assert result["failed"] is True
    assert "rules[1].name" in result["msg"]
    assert api.requests == []


def test_rules_check_mode_with_purge_writes_nothing(api):
    api.add(RULES, rule("a"))
    result = run(main, api, {"purge_rules": True, "rules": [{"name": "b", "direction": "INBOUND", "caller_match": "+1900"}]},
                 check_mode=True)
    assert result["changed"] is True
    assert api.writes == []
    assert result["rules"][0]["name"] == "b" and result["rules"][0]["caller_match"] == "+1900"


def test_purge_rules_without_rules_fails(api):
    result = run(main, api, {"name": "a", "purge_rules": True})
    assert result["failed"] is True
    assert "purge_rules" in result["msg"]


class NoRuleGetApi(FakeApi):
    """Like Sinch: the references have no GET of a single call blocking rule (only the list)."""

    def get(self, path, params=None, api="est"):
        if path.startswith(RULES + "/"):
            from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError
            self.requests.append(("GET", path, params))
            raise EstApiError(f"GET {path} failed: HTTP 404", method="GET", path=path, status_code=404)
        return super().get(path, params, api)


def test_id_is_looked_up_in_the_list_the_api_has_no_read_by_id():
    api = NoRuleGetApi()
    api.add(RULES, rule("premium"))
    result = run(main, api, {"id": "id1", "state": "absent"})
    assert result["changed"] is True and api.writes == [("DELETE", RULES + "/id1", None)]
    api.add(RULES, rule("old"))
    result = run(main, api, {"id": "id2", "name": "new"})
    assert result["changed"] is True and api.objects[RULES + "/id2"]["name"] == "new"
    result = run(main, api, {"id": "nope", "name": "x", "direction": "INBOUND"})
    assert result["failed"] and "no call blocking rule with id 'nope'" in result["msg"]
