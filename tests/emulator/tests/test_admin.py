"""Admin API, restart with a file DB, concurrent writers."""

import concurrent.futures as cf

import requests

from conftest import Emulator, make_acl, make_cl, make_trunk


def test_health_and_state_shape(api):
    assert api.admin("GET", "/health").json() == {"status": "ok", "sip": None}
    state = api.admin("GET", "/state").json()
    assert state["projectId"] == "p1", "default: the first project"
    keys = {"projectId", "trunks", "endpoints", "accessControlLists", "ipRanges", "trunkAccessControlLists",
            "credentialLists", "credentials", "trunkCredentialLists", "countryPermissions", "callBlockingRules",
            "phoneNumbers", "callCount"}
    assert keys == set(state)
    assert api.admin("GET", "/state", params={"project": "nope"}).status_code == 404


def test_unknown_admin_operations_answer_404(api):
    for method, path in [("GET", "/nothing"), ("PUT", "/health"), ("GET", "/trunks"), ("GET", ""), ("POST", "/state")]:
        r = api.admin(method, path)
        assert r.status_code == 404 and "no admin operation" in r.json()["error"], (method, path)
    assert api.admin("GET", "/health/").json() == {"status": "ok", "sip": None}
    assert api.get("/health").status_code == 404, "admin routes are not served under the project paths"


def test_request_log(api):
    api.admin("DELETE", "/requests")
    api.get("/trunks", params={"size": 5})
    api.post("/trunks", {"name": "x", "hostName": "logged"})
    requests.get(api.url + "/v1/projects/p1/trunks", timeout=5)
    log = api.admin("GET", "/requests").json()["requests"]
    assert [(e["method"], e["status"], e["auth"]) for e in log] == [("GET", 200, "basic"), ("POST", 201, "basic"),
                                                                     ("GET", 401, "none")]
    assert log[0]["query"] == "size=5" and log[0]["path"] == "/v1/projects/p1/trunks" and log[0]["project"] == "p1"
    assert set(log[0]) == {"seq", "time", "method", "path", "query", "status", "auth", "project", "duration_ms"}
    assert "s1" not in str(log) and "logged" not in str(log)
    since = api.admin("GET", "/requests", params={"since": log[1]["seq"]}).json()["requests"]
    assert [e["seq"] for e in since] == [log[2]["seq"]]


def test_reset_one_project(api, other):
    make_trunk(api, "keep-p1")
    other.post("/trunks", {"name": "x", "hostName": "drop-p2"})
    assert api.admin("POST", "/reset", {"project": "p2"}).status_code == 200
    assert len(api.state("p1")["trunks"]) == 1 and api.state("p2")["trunks"] == []


def test_time_offset(api):
    api.admin("POST", "/seed", {"project": "p1", "calls": 50, "seed": 9})
    assert api.admin("POST", "/time", {"offset_seconds": 86400 * 365}).status_code == 200
    try:
        assert api.get("/calls").json()["totalItems"] == 0
    finally:
        api.admin("POST", "/time", {"offset_seconds": 0})


def test_restart_with_file_db(tmp_path):
    db = str(tmp_path / "est.sqlite")
    args = ("--db", db, "--project-id", "pf", "--key-id", "kf", "--key-secret", "sf")
    emu = Emulator(*args)
    s = requests.Session()
    s.auth = ("kf", "sf")
    base = emu.url + "/v1/projects/pf"
    t = s.post(base + "/trunks", json={"name": "x", "hostName": "persisted"}).json()
    s.put(base + "/countryPermissions/GB", json={"enabled": True})
    assert emu.stop() == 0
    emu = Emulator(*args)
    try:
        base = emu.url + "/v1/projects/pf"
        assert s.get(base + f"/trunks/{t['id']}").json() == t
        assert s.get(base + "/countryPermissions/GB").json()["enabled"] is True
    finally:
        assert emu.stop() == 0


def test_concurrent_writers(api):
    def create(i):
        return requests.post(api.url + "/v1/projects/p1/trunks", json={"name": f"t{i}", "hostName": f"race{i % 10}"},
                             auth=("k1", "s1"), timeout=30).status_code

    with cf.ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(create, range(120)))
    assert codes.count(201) == 10 and codes.count(409) == 110
    assert len(api.state()["trunks"]) == 10


def test_state_never_has_passwords(api):
    cl = make_cl(api, creds=[{"username": "u", "password": "Super-Secret-Pw-9"}])
    make_acl(api)
    t = make_trunk(api)
    api.post(f"/trunks/{t['id']}/credentialLists", {"credentialListIds": [cl["id"]]})
    assert "Super-Secret-Pw-9" not in api.admin("GET", "/state").text


