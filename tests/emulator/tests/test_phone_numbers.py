"""EST phone numbers: POST /phoneNumbers routes an owned number at once, answers 201 for any number."""

from conftest import make_trunk, violations

NUMBER, FOREIGN = "+14155550100", "+14155550199"


def _number(api, number=NUMBER):
    return api.get("/phoneNumbers/" + number.replace("+", "%2B")).json()


def test_post_routes_an_owned_number_at_once_and_an_empty_trunk_id_unroutes_it(api):
    api.admin("POST", "/seed", {"phone_numbers": [NUMBER]})
    t = make_trunk(api)
    r = api.post("/phoneNumbers", {"sipTrunkId": t["id"], "phoneNumber": NUMBER})
    assert r.status_code == 201 and r.json() == {"sipTrunkId": t["id"], "phoneNumber": NUMBER}
    assert _number(api)["sipTrunkId"] == t["id"] and _number(api)["updateTime"]
    assert api.get("/phoneNumbers", params={"sipTrunkId": t["id"]}).json()["totalItems"] == 1
    voice = api.get("/v1/projects/p1/activeNumbers/" + NUMBER).json()["voiceConfiguration"]
    assert voice["trunkId"] == t["id"] and voice["scheduledVoiceProvisioning"] is None
    r = api.post("/phoneNumbers", {"sipTrunkId": "", "phoneNumber": NUMBER})
    assert r.status_code == 201 and _number(api)["sipTrunkId"] == ""


def test_post_for_a_number_the_project_does_not_own_answers_201_and_changes_nothing(api, other):
    other.admin("POST", "/seed", {"project": "p2", "phone_numbers": [FOREIGN]})
    t = make_trunk(api)
    before = (api.state(), api.state("p2"))
    r = api.post("/phoneNumbers", {"sipTrunkId": t["id"], "phoneNumber": FOREIGN})
    assert r.status_code == 201 and r.json() == {"sipTrunkId": t["id"], "phoneNumber": FOREIGN}
    assert (api.state(), api.state("p2")) == before
    assert api.get("/phoneNumbers/" + FOREIGN).status_code == 404


def test_post_validates_the_number_and_the_trunk(api):
    api.admin("POST", "/seed", {"phone_numbers": [NUMBER]})
    assert violations(api.post("/phoneNumbers", {"sipTrunkId": "", "phoneNumber": "4155550100"})) == ["phoneNumber"]
    assert violations(api.post("/phoneNumbers", {"sipTrunkId": ""})) == ["phoneNumber"]
    r = api.post("/phoneNumbers", {"sipTrunkId": "missing", "phoneNumber": NUMBER})
    assert r.status_code == 400 and violations(r) == ["sipTrunkId"] and _number(api)["sipTrunkId"] == ""


def test_trunk_phone_numbers_path_does_not_exist(api):
    t = make_trunk(api)
    r = api.get(f"/trunks/{t['id']}/phoneNumbers")
    assert r.status_code == 404 and r.json()["status"] == "NOT_FOUND"
