"""Numbers API activeNumbers: live fields, PATCH of any subset, list filters, order and pages, async provisioning."""

import datetime as dt
import time

import pytest

from conftest import make_trunk, violations

BASE = "/v1/projects/p1/activeNumbers"
NUMBERS = {"+14155550100": ("US", "LOCAL"), "+18005550100": ("US", "TOLL_FREE"), "+447700900123": ("GB", "MOBILE"),
           "+442071234567": ("GB", "LOCAL"), "+46701234567": ("SE", "MOBILE")}


@pytest.fixture()
def named(api):
    api.admin("POST", "/seed", {"phone_numbers": list(NUMBERS)})
    return api


def _listed(api, **params):
    body = api.get(BASE, params=params).json()
    return [n["phoneNumber"] for n in body["activeNumbers"]]


def test_routing_is_async(api):
    api.admin("POST", "/seed", {"project": "p1", "numbers": 3, "seed": 1})
    t = make_trunk(api)
    listed = api.get("/v1/projects/p1/activeNumbers").json()
    assert listed["totalSize"] == 3 and listed["nextPageToken"] == ""
    number = listed["activeNumbers"][0]["phoneNumber"]
    path = "/v1/projects/p1/activeNumbers/" + number
    r = api.patch(path, {"voiceConfiguration": {"type": "EST", "trunkId": t["id"]}})
    assert r.status_code == 200
    vc = r.json()["voiceConfiguration"]
    assert vc["trunkId"] == "" and vc["scheduledVoiceProvisioning"]["status"] == "WAITING"
    assert vc["scheduledVoiceProvisioning"]["trunkId"] == t["id"]
    assert api.get("/phoneNumbers/" + number).json()["sipTrunkId"] == ""
    time.sleep(0.4)
    vc = api.get(path).json()["voiceConfiguration"]
    assert vc["trunkId"] == t["id"] and vc["scheduledVoiceProvisioning"] is None
    assert api.get("/phoneNumbers/" + number).json()["sipTrunkId"] == t["id"]
    assert api.get("/phoneNumbers", params={"sipTrunkId": t["id"]}).json()["totalItems"] == 1
    dumped = {n["phoneNumber"]: n for n in api.state()["phoneNumbers"]}
    assert dumped[number]["voiceConfiguration"]["trunkId"] == t["id"]
    # unroute
    api.patch(path, {"voiceConfiguration": {"type": "EST", "trunkId": ""}})
    time.sleep(0.4)
    assert api.get("/phoneNumbers/" + number).json()["sipTrunkId"] == ""


def test_numbers_errors_and_paging(api, other):
    api.admin("POST", "/seed", {"project": "p1", "numbers": 5, "seed": 2})
    first = api.get("/v1/projects/p1/activeNumbers", params={"pageSize": 2}).json()
    assert len(first["activeNumbers"]) == 2 and first["nextPageToken"]
    seen = [n["phoneNumber"] for n in first["activeNumbers"]]
    token = first["nextPageToken"]
    while token:
        page = api.get("/v1/projects/p1/activeNumbers", params={"pageSize": 2, "pageToken": token}).json()
        seen += [n["phoneNumber"] for n in page["activeNumbers"]]
        token = page["nextPageToken"]
    assert len(set(seen)) == 5
    number = seen[0]
    path = "/v1/projects/p1/activeNumbers/" + number
    r = api.patch(path, {"voiceConfiguration": {"type": "EST", "trunkId": "missing"}})
    assert r.status_code == 400 and violations(r) == ["voiceConfiguration.trunkId"]
    assert "error" in r.json(), "Numbers API errors use the wrapped shape"
    assert violations(api.patch(path, {"voiceConfiguration": {"type": "FAX", "trunkId": ""}})) == ["voiceConfiguration.type"]
    assert other.get("/v1/projects/p2/activeNumbers/" + number).status_code == 404
    t2 = other.post("/trunks", {"name": "o", "hostName": "other-trunk"}).json()
    r = api.patch(path, {"voiceConfiguration": {"type": "EST", "trunkId": t2["id"]}})
    assert r.status_code == 400, "a trunk of another project is unknown"


def test_active_number_carries_the_live_fields(named):
    n = named.get(BASE + "/+447700900123").json()
    assert (n["regionCode"], n["type"], n["capability"]) == ("GB", "MOBILE", ["SMS", "VOICE"])
    assert n["money"]["currencyCode"] == "USD" and isinstance(n["money"]["amount"], str)
    assert n["paymentIntervalMonths"] == 1 and n["expireAt"] is None
    assert n["nextChargeDate"] > dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    assert n["smsConfiguration"] == {"servicePlanId": "", "scheduledProvisioning": None, "campaignId": ""}
    assert n["callbackUrl"] == "" and n["displayName"] == "" and n["projectId"] == "p1"


