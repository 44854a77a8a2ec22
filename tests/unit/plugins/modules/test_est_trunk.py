# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""est_trunk: lookup by host name, create defaults, forwarding rules, delete safety."""

from __future__ import annotations

import pytest

from ansible_collections.sinch.est.plugins.modules import est_trunk
from ansible_collections.sinch.est.tests.unit.harness import FakeApi, run


@pytest.fixture
def api():
    return FakeApi()


def trunk(api, host_name="acme", **fields):
    return api.add("/trunks", dict({"name": host_name, "hostName": host_name, "enableCallerName": False,
                                    "enableCallForward": False, "callForwardNumber": ""}, **fields))


def test_lookup_tries_the_domain_filter_first(api):
    trunk(api)
    result = run(est_trunk.main, api, {"host_name": "acme"})
    assert result["changed"] is False
    assert [request[2] for request in api.requests] == [{"domain": "acme"}]


def test_host_names_compare_in_any_case(api):
    trunk(api, "acme")
    assert run(est_trunk.main, api, {"host_name": "ACME"})["changed"] is False
    assert api.writes == []


def test_create_names_the_trunk_after_its_host_name_by_default(api):
    run(est_trunk.main, api, {"host_name": "acme"})
    assert api.writes == [("POST", "/trunks", {"name": "acme", "hostName": "acme"})]


def test_forwarding_on_uses_the_number_the_trunk_already_has(api):
    trunk(api, callForwardNumber="+14155550100")
    result = run(est_trunk.main, api, {"host_name": "acme", "enable_call_forward": True})
    assert result["changed"] is True
    assert api.objects["/trunks/id1"]["callForwardNumber"] == "+14155550100"
    assert api.objects["/trunks/id1"]["enableCallForward"] is True


def test_forwarding_on_without_any_number_fails_before_a_write(api):
    trunk(api)
    result = run(est_trunk.main, api, {"host_name": "acme", "enable_call_forward": True})
    assert result["failed"] and "call_forward_number" in result["msg"]
    assert api.writes == []


def test_update_sends_the_whole_trunk(api):
    trunk(api, enableCallerName=True)
    run(est_trunk.main, api, {"host_name": "acme", "name": "ACME"})
    assert api.writes == [("PUT", "/trunks/id1", {"name": "ACME", "hostName": "acme", "enableCallerName": True,
                                                  "enableCallForward": False, "callForwardNumber": ""})]


def test_delete_is_refused_while_numbers_are_routed(api):
    trunk(api)
    api.add("/phoneNumbers", {"phoneNumber": "+14155550100", "sipTrunkId": "id1"})
    result = run(est_trunk.main, api, {"host_name": "acme", "state": "absent"})
    assert result["failed"] and "+14155550100" in result["msg"] and "force" in result["msg"]
    assert api.writes == []


def test_delete_with_force_ignores_routed_numbers(api):
    trunk(api)
    api.add("/phoneNumbers", {"phoneNumber": "+14155550100", "sipTrunkId": "id1"})
    result = run(est_trunk.main, api, {"host_name": "acme", "state": "absent", "force": True})
    assert result["changed"] is True
    assert "/trunks/id1" not in api.objects
