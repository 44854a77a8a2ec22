# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""est_site: input checks before any request, one read per collection, dependency order, teardown
order, check mode predicting the run, failures part-way, and the offline states."""

from __future__ import annotations

import copy
import json
from urllib.parse import quote, unquote

import pytest

from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError
from ansible_collections.sinch.est.plugins.modules import est_site
from ansible_collections.sinch.est.tests.unit.harness import run
from ansible_collections.sinch.est.tests.unit.plugins.modules.binding_fake import BindingApi

PASSWORD = "Unit-Test-Pass-2026"
COUNTRIES = ("US", "CA", "*")


class SiteApi(BindingApi):
    """The fake API with what est_site reads: ACL list items carry their ranges and trunks, credential
    list items their usernames, numbers route at once, country permissions in one reply."""

    def __init__(self):
        super().__init__()
        self.scheduled = []  # active numbers with a routing change the Numbers API has not applied yet
        for code in COUNTRIES:
            self.objects[f"/countryPermissions/{quote(code)}"] = {"id": code, "isoCode": code, "enabled": code == "US"}

    def get(self, path, params=None, api="est"):
        if path != "/countryPermissions":
            return super().get(path, params, api)
        self.requests.append(("GET", path, params))
        return {"countryPermissions": [copy.deepcopy(self.objects[f"/countryPermissions/{quote(code)}"])
                                       for code in COUNTRIES]}

    def number(self, phone_number, trunk_id=""):
        self.add("/phoneNumbers", {"id": phone_number, "phoneNumber": phone_number, "sipTrunkId": trunk_id})
        self.objects[f"/activeNumbers/{quote(phone_number)}"] = {"phoneNumber": phone_number}

    def paginate(self, path, items_key, params=None, page_size=500, max_pages=10000, api="est"):
        for item in super().paginate(path, items_key, params, page_size, max_pages, api):
            if path == "/accessControlLists":
                item["trunks"] = [trunk for trunk, (_key, ids) in self.bindings.items() if item["id"] in ids]
                item["trunks"] = [trunk.split("/")[2] for trunk in item["trunks"] if trunk.endswith("accessControlLists")]
            yield item

    def paginate_tokens(self, path, items_key, params=None, page_size=1000, max_pages=10000, api="numbers"):
        self.requests.append(("GET", path, params))
        return iter(copy.deepcopy(self.scheduled))

    def post(self, path, body=None, api="est"):
        answer = super().post(path, body, api)
        if path == "/trunks":
            for kind, key in (("accessControlLists", "accessControlListIds"), ("credentialLists", "credentialListIds")):
                self.bind(f"/trunks/{answer['id']}/{kind}", key, [])
        return answer

    def put(self, path, body=None, api="est"):
        if "/credentials/" in path:
            self.requests.append(("PUT", path, body))
            list_path, username = path.split("/credentials/")
            credentials = self.objects[list_path].setdefault("credentials", [])
            if all(item["username"] != username for item in credentials):
                credentials.append({"id": f"c-{username}", "username": username})
            return {"username": username}
        if path.startswith("/countryPermissions/"):
            self.requests.append(("PUT", path, body))
            self.objects[path]["enabled"] = body["enabled"]
            return copy.deepcopy(self.objects[path])
        return super().put(path, body, api)

    def patch(self, path, body=None, api="est"):
        answer = super().patch(path, body, api)
        number = unquote(path.rsplit("/", 1)[1])
        self.objects[f"/phoneNumbers/{number}"]["sipTrunkId"] = body["voiceConfiguration"]["trunkId"]
        return answer

    def delete(self, path, api="est"):
        if "/credentials/" in path:
            self.requests.append(("DELETE", path, None))
            list_path, username = path.split("/credentials/")
            self.objects[list_path]["credentials"] = [item for item in self.objects[list_path]["credentials"]
                                                      if item["username"] != username]
            return None
        return super().delete(path, api)

    def trunk_id(self, host_name):
        return next(item["id"] for path, item in self.objects.items()
                    if path.startswith("/trunks/") and item.get("hostName") == host_name)


def trunk_config(index, **extra):
    config = {"host_name": f"t{index}", "name": f"Trunk {index}",
              "endpoints": [{"name": "sbc-1", "address": f"198.51.100.{index}", "priority": 1},
                            {"name": "pbx", "credential_username": f"user{index}", "priority": 2}],
              "acls": [f"acl{index}"], "credential_lists": [f"list{index}"],
              "phone_numbers": [f"+1415555010{index}"]}
    config.update(extra)
    return config


def estate_config(trunks=2):
    return {
        "trunks": [trunk_config(index) for index in range(trunks)],
        "acls": [{"name": f"acl{index}", "ip_ranges": [{"cidr": f"203.0.113.{index * 16}/28", "description": "office"}]}
                 for index in range(trunks)],
        "credential_lists": [{"name": f"list{index}", "credentials": [{"username": f"user{index}", "password": PASSWORD}]}
                             for index in range(trunks)],
        "enabled_countries": ["US", "CA"],
        "call_blocking_rules": [{"name": "premium", "direction": "outbound", "callee_match": "+1900"}],
    }


@pytest.fixture
def api():
    fake = SiteApi()
    for index in range(4):
        fake.number(f"+1415555010{index}")
    return fake


@pytest.fixture
def no_sleep(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)


def converged(api, config=None):
    result = run(est_site.main, api, {"config": config or estate_config()})
    assert not result.get("failed"), result.get("msg")
    api.requests.clear()
    return result


def writes(api):
    return [(method, path) for method, path, _body in api.writes]


# -- input checks -----------------------------------------------------------------------------------

@pytest.mark.parametrize("config, option", [
    ({"trunks": [{"host_name": "bad name"}]}, "config.trunks[0].host_name"),
    ({"trunks": [{"host_name": "t", "endpoints": [{"name": "e", "address": "198.51.100.1", "port": 0}]}]},
     "config.trunks[0].endpoints[0].port"),
    ({"trunks": [{"host_name": "t", "call_forward_number": "12"}]}, "config.trunks[0].call_forward_number"),
    ({"acls": [{"name": "a", "ip_ranges": [{"cidr": "300.0.0.0/24"}]}]}, "config.acls[0].ip_ranges[0]"),
    ({"credential_lists": [{"name": "l", "credentials": [{"username": "u", "password": "weak"}]}]},
     "config.credential_lists[0].credentials[0].password"),
    ({"enabled_countries": ["UK"]}, "config.enabled_countries"),
    ({"call_blocking_rules": [{"name": "r", "direction": "up"}]}, "config.call_blocking_rules[0].direction"),
    ({"trunks": [{"host_name": "a", "phone_numbers": ["+14155550100"]},
                 {"host_name": "b", "phone_numbers": ["+14155550100"]}]}, "config.trunks[1].phone_numbers"),
    ({"acls": [{"name": "a"}, {"name": "a"}]}, "config.acls[1].name"),
])
def test_bad_input_fails_naming_the_option_before_any_request(api, config, option):
    result = run(est_site.main, api, {"config": config})
    assert result["failed"] and option in result["msg"]
    assert "weak" not in result["msg"]
    assert api.requests == []


def test_a_name_that_refers_to_nothing_fails_after_the_reads_before_any_write(api):
    config = estate_config(1)
    config["trunks"][0]["acls"] = ["nowhere"]
    result = run(est_site.main, api, {"config": config})
    assert result["failed"] and "config.trunks[t0].acls: no access control list named 'nowhere'" in result["msg"]
    assert api.writes == []


def test_a_registered_endpoint_whose_username_no_bound_list_holds_is_refused(api):
    config = estate_config(1)
    config["trunks"][0]["credential_lists"] = []
    result = run(est_site.main, api, {"config": config})
    assert result["failed"] and "'user0' is in no credential list bound to the trunk" in result["msg"]
    assert api.writes == []


def test_a_number_the_project_does_not_have_is_refused(api):
    config = estate_config(1)
    config["trunks"][0]["phone_numbers"] = ["+14155559999"]
    result = run(est_site.main, api, {"config": config})
    assert result["failed"] and "+14155559999 is not among the EST numbers" in result["msg"]
    assert api.writes == []


# -- merged ---------------------------------------------------------------------------------------

def test_merged_creates_the_estate_in_dependency_order(api):
    result = run(est_site.main, api, {"config": estate_config(1)})
    assert result["changed"] is True
    trunk_id = api.trunk_id("t0")
    assert writes(api) == [
        ("POST", "/credentialLists"),
        ("POST", "/accessControlLists"),
        ("POST", "/trunks"),
        ("POST", f"/trunks/{trunk_id}/accessControlLists"),
        ("POST", f"/trunks/{trunk_id}/credentialLists"),
        ("POST", f"/trunks/{trunk_id}/endpoints"),
        ("POST", f"/trunks/{trunk_id}/endpoints"),
        ("PATCH", "/activeNumbers/%2B14155550100"),
        ("PUT", "/countryPermissions/CA"),
        ("POST", "/callBlockingRules"),
    ]
    bodies = {(method, path): body for method, path, body in api.writes}
    assert bodies[("POST", f"/trunks/{trunk_id}/accessControlLists")] == {
        "accessControlListIds": [api.collections["/accessControlLists"][0]]}
    assert bodies[("POST", "/callBlockingRules")]["direction"] == "OUTBOUND"


def test_a_converged_estate_reads_each_collection_once_and_two_lists_per_trunk(api):
    converged(api)
    result = run(est_site.main, api, {"config": estate_config()})
    assert result["changed"] is False and result["requests"] == []
    assert api.writes == []
    assert len(api.requests) == 6 + 2 * 2


def test_merged_adds_members_and_removes_nothing(api):
    converged(api)
    config = {"trunks": [{"host_name": "T0", "endpoints": [{"name": "sbc-2", "address": "198.51.100.9", "priority": 3}]}]}
    result = run(est_site.main, api, {"config": config})
    trunk_id = api.trunk_id("t0")
    assert writes(api) == [("POST", f"/trunks/{trunk_id}/endpoints")]
    assert [endpoint["name"] for endpoint in result["after"]["trunks"][0]["endpoints"]] == ["sbc-1", "pbx", "sbc-2"]


def test_an_option_left_out_keeps_the_server_value(api):
    converged(api)
    config = {"trunks": [{"host_name": "t0", "enable_caller_name": True}]}
    run(est_site.main, api, {"config": config})
    trunk_id = api.trunk_id("t0")
    assert api.writes == [("PUT", f"/trunks/{trunk_id}", {"name": "Trunk 0", "hostName": "t0", "enableCallerName": True,
                                                          "enableCallForward": False, "callForwardNumber": ""})]


def test_a_routing_change_already_scheduled_is_not_sent_again(api):
    converged(api)
    api.objects["/phoneNumbers/+14155550100"]["sipTrunkId"] = ""  # not live yet ...
    api.scheduled = [{"phoneNumber": "+14155550100", "voiceConfiguration": {"type": "EST", "trunkId": api.trunk_id("t0"),
                      "scheduledVoiceProvisioning": {"type": "EST", "trunkId": api.trunk_id("t0")}}}]  # ... but on its way
    result = run(est_site.main, api, {"config": estate_config()})
    assert result["changed"] is False and api.writes == []
    assert ("GET", "/activeNumbers", {}) in api.requests


# -- check mode and diff ----------------------------------------------------------------------------

def test_check_mode_writes_nothing_and_predicts_the_real_run(api):
    fresh = copy.deepcopy(api)
    predicted = run(est_site.main, api, {"config": estate_config()}, check_mode=True, diff=True)
    assert api.writes == []
    real = run(est_site.main, fresh, {"config": estate_config()}, diff=True)
    assert predicted["changed"] is real["changed"] is True
    assert predicted["diff"] == real["diff"]
    assert [request["what"] for request in predicted["requests"]] == [request["what"] for request in real["requests"]]
    assert len(real["requests"]) == len(fresh.writes)


def test_no_password_in_the_result_diff_or_requests(api):
    result = run(est_site.main, api, {"config": estate_config()}, diff=True)
    assert PASSWORD not in json.dumps(result)
    create = next(request for request in result["requests"] if request["path"] == "/credentialLists")
    assert create["body"]["credentials"] == [{"username": "user0", "password": "********"}]


# -- replaced, overridden, deleted --------------------------------------------------------------------

def test_replaced_removes_an_endpoint_the_trunk_no_longer_lists(api):
    converged(api)
    trunk_id = api.trunk_id("t0")
    endpoint_id = _endpoint_id(api, trunk_id, "sbc-1")
    trunk = trunk_config(0, endpoints=[{"name": "pbx", "credential_username": "user0", "priority": 2}])
    run(est_site.main, api, {"state": "replaced", "config": {"trunks": [trunk]}})
    assert writes(api) == [("DELETE", f"/trunks/{trunk_id}/endpoints/{endpoint_id}")]


def _endpoint_id(api, trunk_id, name):
    return next(item["id"] for path, item in api.objects.items()
                if path.startswith(f"/trunks/{trunk_id}/endpoints/") and item["name"] == name)


def test_replaced_with_an_empty_list_of_bindings_unbinds_in_one_put(api):
    converged(api)
    trunk_id = api.trunk_id("t0")
    endpoint_id = _endpoint_id(api, trunk_id, "pbx")
    trunk = trunk_config(0, endpoints=[{"name": "sbc-1", "address": "198.51.100.0", "priority": 1}], credential_lists=[])
    run(est_site.main, api, {"state": "replaced", "config": {"trunks": [trunk]}})
    assert writes(api) == [("DELETE", f"/trunks/{trunk_id}/endpoints/{endpoint_id}"),
                           ("PUT", f"/trunks/{trunk_id}/credentialLists")]
    assert api.bound(f"/trunks/{trunk_id}/credentialLists") == []


def test_overridden_tears_an_unlisted_trunk_down_in_the_live_order(api, no_sleep):
    converged(api)
    gone = api.trunk_id("t1")
    acl, credential_list = api.collections["/accessControlLists"][1], api.collections["/credentialLists"][1]
    endpoints = list(api.collections[f"/trunks/{gone}/endpoints"])
    by_name = _name_of(api, gone)
    endpoints.sort(key=by_name)
    config = estate_config(1)
    result = run(est_site.main, api, {"state": "overridden", "config": config})
    assert result["changed"] is True
    assert writes(api) == [
        ("PATCH", "/activeNumbers/%2B14155550101"),
        *(("DELETE", f"/trunks/{gone}/endpoints/{endpoint}") for endpoint in endpoints),
        ("DELETE", f"/trunks/{gone}/accessControlLists/{acl}"),
        ("PUT", f"/trunks/{gone}/credentialLists"),
        ("DELETE", f"/trunks/{gone}"),
        ("DELETE", f"/credentialLists/{credential_list}"),
        ("DELETE", f"/accessControlLists/{acl}"),
    ]


def _name_of(api, trunk_id):
    names = {item["id"]: item["name"] for path, item in api.objects.items() if path.startswith(f"/trunks/{trunk_id}/endpoints/")}
    return lambda endpoint_id: names.get(endpoint_id, endpoint_id)


def test_overridden_leaves_a_section_it_is_not_given_alone(api):
    converged(api)
    rule_id = api.collections["/callBlockingRules"][0]
    run(est_site.main, api, {"state": "overridden", "config": {"call_blocking_rules": []}})
    assert writes(api) == [("DELETE", f"/callBlockingRules/{rule_id}")]


def test_deleted_without_config_empties_the_project_and_a_rerun_changes_nothing(api, no_sleep):
    converged(api)
    run(est_site.main, api, {"state": "deleted"})
    assert api.collections["/trunks"] == [] and api.collections["/accessControlLists"] == []
    assert api.collections["/credentialLists"] == [] and api.collections["/callBlockingRules"] == []
    api.requests.clear()
    assert run(est_site.main, api, {"state": "deleted"})["changed"] is False
    assert api.writes == []


# -- failures part-way ------------------------------------------------------------------------------

def test_a_failure_names_what_was_done_and_what_was_not_and_a_rerun_finishes(api):
    refused = EstApiError("POST /trunks failed: HTTP 400", method="POST", path="/trunks", status_code=400)
    api.failures[("POST", "/trunks")] = [(refused, False)]
    result = run(est_site.main, api, {"config": estate_config(1)})
    assert result["failed"] and result["changed"] is True
    assert "stopped in phase 3" in result["msg"] and "POST /trunks failed" in result["msg"]
    assert result["done"] == ["create credential list 'list0'", "create access control list 'acl0'"]
    assert result["not_done"][0] == "create trunk t0" and "route +14155550100 to trunk t0" in result["not_done"]
    api.requests.clear()
    rerun = run(est_site.main, api, {"config": estate_config(1)})
    assert rerun["changed"] is True
    assert [request["what"] for request in rerun["requests"]][0] == "create trunk t0"
    assert ("POST", "/credentialLists") not in writes(api)


# -- gathered, rendered, parsed ---------------------------------------------------------------------

def test_gathered_round_trips_into_merged_with_no_change(api):
    converged(api)
    gathered = run(est_site.main, api, {"state": "gathered"})["gathered"]
    assert gathered["credential_lists"][0] == {"name": "list0", "credentials": [{"username": "user0"}]}
    assert gathered["trunks"][0]["phone_numbers"] == ["+14155550100"]
    api.requests.clear()
    result = run(est_site.main, api, {"state": "merged", "config": gathered})
    assert result["changed"] is False and api.writes == []


def test_gathered_refuses_names_two_objects_share(api):
    api.add("/accessControlLists", {"name": "same", "enabled": True, "ipRanges": []})
    api.add("/accessControlLists", {"name": "same", "enabled": True, "ipRanges": []})
    result = run(est_site.main, api, {"state": "gathered"})
    assert result["failed"] and "acls 'same'" in result["msg"]


def test_rendered_sends_nothing_and_shows_placeholders(api):
    result = run(est_site.main, api, {"state": "rendered", "config": estate_config(1)})
    assert api.requests == []
    paths = [request["path"] for request in result["rendered"]]
    assert "/trunks/<id of trunk t0>/endpoints" in paths
    bind = next(request for request in result["rendered"] if request["path"] == "/trunks/<id of trunk t0>/accessControlLists")
    assert bind["body"] == {"accessControlListIds": ["<id of acl acl0>"]}


def test_parsed_checks_the_running_config_like_config(api):
    text = json.dumps({"gathered": {"trunks": [{"host_name": "t0", "acls": ["a"]}]}})
    result = run(est_site.main, api, {"state": "parsed", "running_config": text})
    assert result["parsed"] == {"trunks": [{"host_name": "t0", "acls": ["a"]}]}
    bad = run(est_site.main, api, {"state": "parsed", "running_config": "trunks: [{host_name: 'bad name'}]"})
    assert bad["failed"] and "config.trunks[0].host_name" in bad["msg"]
    assert api.requests == []