def test_patch_takes_any_subset_and_applies_it_together(named):
    path = BASE + "/+14155550100"
    before = named.get(path).json()
    r = named.patch(path, {})
    assert r.status_code == 200 and r.json() == before, "no field is required"
    assert named.patch(path, {"displayName": "Front desk"}).json()["voiceConfiguration"] == before["voiceConfiguration"]
    t = make_trunk(named)
    r = named.patch(path, {"displayName": "Main", "callbackUrl": "https://example.com/cb",
                           "smsConfiguration": {"servicePlanId": "plan-1", "campaignId": "c-9"},
                           "voiceConfiguration": {"type": "EST", "trunkId": t["id"]}})
    n = r.json()
    assert (n["displayName"], n["callbackUrl"], n["smsConfiguration"]["servicePlanId"], n["smsConfiguration"]["campaignId"]) == \
        ("Main", "https://example.com/cb", "plan-1", "c-9")
    assert n["voiceConfiguration"]["scheduledVoiceProvisioning"]["trunkId"] == t["id"]
    r = named.patch(path, {"displayName": "Never", "smsConfiguration": {"campaignId": "x"},
                           "voiceConfiguration": {"type": "EST", "trunkId": "missing"}})
    assert r.status_code == 400
    assert violations(r) == ["smsConfiguration.servicePlanId", "voiceConfiguration.trunkId"]
    assert named.get(path).json()["displayName"] == "Main", "a refused PATCH applies none of its parts"
    assert violations(named.patch(path, {"callbackUrl": 7})) == ["callbackUrl"]


def test_list_filters(named):
    assert _listed(named, regionCode="gb") == ["+442071234567", "+447700900123"]
    assert _listed(named, type="MOBILE") == ["+447700900123", "+46701234567"]
    assert _listed(named, type="TOLL_FREE") == ["+18005550100"]
    pattern = "numberPattern.pattern"
    search = "numberPattern.searchPattern"
    assert _listed(named, **{pattern: "+44", search: "START"}) == ["+442071234567", "+447700900123"]
    assert _listed(named, **{pattern: "4670", search: "START"}) == ["+46701234567"]
    assert _listed(named, **{pattern: "0100", search: "END"}) == ["+14155550100", "+18005550100"]
    assert _listed(named, **{pattern: "5550"}) == ["+14155550100", "+18005550100"], "CONTAINS without a search pattern"
    assert _listed(named, regionCode="US", type="LOCAL", capability="VOICE") == ["+14155550100"]
    assert len(_listed(named, capabilities=["SMS", "VOICE"])) == 5
    for params, field in [({"type": "FIXED"}, "type"), ({search: "AROUND"}, search), ({"capability": "FAX"}, "capability"),
                          ({"regionCode": "GBR"}, "regionCode"), ({"orderBy": "price"}, "orderBy"),
                          ({"pageSize": 1001}, "pageSize"), ({"pageToken": "???"}, "pageToken")]:
        r = named.get(BASE, params=params)
        assert r.status_code == 400 and violations(r) == [field], params


def test_list_orders_and_pages(named):
    assert _listed(named) == sorted(NUMBERS), "phoneNumber order by default"
    for i, number in enumerate(sorted(NUMBERS, reverse=True)):
        named.patch(BASE + "/" + number, {"displayName": f"n{i}"})
    by_name = sorted(NUMBERS, reverse=True)
    assert _listed(named, orderBy="displayName") == by_name == _listed(named, orderBy="DISPLAY_NAME")
    seen, token = [], None
    while True:
        body = named.get(BASE, params={"pageSize": 2, "orderBy": "displayName", **({"pageToken": token} if token else {})}).json()
        assert body["totalSize"] == 5 and len(body["activeNumbers"]) <= 2
        seen += [n["phoneNumber"] for n in body["activeNumbers"]]
        token = body["nextPageToken"]
        if not token:
            break
    assert seen == by_name
    assert len(named.get(BASE, params={"pageSize": 1000}).json()["activeNumbers"]) == 5


def test_unknown_active_number_answers_404_with_resource_info(named):
    for r in (named.get(BASE + "/%2B19999999999"), named.patch(BASE + "/%2B19999999999", {"displayName": "x"})):
        error = r.json()["error"]
        assert r.status_code == 404 and error["status"] == "NOT_FOUND"
        assert error["details"][0] == {"type": "ResourceInfo", "resourceType": "ActiveNumber",
                                       "resourceName": "+19999999999", "owner": "", "description": ""}
