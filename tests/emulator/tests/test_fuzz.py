"""Property-based fuzz: no operation answers 5xx for any body or query (no faults set)."""

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import KEY, PROJECT, SECRET

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=12,
)
FIELDS = ["name", "hostName", "enableCallerName", "enableCallForward", "callForwardNumber", "address", "port",
          "priority", "transport", "enabled", "isRegistered", "credentialUsername", "ipRanges", "ipAddress",
          "range", "description", "credentials", "password", "accessControlListIds", "credentialListIds",
          "direction", "callerCountry", "calleeCountry", "callerMatch", "calleeMatch", "countryPermissions",
          "projectIds", "voiceConfiguration", "displayName", "callbackUrl", "smsConfiguration", "servicePlanId",
          "campaignId", "sipTrunkId", "phoneNumber", "type", "trunkId"]
BODIES = JSON | st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=8)
SEG = st.sampled_from(["{t}", "{a}", "{c}", "x", "US", "%2B14155550100", "{n}"])
PATHS = [
    "/trunks", "/trunks/{s}", "/trunks/{s}/endpoints", "/trunks/{s}/endpoints/{s}", "/trunks/{s}/accessControlLists",
    "/trunks/{s}/accessControlLists/{s}", "/trunks/{s}/credentialLists", "/trunks/{s}/credentialLists/{s}",
    "/accessControlLists", "/accessControlLists/{s}", "/accessControlLists/{s}/trunks", "/accessControlLists/{s}/ipRanges",
    "/accessControlLists/{s}/ipRanges/{s}", "/credentialLists", "/credentialLists/{s}", "/credentialLists/{s}/trunks",
    "/credentialLists/{s}/credentials/{s}", "/countryPermissions", "/countryPermissions/{s}", "/callBlockingRules",
    "/callBlockingRules/{s}", "/phoneNumbers", "/phoneNumbers/{s}", "/calls", "/calls/export",
    "/calls/records/{s}/pcap", "/addProjects", "/activeNumbers", "/activeNumbers/{s}",
]
QUERY_KEYS = ["page", "size", "pageSize", "domain", "sort", "filter", "sipTrunkId", "from", "to", "trunkId",
              "callResult", "direction", "createTime", "createTime>", "createTime<", "createTimeStart",
              "createTimeEnd", "fromCountryCode", "toCountryCode", "emergencyOnly", "pageToken", "regionCode", "type",
              "numberPattern.pattern", "numberPattern.searchPattern", "capability", "capabilities", "orderBy"]
QUERY = st.lists(st.tuples(st.sampled_from(QUERY_KEYS), st.text(max_size=12)), max_size=4)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(method=st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"]), path=st.sampled_from(PATHS),
       segs=st.lists(SEG, min_size=2, max_size=2), body=BODIES, query=QUERY, raw=st.booleans())
def test_no_5xx(api_fuzz, method, path, segs, body, query, raw):
    ids = api_fuzz
    for s in segs:
        path = path.replace("{s}", s.format(**ids), 1)
    kw = {"data": b"\x00{bad" if raw else None} if raw else {"json": body}
    r = requests.request(method, f"{ids['url']}/v1/projects/{PROJECT}{path}", params=query, auth=(KEY, SECRET),
                         timeout=30, **kw)
    assert r.status_code < 500, (method, path, body, query, r.text)


import pytest  # noqa: E402


@pytest.fixture(scope="module")
def api_fuzz(emulator):
    base = f"{emulator.url}/v1/projects/{PROJECT}"
    requests.post(emulator.url + "/_emulator/reset", timeout=10)
    requests.delete(emulator.url + "/_emulator/faults", timeout=10)
    requests.post(emulator.url + "/_emulator/seed", json={"project": PROJECT, "numbers": 3, "calls": 20, "seed": 1}, timeout=10)
    auth = (KEY, SECRET)
    t = requests.post(base + "/trunks", json={"name": "f", "hostName": "fuzz-trunk"}, auth=auth, timeout=10).json()
    a = requests.post(base + "/accessControlLists", json={"name": "f", "enabled": True, "ipRanges": [{"ipAddress": "192.0.2.1"}]},
                      auth=auth, timeout=10).json()
    c = requests.post(base + "/credentialLists", json={"name": "f", "credentials": [{"username": "u", "password": "Fuzz-Secret-01"}]},
                      auth=auth, timeout=10).json()
    n = requests.get(base + "/phoneNumbers", auth=auth, timeout=10).json()["phoneNumbers"][0]["phoneNumber"]
    return {"url": emulator.url, "t": t["id"], "a": a["id"], "c": c["id"], "n": n.replace("+", "%2B")}
