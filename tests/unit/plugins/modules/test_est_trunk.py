# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""est_trunk: lookup by host name, create defaults, forwarding rules, delete safety."""

from __future__ import annotations

import pytest

from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError
from ansible_collections.sinch.est.plugins.modules import est_trunk
from ansible_collections.sinch.est.tests.unit.harness import FakeApi, run
from ansible_collections.sinch.est.tests.unit.plugins.modules.binding_fake import BindingApi


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


class NumbersApi(BindingApi):
    """Routing a number through the Numbers API moves it in EST's list at once (no provisioning delay)."""

    def patch(self, path, body=None, api="est"):
        self.requests.append(("PATCH", path, body))
        number = path.rsplit("/", 1)[1].replace("%2B", "+")
        for object_path in self.collections.get("/phoneNumbers", []):
            item = self.objects[f"/phoneNumbers/{object_path}"]
            if item["phoneNumber"] == number:
                item["sipTrunkId"] = body["voiceConfiguration"]["trunkId"]
        return {"phoneNumber": number}


@pytest.fixture
def full_trunk():
    """A trunk holding one of everything the service refuses to delete it with."""
    api = NumbersApi()
    trunk(api)
    api.add("/phoneNumbers", {"phoneNumber": "+14155550100", "sipTrunkId": "id1"})
    api.add("/trunks/id1/endpoints", {"name": "sbc-1"})
    api.bind("/trunks/id1/accessControlLists", "accessControlListIds", ["acl1"])
    api.bind("/trunks/id1/credentialLists", "credentialListIds", ["cl1"])
    return api


def test_delete_with_force_takes_the_numbers_off_then_empties_the_trunk_then_deletes_it(full_trunk):
    result = run(est_trunk.main, full_trunk, {"host_name": "acme", "state": "absent", "force": True})
    assert result["changed"] is True
    assert full_trunk.writes == [
        ("PATCH", "/activeNumbers/%2B14155550100", {"voiceConfiguration": {"type": "EST", "trunkId": ""}}),
        ("DELETE", "/trunks/id1/endpoints/id3", None),
        ("DELETE", "/trunks/id1/accessControlLists/acl1", None),
        ("PUT", "/trunks/id1/credentialLists", []),
        ("DELETE", "/trunks/id1", None),
    ]
    assert "/trunks/id1" not in full_trunk.objects


def test_delete_without_numbers_needs_no_force_and_keeps_acls_and_lists(full_trunk):
    full_trunk.objects["/phoneNumbers/id2"]["sipTrunkId"] = ""
    result = run(est_trunk.main, full_trunk, {"host_name": "acme", "state": "absent"})
    assert result["changed"] is True
    assert [request[0] for request in full_trunk.writes] == ["DELETE", "DELETE", "PUT", "DELETE"]
    assert not [request for request in full_trunk.writes if request[1] in ("/accessControlLists/acl1", "/credentialLists/cl1")]


def test_check_mode_delete_shows_every_step_and_writes_nothing(full_trunk):
    result = run(est_trunk.main, full_trunk, {"host_name": "acme", "state": "absent", "force": True},
                 check_mode=True, diff=True)
    assert result["changed"] is True
    assert full_trunk.writes == []
    before = result["diff"]["before"]
    assert before["phone_numbers"] == ["+14155550100"] and before["endpoints"] == ["sbc-1"]
    assert before["acl_ids"] == ["acl1"] and before["credential_list_ids"] == ["cl1"]
    assert result["diff"]["after"] == {}


def test_a_delete_stopped_halfway_is_finished_by_the_next_run(full_trunk):
    full_trunk.failures[("DELETE", "/trunks/id1/accessControlLists/acl1")] = [
        (EstApiError("DELETE failed: HTTP 503", method="DELETE", status_code=503), False)]
    first = run(est_trunk.main, full_trunk, {"host_name": "acme", "state": "absent", "force": True})
    assert first["failed"] and first["changed"] is True
    second = run(est_trunk.main, full_trunk, {"host_name": "acme", "state": "absent", "force": True})
    assert second["changed"] is True and "/trunks/id1" not in full_trunk.objects
    assert full_trunk.writes.count(("DELETE", "/trunks/id1/endpoints/id3", None)) == 1  # done in the first run
    assert [request[0] for request in full_trunk.writes].count("PATCH") == 1
