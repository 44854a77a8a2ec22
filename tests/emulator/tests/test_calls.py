"""GET /calls filters, CSV export and PCAP download."""

import csv
import datetime as dt
import io
import struct

import pytest

from conftest import violations

WIDE = {"createTime>": "=2000-01-01"}


@pytest.fixture()
def calls(api):
    r = api.admin("POST", "/seed", {"project": "p1", "numbers": 10, "calls": 600, "seed": 7})
    assert r.json()["calls"] == 600
    out = []
    for page in (1, 2):
        out += api.get("/calls", params={**WIDE, "size": 500, "page": page}).json()["calls"]
    assert len(out) == 600
    return out


def _get(api, **params):
    return api.get("/calls", params={"size": 1000, **params}).json()


def test_call_shape(calls):
    results = {c["callResult"] for c in calls}
    assert results == {"COMPLETED", "NO_ANSWER", "CANCEL", "BUSY", "FAILED"}
    assert {c["direction"] for c in calls} == {"INBOUND", "OUTBOUND"}
    for c in calls:
        assert c["trunkId"] and c["pcapId"] and c["projectId"] == "p1"
        assert len(c["price"]["amount"].split(".")[1]) == 4 and isinstance(c["price"]["amount"], str)
        if c["callResult"] == "COMPLETED":
            assert c["createTime"] < c["answerTime"] < c["endTime"]
            if c["direction"] == "INBOUND":
                ring = (dt.datetime.fromisoformat(c["answerTime"][:-1]) - dt.datetime.fromisoformat(c["createTime"][:-1])).seconds
                talk = (dt.datetime.fromisoformat(c["endTime"][:-1]) - dt.datetime.fromisoformat(c["answerTime"][:-1])).seconds
                assert c["durationSeconds"] == ring + talk


def test_default_window_is_24h(api, calls):
    recent = _get(api)
    cutoff = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M:%SZ")
    expected = [c for c in calls if c["createTime"] >= cutoff]
    assert abs(recent["totalItems"] - len(expected)) <= 1 and recent["pageSize"] == 1000


def test_default_size_and_max(api, calls):
    assert api.get("/calls", params=WIDE).json()["pageSize"] == 100
    assert violations(api.get("/calls", params={"size": 1001})) == ["size"]
    assert api.get("/calls", params={**WIDE, "pageSize": 1000}).json()["pageSize"] == 1000


def test_simple_filters(api, calls):
    c = calls[0]
    assert all(x["trunkId"] == c["trunkId"] for x in _get(api, trunkId=c["trunkId"], **WIDE)["calls"])
    prefix = c["from"][:5]
    got = _get(api, **{"from": prefix}, **WIDE)
    assert got["totalItems"] == sum(x["from"].startswith(prefix) for x in calls)
    got = _get(api, to=c["to"][1:6], **WIDE)
    assert got["totalItems"] == sum(x["to"].startswith(c["to"][:6]) for x in calls)
    got = _get(api, callResult="busy,FAILED", **WIDE)
    assert got["totalItems"] == sum(x["callResult"] in ("BUSY", "FAILED") for x in calls)
    both = api.get("/calls?callResult=BUSY&callResult=FAILED&size=1000&createTime%3E=%3D2000-01").json()
    assert both["totalItems"] == got["totalItems"]
    got = _get(api, direction="inbound", **WIDE)
    assert got["totalItems"] == sum(x["direction"] == "INBOUND" for x in calls)
    assert _get(api, direction="INBOUND,OUTBOUND", **WIDE)["totalItems"] == 600
    assert violations(api.get("/calls", params={"callResult": "WEIRD"})) == ["callResult"]
    assert violations(api.get("/calls", params={"direction": "UP"})) == ["direction"]


def test_country_and_emergency(api, calls):
    us = _get(api, fromCountryCode="us", **WIDE)
    assert us["totalItems"] > 0 and all(x["from"].startswith("+1") for x in us["calls"])
    gb = _get(api, toCountryCode="GB", **WIDE)
    assert all(x["to"].startswith("+44") for x in gb["calls"])
    emergency = _get(api, emergencyOnly="true", **WIDE)
    everything = _get(api, emergencyOnly="false", **WIDE)
    assert 0 < emergency["totalItems"] < 600
    assert everything["totalItems"] == 600  # the current document: 'false' includes all calls
    assert all(x["to"] == "+1911" for x in emergency["calls"])
    assert violations(api.get("/calls", params={"emergencyOnly": "maybe"})) == ["emergencyOnly"]
    assert violations(api.get("/calls", params={"fromCountryCode": "USA"})) == ["fromCountryCode"]


