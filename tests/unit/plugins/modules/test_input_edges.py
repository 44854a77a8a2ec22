# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Input that used to reach the API unchecked (issue 21): each fails before any request, naming
the option, or (E.164 of 7 digits) passes."""

from __future__ import annotations

import pytest

from ansible_collections.sinch.est.plugins.modules import est_acl, est_call_blocking_rule, est_endpoint, est_ip_range, est_trunk
from ansible_collections.sinch.est.tests.unit.harness import FakeApi, run


@pytest.fixture
def api():
    return FakeApi()


def refused(result, api, *words):
    assert result["failed"] is True, result
    assert result["msg"].startswith("Invalid input, nothing was sent to the API"), result["msg"]
    for word in words:
        assert word in result["msg"]
    assert api.requests == []


@pytest.mark.parametrize("host_name", ["-acme", "acme-", "a" * 64, "a" * 5000, "", "acme.prod", "acme_prod"],
                         ids=["leading-hyphen", "trailing-hyphen", "64", "5000", "empty", "dot", "underscore"])
def test_a_host_name_that_is_not_a_dns_label_is_refused(api, host_name):
    result = run(est_trunk.main, api, {"host_name": host_name})
    refused(result, api, "host_name", "RFC 1035")
    assert len(result["msg"]) < 600  # a 5,000-character name is shortened in the message


@pytest.mark.parametrize("host_name", ["a", "acme-prod", "0acme", "a" * 63, "ACME-1"])
def test_a_dns_label_is_a_host_name(api, host_name):
    assert run(est_trunk.main, api, {"host_name": host_name})["changed"] is True


@pytest.mark.parametrize("main, args", [
    (est_trunk.main, {"host_name": "acme", "name": ""}),
    (est_acl.main, {"name": " ", "ip_ranges": [{"cidr": "192.0.2.0/24"}]}),
    (est_endpoint.main, {"trunk": "t1", "name": "", "address": "192.0.2.1", "priority": 1}),
    (est_call_blocking_rule.main, {"name": "", "direction": "INBOUND", "caller_match": "+1900"}),
])
def test_an_empty_name_is_refused_before_any_request(api, main, args):
    refused(run(main, api, args), api, "name: must not be empty")


def test_an_empty_name_in_a_list_form_names_the_item(api):
    refused(run(est_call_blocking_rule.main, api, {"rules": [{"name": "", "direction": "INBOUND", "caller_match": "+1"}]}),
            api, "rules[0].name: must not be empty")
    refused(run(est_endpoint.main, api, {"trunk": "t1", "endpoints": [{"name": "", "address": "192.0.2.1", "priority": 1}]}),
            api, "endpoints[0].name: must not be empty")


@pytest.mark.parametrize("main, args, option", [
    (est_acl.main, {"name": "all", "ip_ranges": [{"cidr": "0.0.0.0/0"}]}, "ip_ranges[0].range"),
    (est_acl.main, {"name": "all", "ip_ranges": [{"ip_address": "0.0.0.0", "range": 0}]}, "ip_ranges[0].range"),
    (est_ip_range.main, {"acl": "a", "cidr": "0.0.0.0/0"}, "range"),
])
def test_prefix_length_zero_is_refused(api, main, args, option):
    refused(run(main, api, args), api, f"{option}: 0 is out of range (1..32)")


def test_a_seven_digit_e164_number_is_accepted(api):
    result = run(est_trunk.main, api, {"host_name": "niue", "enable_call_forward": True, "call_forward_number": "+6834002"})
    assert result["changed"] is True
    assert api.writes[0][2]["callForwardNumber"] == "+6834002"


@pytest.mark.parametrize("number", ["+683400", "+06834002", "+1234567890123456"])
def test_e164_bounds(api, number):
    refused(run(est_trunk.main, api, {"host_name": "niue", "call_forward_number": number}), api,
            "call_forward_number", "7 to 15 digits")


def test_a_cidr_string_as_an_ip_range_names_the_option_and_the_shape(api):
    result = run(est_acl.main, api, {"name": "office", "ip_ranges": [{"cidr": "198.51.100.0/24"}, "192.0.2.0/24"]})
    refused(result, api, "ip_ranges[1]: '192.0.2.0/24' is not a dictionary", "{ip_address: 192.0.2.0, range: 24}")


def test_key_value_text_as_an_ip_range_is_still_read_as_ansible_reads_it(api):
    result = run(est_acl.main, api, {"name": "office", "ip_ranges": ["ip_address=192.0.2.0 range=24"]})
    assert result["changed"] is True
    assert api.writes[0][2]["ipRanges"] == [{"ipAddress": "192.0.2.0", "range": 24}]


def test_a_blocking_rule_with_only_a_direction_is_refused(api):
    result = run(est_call_blocking_rule.main, api, {"name": "all-out", "direction": "OUTBOUND"})
    assert result["failed"] is True
    assert "only a direction" in result["msg"] and "caller_country, callee_country, caller_match or callee_match" in result["msg"]
    assert api.writes == []


def test_clearing_the_last_criterion_of_a_rule_is_refused(api):
    api.add("/callBlockingRules", {"name": "premium", "direction": "OUTBOUND", "callerCountry": "", "calleeCountry": "",
                                   "callerMatch": "", "calleeMatch": "+1900"})
    result = run(est_call_blocking_rule.main, api, {"name": "premium", "callee_match": ""})
    assert result["failed"] is True and "only a direction" in result["msg"]
    assert api.writes == []


def test_renaming_a_rule_does_not_judge_its_criteria(api):
    api.add("/callBlockingRules", {"name": "old", "direction": "OUTBOUND", "calleeMatch": ""})
    assert run(est_call_blocking_rule.main, api, {"id": "id1", "name": "new"})["changed"] is True
