"""Pagination edges and phone numbers."""

import pytest

from conftest import make_acl


def _rules(api, n):
    for i in range(n):
        assert api.post("/callBlockingRules", {"name": f"r{i}", "direction": "INBOUND"}).ok


def test_empty_list(api):
    assert api.get("/callBlockingRules").json() == {"callBlockingRules": [], "totalItems": 0, "pageNumber": 1, "pageSize": 500}
    assert api.get("/trunks", params={"page": 3}).json()["trunks"] == []


@pytest.mark.parametrize("count", [500, 501])
def test_500_and_501(api, count):
    _rules(api, count)
    first = api.get("/callBlockingRules").json()
    assert len(first["callBlockingRules"]) == 500 and first["totalItems"] == count
    second = api.get("/callBlockingRules", params={"page": 2}).json()
    assert len(second["callBlockingRules"]) == count - 500 and second["pageNumber"] == 2


def test_both_size_spellings(api):
    _rules(api, 7)
    a = api.get("/callBlockingRules", params={"size": 3, "page": 3}).json()
    b = api.get("/callBlockingRules", params={"pageSize": 3, "page": 3}).json()
    assert a == b and a["pageSize"] == 3 and [r["name"] for r in a["callBlockingRules"]] == ["r6"]
    ids = []
    for page in (1, 2, 3):
        ids += [r["id"] for r in api.get("/callBlockingRules", params={"size": 3, "page": page}).json()["callBlockingRules"]]
    assert len(set(ids)) == 7


def test_ip_range_and_acl_pages(api):
    acl = make_acl(api, ranges=[{"ipAddress": f"192.0.2.{i}"} for i in range(5)])
    r = api.get(f"/accessControlLists/{acl['id']}/ipRanges", params={"size": 2, "page": 3}).json()
    assert len(r["ipRanges"]) == 1 and r["totalItems"] == 5


def test_phone_numbers(api):
    api.admin("POST", "/seed", {"project": "p1", "numbers": 12, "seed": 3})
    body = api.get("/phoneNumbers").json()
    assert body["totalItems"] == 12 and all(n["sipTrunkId"] == "" for n in body["phoneNumbers"])
    assert len({n["countryCode"] for n in body["phoneNumbers"]}) >= 2
    numbers = [n["phoneNumber"] for n in api.get("/phoneNumbers", params={"sort": "phoneNumber,desc"}).json()["phoneNumbers"]]
    assert numbers == sorted(numbers, reverse=True)
    one = body["phoneNumbers"][0]
    assert api.get("/phoneNumbers/" + one["phoneNumber"].replace("+", "%2B")).json() == one
    assert api.get("/phoneNumbers/%2B99999999999").status_code == 404
    part = one["phoneNumber"][1:6]
    assert one in api.get("/phoneNumbers", params={"filter": part}).json()["phoneNumbers"]
    assert api.get("/phoneNumbers", params={"sipTrunkId": "none"}).json()["totalItems"] == 0