def test_time_filters(api, calls):
    day = calls[len(calls) // 2]["createTime"][:10]
    expected = sum(x["createTime"].startswith(day) for x in calls)
    assert _get(api, createTime=day)["totalItems"] == expected
    hour = calls[10]["createTime"][:13]
    assert _get(api, createTime=hour)["totalItems"] == sum(x["createTime"].startswith(hour) for x in calls)
    month = calls[0]["createTime"][:7]
    assert _get(api, createTime=month)["totalItems"] == sum(x["createTime"].startswith(month) for x in calls)
    year = calls[0]["createTime"][:4]
    assert _get(api, createTime=year)["totalItems"] == sum(x["createTime"].startswith(year) for x in calls)
    lo, hi = sorted(x["createTime"] for x in calls)[100], sorted(x["createTime"] for x in calls)[400]
    expected = sum(lo <= x["createTime"] <= hi for x in calls)
    got = api.get("/calls", params={"createTime>": "=" + lo, "createTime<": "=" + hi, "size": 1000}).json()
    assert got["totalItems"] == expected
    raw = api.get(f"/calls?createTime>={lo}&createTime<={hi}&size=1000").json()
    assert raw["totalItems"] == expected
    startend = _get(api, createTimeStart=lo, createTimeEnd=hi)
    assert startend["totalItems"] == expected
    strict = api.get(f"/calls?createTime>{lo}&createTime<{hi}&size=1000").json()
    assert strict["totalItems"] == sum(lo < x["createTime"] < hi for x in calls)
    assert violations(api.get("/calls", params={"createTime": "yesterday"})) == ["createTime"]
    assert violations(api.get("/calls", params={"createTime": "2024-13"})) == ["createTime"]
    assert _get(api, createTime="2001-02-01T10:00:00+02:00")["totalItems"] == 0


def test_ordering_and_pages(api, calls):
    ts = [c["createTime"] for c in calls]
    assert ts == sorted(ts, reverse=True)
    assert api.get("/calls", params={**WIDE, "page": 7}).json()["calls"] == []


def test_export(api, calls):
    r = api.get("/calls/export", params={**WIDE, "callResult": "COMPLETED"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == sum(x["callResult"] == "COMPLETED" for x in calls)
    assert {"callId", "from", "to", "trunkId", "price"} <= set(rows[0])
    empty = api.get("/calls/export", params={"createTime": "2001"})
    assert empty.text.count("\n") == 1


def _export_page(api, **params):
    r = api.get("/calls/export", params={**WIDE, **params})
    assert r.status_code == 200, r.text
    return list(csv.DictReader(io.StringIO(r.text)))


def test_export_pages_like_the_other_lists(api, calls):
    """The current document gives the export `page` and `size` (default 500): 600 calls are a full
    page of 500 and a page of 100, each with the header, in the order of GET /calls."""
    first, second = _export_page(api), _export_page(api, page=2)
    assert (len(first), len(second)) == (500, 100)
    assert [row["callId"] for row in first + second] == [c["callId"] for c in calls]
    assert _export_page(api, page=3) == []
    small = [_export_page(api, size=250, page=page) for page in (1, 2, 3)]
    assert [len(rows) for rows in small] == [250, 250, 100]
    assert violations(api.get("/calls/export", params={"size": 501})) == ["size"]
    assert violations(api.get("/calls/export", params={"page": 0})) == ["page"]


def test_pcap(api, calls):
    recent = [c for c in calls if c["createTime"] >= (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=9)).strftime("%Y-%m-%dT%H")]
    old = [c for c in calls if c["createTime"] <= (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=11)).strftime("%Y-%m-%dT%H")]
    c = recent[0]
    r = api.get(f"/calls/records/{c['pcapId']}/pcap", params={"direction": "INBOUND"})
    assert r.status_code == 200
    magic, major, minor = struct.unpack("<IHH", r.content[:8])
    assert (magic, major, minor) == (0xA1B2C3D4, 2, 4)
    assert api.get(f"/calls/records/{c['pcapId']}/pcap", params={"direction": "INBOUND"}).content == r.content
    assert api.get(f"/calls/records/{c['pcapId']}/pcap", params={"direction": "OUTBOUND"}).content != r.content
    gone = api.get(f"/calls/records/{old[0]['pcapId']}/pcap")
    assert gone.status_code == 404 and "retention" in gone.json()["message"]
    assert api.get("/calls/records/nope/pcap").status_code == 404
    assert violations(api.get(f"/calls/records/{c['pcapId']}/pcap", params={"direction": "SIDEWAYS"})) == ["direction"]


def test_seed_is_deterministic(api):
    api.admin("POST", "/seed", {"project": "p1", "numbers": 5, "seed": 11})
    first = [n["phoneNumber"] for n in api.get("/phoneNumbers").json()["phoneNumbers"]]
    api.admin("POST", "/reset")
    api.admin("POST", "/seed", {"project": "p1", "numbers": 5, "seed": 11})
    assert [n["phoneNumber"] for n in api.get("/phoneNumbers").json()["phoneNumbers"]] == first


def test_download_media_types_match_openapi_document(api, calls):
    """The OpenAPI document declares application/csv for the export and application/octet-stream for
    a PCAP; the emulator answered text/csv and application/vnd.tcpdump.pcap (found by validating
    every operation's reply against the document)."""
    export = api.get("/calls/export", params=WIDE)
    assert export.status_code == 200
    assert export.headers["content-type"].split(";")[0].strip() == "application/csv"
    assert export.text.startswith("callId,")
    recent = max(calls, key=lambda c: c["createTime"])
    pcap = api.get(f"/calls/records/{recent['pcapId']}/pcap")
    assert pcap.status_code == 200
    assert pcap.headers["content-type"] == "application/octet-stream"
    assert pcap.content[:4] == bytes.fromhex("d4c3b2a1")