def test_seed_adds_named_numbers_once(api):
    body = {"phone_numbers": ["+14155550100", "+14155550101"], "numbers": 0, "calls": 0}
    assert api.admin("POST", "/seed", body).json()["numbers"] == 2
    assert api.admin("POST", "/seed", body).json()["numbers"] == 0
    listed = api.get("/phoneNumbers").json()["phoneNumbers"]
    assert sorted(n["phoneNumber"] for n in listed if n["phoneNumber"].startswith("+1415555010")) == body["phone_numbers"]


def test_seed_rejects_numbers_that_are_not_e164(api):
    assert api.admin("POST", "/seed", {"phone_numbers": ["4155550100"]}).status_code == 400


def test_state_lists_calls_only_when_asked(api):
    api.admin("POST", "/seed", {"calls": 25, "seed": 3})
    assert "calls" not in api.state()
    calls = api.admin("GET", "/state", params={"project": api.project, "calls": "1"}).json()["calls"]
    assert len(calls) == 25
    assert {"callId", "createTime", "fromCountryCode", "toCountryCode", "emergency"} <= set(calls[0])


def test_added_calls_are_listed_as_given_with_create_time_now(api):
    trunk = make_trunk(api, "calls-now")
    body = {"calls": [
        {"trunk": "calls-now", "callResult": "BUSY", "to": "+46812345678"},
        {"trunkId": trunk["id"], "direction": "inbound", "from": "+14155550123", "durationSeconds": 95},
        {"trunk": trunk["id"], "createTime": "2024-02-01T08:00:00Z", "answerTime": "2024-02-01T08:00:09Z",
         "endTime": "2024-02-01T08:03:10Z"},
    ]}
    added = api.admin("POST", "/calls", body).json()["calls"]
    busy, inbound, old = added
    assert (busy["callResult"], busy["direction"], busy["to"], busy["durationSeconds"], busy["billingDurationSeconds"],
            busy["price"]) == ("BUSY", "OUTBOUND", "+46812345678", 0, 0, {"currencyCode": "USD", "amount": "0.0000"})
    assert "answerTime" not in busy
    assert (inbound["direction"], inbound["callResult"], inbound["durationSeconds"]) == ("INBOUND", "COMPLETED", 95)
    assert (inbound["billingDurationSeconds"], inbound["price"]["amount"]) == (120, "0.0090")  # 92 s talk, 2 min at 0.0045
    assert (old["createTime"], old["answerTime"], old["endTime"], old["durationSeconds"], old["billingDurationSeconds"]) == (
        "2024-02-01T08:00:00Z", "2024-02-01T08:00:09Z", "2024-02-01T08:03:10Z", 181, 240)
    assert {call["trunkId"] for call in added} == {trunk["id"]}
    # both made "now" (the same instant), newest first = the later added first; the 2024 call is
    # outside the default window of the last 24 h
    assert api.get("/calls").json()["calls"] == [inbound, busy]
    assert api.get("/calls", params={"createTime": "2024-02-01"}).json()["calls"] == [old]


def test_added_calls_are_checked_all_or_none(api):
    make_trunk(api, "calls-check")
    count = api.state()["callCount"]
    for calls, problem in [
        ([{"trunk": "calls-check"}, {"trunk": "no-such-trunk"}], "calls[1].trunk"),
        ([{"callResult": "BUSY"}], "calls[0]: give trunk"),
        ([{"trunk": "calls-check", "callResult": "LOST"}], "calls[0].callResult"),
        ([{"trunk": "calls-check", "callResult": "BUSY", "answerTime": "2024-02-01T08:00:09Z"}], "never answered"),
        ([{"trunk": "calls-check", "createTime": "2024-02-01T08:00:00Z", "endTime": "2024-02-01T07:00:00Z"}], "times"),
        ([{"trunk": "calls-check", "to": "0701234567"}], "calls[0].to"),
        ([{"trunk": "calls-check", "createTime": "yesterday"}], "calls[0].createTime"),
        ([{"trunk": "calls-check", "price": "1"}], "unknown fields price"),
        ([], "a list of 1 to"),
    ]:
        response = api.admin("POST", "/calls", {"calls": calls})
        assert response.status_code == 400 and problem in response.json()["error"], (calls, response.text)
    assert api.state()["callCount"] == count
    assert api.admin("POST", "/calls", {"project": "nope", "calls": [{"trunkId": "x"}]}).status_code == 404
