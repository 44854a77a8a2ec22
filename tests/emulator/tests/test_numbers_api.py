"""Numbers API activeNumbers and asynchronous voice provisioning to EST trunks."""

import time

from conftest import make_trunk, violations


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
    assert api.state()["phoneNumbers"][0]["voiceConfiguration"]["trunkId"] == t["id"]
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
    assert violations(api.patch(path, {})) == ["voiceConfiguration"]
    assert api.get("/v1/projects/p1/activeNumbers/%2B19999999999").status_code == 404
    assert other.get("/v1/projects/p2/activeNumbers/" + number).status_code == 404
    t2 = other.post("/trunks", {"name": "o", "hostName": "other-trunk"}).json()
    r = api.patch(path, {"voiceConfiguration": {"type": "EST", "trunkId": t2["id"]}})
    assert r.status_code == 400, "a trunk of another project is unknown"
