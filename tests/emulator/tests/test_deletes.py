"""Deletes never cascade: a trunk, ACL or credential list with dependents answers 400 and changes nothing."""

import time

import requests

from conftest import Emulator, make_acl, make_cl, make_trunk


def _refused(api, path):
    before = api.state()
    r = api.delete(path)
    assert r.status_code == 400 and r.json()["status"] == "INVALID_ARGUMENT", r.text
    assert api.state() == before, "a refused delete changes nothing"
    return r.json()["message"]


def _route(api, number, trunk_id):
    r = api.patch("/v1/projects/p1/activeNumbers/" + number, {"voiceConfiguration": {"type": "EST", "trunkId": trunk_id}})
    assert r.status_code == 200, r.text


def _wait_routed(api, number, trunk_id):
    deadline = time.monotonic() + 10
    while api.get("/phoneNumbers/" + number).json()["sipTrunkId"] != trunk_id:
        assert time.monotonic() < deadline, f"{number} never reached {trunk_id!r}"
        time.sleep(0.05)


def test_trunk_delete_names_each_kind_of_dependent_until_none_remains(api):
    api.admin("POST", "/seed", {"phone_numbers": ["+14155550100"]})
    t = make_trunk(api)
    acl, cl = make_acl(api), make_cl(api)
    endpoint = api.post(f"/trunks/{t['id']}/endpoints", {"name": "e", "address": "192.0.2.1", "priority": 1}).json()
    api.post(f"/trunks/{t['id']}/accessControlLists", {"accessControlListIds": [acl["id"]]})
    api.post(f"/trunks/{t['id']}/credentialLists", {"credentialListIds": [cl["id"]]})
    _route(api, "+14155550100", t["id"])
    _wait_routed(api, "+14155550100", t["id"])
    message = _refused(api, f"/trunks/{t['id']}")
    for part in ("1 endpoint", "1 access control list", "1 credential list", "1 phone number"):
        assert part in message, message
    steps = [
        ("endpoint", lambda: api.delete(f"/trunks/{t['id']}/endpoints/{endpoint['id']}")),
        ("access control list", lambda: api.delete(f"/trunks/{t['id']}/accessControlLists/{acl['id']}")),
        ("credential list", lambda: api.delete(f"/trunks/{t['id']}/credentialLists/{cl['id']}")),
    ]
    for name, remove in steps:
        assert remove().status_code == 204
        assert f"1 {name}" not in _refused(api, f"/trunks/{t['id']}")
    assert "1 phone number" in _refused(api, f"/trunks/{t['id']}")
    _route(api, "+14155550100", "")
    _wait_routed(api, "+14155550100", "")
    assert api.delete(f"/trunks/{t['id']}").status_code == 204
    state = api.state()
    assert state["trunks"] == [] and len(state["accessControlLists"]) == 1 and len(state["credentialLists"]) == 1


def test_number_still_provisioning_to_a_trunk_blocks_its_delete(api):
    api.admin("POST", "/seed", {"phone_numbers": ["+14155550101"]})
    t = make_trunk(api)
    _route(api, "+14155550101", t["id"])
    assert "1 phone number" in _refused(api, f"/trunks/{t['id']}")


def test_number_still_provisioning_away_from_a_trunk_blocks_its_delete():
    emu = Emulator("--project-id", "px", "--key-id", "kx", "--key-secret", "sx", "--provisioning-delay", "600")
    try:
        s = requests.Session()
        s.auth = ("kx", "sx")
        base = emu.url + "/v1/projects/px"
        requests.post(emu.url + "/_emulator/seed", json={"phone_numbers": ["+14155550102"]}, timeout=10)
        trunk = s.post(base + "/trunks", json={"name": "x", "hostName": "away"}, timeout=10).json()
        s.post(base + "/phoneNumbers", json={"sipTrunkId": trunk["id"], "phoneNumber": "+14155550102"}, timeout=10)
        s.patch(base + "/activeNumbers/+14155550102", json={"voiceConfiguration": {"type": "EST", "trunkId": ""}},
                timeout=10)
        r = s.delete(base + f"/trunks/{trunk['id']}", timeout=10)
        assert r.status_code == 400 and "1 phone number" in r.json()["message"]
    finally:
        assert emu.stop() == 0


def test_acl_bound_to_a_trunk_cannot_be_deleted(api):
    t1, t2 = make_trunk(api, "one"), make_trunk(api, "two")
    acl = make_acl(api)
    for t in (t1, t2):
        api.post(f"/trunks/{t['id']}/accessControlLists", {"accessControlListIds": [acl["id"]]})
    message = _refused(api, f"/accessControlLists/{acl['id']}")
    assert "2 bound trunks" in message and t1["id"] in message and t2["id"] in message
    for t in (t1, t2):
        api.delete(f"/trunks/{t['id']}/accessControlLists/{acl['id']}")
    assert api.delete(f"/accessControlLists/{acl['id']}").status_code == 204
    assert api.state()["ipRanges"] == [], "its IP ranges are part of it and go with it"


def test_credential_list_bound_to_a_trunk_cannot_be_deleted(api):
    t = make_trunk(api)
    cl = make_cl(api)
    api.post(f"/trunks/{t['id']}/credentialLists", {"credentialListIds": [cl["id"]]})
    assert "1 bound trunk" in _refused(api, f"/credentialLists/{cl['id']}")
    api.delete(f"/trunks/{t['id']}/credentialLists/{cl['id']}")
    assert api.delete(f"/credentialLists/{cl['id']}").status_code == 204
    assert api.state()["credentials"] == []


def test_credential_list_whose_username_a_registered_endpoint_uses_cannot_be_deleted(api):
    t = make_trunk(api)
    cl = make_cl(api)
    api.post(f"/trunks/{t['id']}/credentialLists", {"credentialListIds": [cl["id"]]})
    body = {"name": "phone", "priority": 1, "isRegistered": True, "credentialUsername": "alice"}
    endpoint = api.post(f"/trunks/{t['id']}/endpoints", body).json()
    api.delete(f"/trunks/{t['id']}/credentialLists/{cl['id']}")
    message = _refused(api, f"/credentialLists/{cl['id']}")
    assert "1 registered endpoint" in message and endpoint["id"] in message and "bound trunk" not in message
    api.delete(f"/trunks/{t['id']}/endpoints/{endpoint['id']}")
    assert api.delete(f"/credentialLists/{cl['id']}").status_code == 204


def test_reset_clears_projects_with_dependents(api):
    t = make_trunk(api)
    acl = make_acl(api)
    api.post(f"/trunks/{t['id']}/endpoints", {"name": "e", "address": "192.0.2.1", "priority": 1})
    api.post(f"/trunks/{t['id']}/accessControlLists", {"accessControlListIds": [acl["id"]]})
    assert api.admin("POST", "/reset", {"project": "p1"}).status_code == 200
    state = api.state()
    assert state["trunks"] == state["endpoints"] == state["trunkAccessControlLists"] == []
