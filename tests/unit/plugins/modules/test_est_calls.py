# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""est_call_info, est_call_export and est_call_pcap over the real client against a mocked HTTP API."""

from __future__ import annotations

import json
from unittest.mock import patch
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.sinch.est.plugins.module_utils._client import client_from_values
from ansible_collections.sinch.est.plugins.modules import est_call_export, est_call_info, est_call_pcap
from ansible_collections.sinch.est.tests.unit.harness import run

API = "https://est.test"
BASE = API + "/v1/projects/p1"
PCAP_MAGIC = b"\xd4\xc3\xb2\xa1"


def make_call(number):
    return {"callId": f"call-{number:05d}", "from": "+14155550100", "to": "+46812345678", "direction": "OUTBOUND",
            "createTime": "2024-02-01T08:00:00Z", "callResult": "COMPLETED", "trunkId": "t1", "pcapId": f"pcap-{number}"}


class CallsApi:
    """GET /calls over `count` calls, honouring page and size; remembers every query."""

    def __init__(self, mock, count):
        self.calls = [make_call(number) for number in range(count)]
        self.queries = []
        mock.add_callback(responses.GET, BASE + "/calls", callback=self.page)

    def page(self, request):
        query = dict(parse_qsl(urlsplit(request.url).query))
        self.queries.append(query)
        page, size = int(query["page"]), int(query["size"])
        items = self.calls[(page - 1) * size:page * size]
        return 200, {}, json.dumps({"calls": items, "totalItems": len(self.calls), "pageNumber": page, "pageSize": size})


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as requests_mock:
        yield requests_mock


@pytest.fixture
def client():
    return client_from_values({"project_id": "p1", "access_token": "token", "api_url": API})


def test_max_items_100_costs_one_request_of_size_100(mock, client):
    api = CallsApi(mock, 2500)
    result = run(est_call_info.main, client, {"max_items": 100, "created_after": "-1d"})
    assert len(result["calls"]) == 100
    assert [(query["page"], query["size"]) for query in api.queries] == [("1", "100")]
    assert result["calls"][0]["call_id"] == "call-00000" and result["calls"][0]["pcap_id"] == "pcap-0"
    assert result["changed"] is False


def test_max_items_0_reads_every_page_at_the_maximum_size(mock, client):
    api = CallsApi(mock, 2500)
    result = run(est_call_info.main, client, {"max_items": 0})
    assert len(result["calls"]) == 2500
    assert len({call["call_id"] for call in result["calls"]}) == 2500
    assert [(query["page"], query["size"]) for query in api.queries] == [("1", "1000"), ("2", "1000"), ("3", "1000")]


def test_max_items_past_one_page_spreads_the_page_size(mock, client):
    api = CallsApi(mock, 2500)
    result = run(est_call_info.main, client, {"max_items": 1500})
    assert len(result["calls"]) == 1500
    assert [(query["page"], query["size"]) for query in api.queries] == [("1", "750"), ("2", "750")]


def test_filters_reach_the_query_under_the_api_names(mock, client):
    api = CallsApi(mock, 3)
    mock.add(responses.GET, BASE + "/trunks/acme-prod", status=404, json={"code": 404, "status": "NOT_FOUND", "message": "nope"})
    mock.add(responses.GET, BASE + "/trunks", json={"trunks": [{"id": "t1", "hostName": "acme-prod"}], "totalItems": 1})
    run(est_call_info.main, client, {"trunk": "acme-prod", "call_result": "busy,failed", "direction": ["Inbound"],
                                     "from_number": "+1415", "created_after": "2024-02-01", "created_before": "2024-02-02T10:00:00+02:00"})
    assert api.queries == [{"trunkId": "t1", "callResult": "BUSY,FAILED", "direction": "INBOUND", "from": "+1415",
                            "createTime>": "2024-02-01", "createTime<": "2024-02-02T08:00:00Z", "page": "1", "size": "1000"}]


def test_range_keys_are_encoded_on_the_wire_as_the_api_reads_them(mock, client):
    CallsApi(mock, 1)
    run(est_call_info.main, client, {"created_after": "2024-02-01"})
    assert "createTime%3E=2024-02-01" in mock.calls[0].request.url


DELETED_TRUNK_ID = "01HZX3V4Q9C0R8M6S7T5W2Y1DD"


def test_a_trunk_id_is_sent_as_it_is_even_when_the_trunk_is_gone(mock, client):
    api = CallsApi(mock, 0)
    result = run(est_call_info.main, client, {"trunk": DELETED_TRUNK_ID})
    assert result["calls"] == [] and api.queries[0]["trunkId"] == DELETED_TRUNK_ID
    assert not [call for call in mock.calls if "/trunks" in call.request.url]


def test_an_unknown_trunk_host_name_fails_listing_the_project_trunks(mock, client):
    CallsApi(mock, 0)
    mock.add(responses.GET, BASE + "/trunks", json={"trunks": [{"id": "t1", "hostName": "acme-prod"}], "totalItems": 1})
    result = run(est_call_info.main, client, {"trunk": "acme-prdo"})
    assert result["failed"] is True
    assert "no trunk with host name 'acme-prdo'" in result["msg"] and "acme-prod" in result["msg"]
    assert not [call for call in mock.calls if "/calls" in call.request.url]


def test_bad_filters_fail_before_any_request(mock, client):
    result = run(est_call_info.main, client, {"direction": "up", "created_after": "tomorrow", "max_items": -1})
    assert result["failed"] is True
    assert "direction: 'up'" in result["msg"] and "created_after: 'tomorrow'" in result["msg"] and "max_items: -1" in result["msg"]
    assert len(mock.calls) == 0


def test_a_call_seen_twice_across_a_page_border_is_returned_once(mock, client):
    api = CallsApi(mock, 4)
    api.calls.insert(2, dict(api.calls[1]))  # a new call shifted the list between two page reads
    result = run(est_call_info.main, client, {"max_items": 0})
    assert [call["call_id"] for call in result["calls"]] == ["call-00000", "call-00001", "call-00002", "call-00003"]


CSV = b"callId,createTime,callResult\nc1,2024-02-01T08:00:00Z,COMPLETED\nc2,2024-02-01T08:01:00Z,\"BUSY\nline\"\n"


def test_export_writes_dest_and_counts_data_rows(mock, client, tmp_path):
    mock.add(responses.GET, BASE + "/calls/export", body=CSV, content_type="text/csv")
    dest = tmp_path / "calls.csv"
    result = run(est_call_export.main, client, {"dest": str(dest), "call_result": "busy", "mode": "0600"})
    assert (result["changed"], result["rows"], result["dest"]) == (True, 2, str(dest))
    assert dest.read_bytes() == CSV and oct(dest.stat().st_mode & 0o777) == "0o600"
    assert "callResult=BUSY" in mock.calls[0].request.url and "page=1" in mock.calls[0].request.url
    assert len(mock.calls) == 1, "a short first page is the whole export"


def test_export_of_identical_content_is_not_a_change(mock, client, tmp_path):
    mock.add(responses.GET, BASE + "/calls/export", body=CSV)
    dest = tmp_path / "calls.csv"
    dest.write_bytes(CSV)
    assert run(est_call_export.main, client, {"dest": str(dest), "force": True})["changed"] is False


def test_export_keeps_a_different_dest_without_force_and_warns(mock, client, tmp_path):
    mock.add(responses.GET, BASE + "/calls/export", body=CSV)
    dest = tmp_path / "calls.csv"
    dest.write_bytes(b"callId\nold\n")
    with patch.object(AnsibleModule, "warn") as warn:
        result = run(est_call_export.main, client, {"dest": str(dest)})
    assert (result["changed"], result["rows"]) == (False, 1)
    assert dest.read_bytes() == b"callId\nold\n"
    assert "force=true" in warn.call_args[0][0]


def test_export_replaces_a_different_dest_with_force(mock, client, tmp_path):
    mock.add(responses.GET, BASE + "/calls/export", body=CSV)
    dest = tmp_path / "calls.csv"
    dest.write_bytes(b"callId\nold\n")
    result = run(est_call_export.main, client, {"dest": str(dest), "force": True})
    assert (result["changed"], result["rows"]) == (True, 2) and dest.read_bytes() == CSV


def test_export_in_check_mode_predicts_and_writes_nothing(mock, client, tmp_path):
    mock.add(responses.GET, BASE + "/calls/export", body=CSV)
    dest = tmp_path / "calls.csv"
    result = run(est_call_export.main, client, {"dest": str(dest)}, check_mode=True)
    assert (result["changed"], result["rows"]) == (True, 2) and not dest.exists()
    assert list(tmp_path.iterdir()) == []


class ExportApi:
    """GET /calls/export over `count` rows: each page starts with the header; `paged=False` answers
    every row whatever the page; `fail_page` answers that page 400."""

    HEADER = "callId,createTime,fromCountryCode"

    def __init__(self, mock, count, paged=True, fail_page=None, header_of=None):
        self.rows = [f"c{number:05d},2024-02-01T08:00:00Z,US" for number in range(count)]
        self.paged, self.fail_page, self.header_of = paged, fail_page, header_of or (lambda page: self.HEADER)
        self.pages = []
        mock.add_callback(responses.GET, BASE + "/calls/export", callback=self.page)

    def page(self, request):
        query = dict(parse_qsl(urlsplit(request.url).query))
        page, size = int(query["page"]), int(query["size"])
        self.pages.append((page, size))
        if page == self.fail_page:
            return 400, {}, json.dumps({"code": 400, "status": "INVALID_ARGUMENT", "message": "page refused"})
        rows = self.rows[(page - 1) * size:page * size] if self.paged else self.rows
        return 200, {}, "".join(line + "\n" for line in [self.header_of(page)] + rows)


def expected_csv(count):
    return "".join(line + "\n" for line in [ExportApi.HEADER] + ExportApi(responses.RequestsMock(), count).rows).encode()


@pytest.mark.parametrize("count, pages", [(1200, 3), (1000, 3), (500, 2), (499, 1), (0, 1)])
def test_export_reads_every_page_with_the_header_once(mock, client, tmp_path, count, pages):
    api = ExportApi(mock, count)
    dest = tmp_path / "calls.csv"
    result = run(est_call_export.main, client, {"dest": str(dest), "created_after": "-30d"})
    assert (result["changed"], result["rows"]) == (True, count)
    assert dest.read_bytes() == expected_csv(count)
    assert api.pages == [(page, 500) for page in range(1, pages + 1)]


def test_export_from_a_server_that_does_not_page_is_read_once(mock, client, tmp_path):
    api = ExportApi(mock, 1200, paged=False)
    dest = tmp_path / "calls.csv"
    assert run(est_call_export.main, client, {"dest": str(dest)})["rows"] == 1200
    assert api.pages == [(1, 500)] and dest.read_bytes() == expected_csv(1200)


def test_export_that_repeats_a_full_page_stops_without_duplicates(mock, client, tmp_path):
    api = ExportApi(mock, 500, paged=False)
    dest = tmp_path / "calls.csv"
    assert run(est_call_export.main, client, {"dest": str(dest)})["rows"] == 500
    assert api.pages == [(1, 500), (2, 500)]


def test_rows_pushed_onto_the_next_page_are_written_once(mock, client, tmp_path):
    class Shifting(ExportApi):
        def page(self, request):  # a new call arrives after page 1: page 2 starts with page 1's last row
            if "page=2" in request.url:
                self.rows.insert(0, "c99999,2024-02-01T09:00:00Z,US")
            return super().page(request)
    Shifting(mock, 700)
    dest = tmp_path / "calls.csv"
    result = run(est_call_export.main, client, {"dest": str(dest)})
    lines = dest.read_text().splitlines()
    assert result["rows"] == 700 and len(lines) == 701 and len(set(lines)) == 701


def test_a_failed_page_fails_the_task_and_leaves_dest_as_it_was(mock, client, tmp_path):
    ExportApi(mock, 1200, fail_page=2)
    dest = tmp_path / "calls.csv"
    dest.write_bytes(b"callId\nold\n")
    result = run(est_call_export.main, client, {"dest": str(dest), "force": True})
    assert result["failed"] is True and "page 2" in result["msg"] and "400" in result["msg"]
    assert dest.read_bytes() == b"callId\nold\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["calls.csv"]


def test_a_header_that_changes_between_pages_fails(mock, client, tmp_path):
    ExportApi(mock, 1200, header_of=lambda page: ExportApi.HEADER if page == 1 else "callId,other")
    dest = tmp_path / "calls.csv"
    result = run(est_call_export.main, client, {"dest": str(dest)})
    assert result["failed"] is True and "another header" in result["msg"] and not dest.exists()


def test_export_into_a_missing_directory_fails_before_any_request(mock, client, tmp_path):
    result = run(est_call_export.main, client, {"dest": str(tmp_path / "nope" / "calls.csv")})
    assert result["failed"] is True and "does not exist" in result["msg"] and len(mock.calls) == 0


def test_pcap_by_id_writes_the_capture(mock, client, tmp_path):
    body = PCAP_MAGIC + b"\x00" * 60
    mock.add(responses.GET, BASE + "/calls/records/pcap-7/pcap", body=body)
    dest = tmp_path / "call.pcap"
    result = run(est_call_pcap.main, client, {"pcap_id": "pcap-7", "dest": str(dest)})
    assert (result["changed"], result["size"], result["pcap_id"]) == (True, 64, "pcap-7")
    assert dest.read_bytes() == body
    assert "direction" not in mock.calls[0].request.url
    assert run(est_call_pcap.main, client, {"pcap_id": "pcap-7", "dest": str(dest)})["changed"] is False


def test_pcap_by_call_id_looks_in_the_minute_its_ulid_names(mock, client, tmp_path):
    call_id = "01HNHTX300ABCDEFGHJKMNPQRS"  # 2024-02-01T08:00:00Z
    mock.add(responses.GET, BASE + "/calls", json={"calls": [dict(make_call(1), callId=call_id, direction="INBOUND")], "totalItems": 1})
    mock.add(responses.GET, BASE + "/calls/records/pcap-1/pcap", body=PCAP_MAGIC)
    result = run(est_call_pcap.main, client, {"call_id": call_id, "dest": str(tmp_path / "c.pcap")})
    assert result["pcap_id"] == "pcap-1"
    lookup = dict(parse_qsl(urlsplit(mock.calls[0].request.url).query))
    assert (lookup["createTime>"], lookup["createTime<"]) == ("2024-02-01T07:59:00Z", "2024-02-01T08:01:00Z")
    assert mock.calls[1].request.url.endswith("pcap?direction=INBOUND")


def test_pcap_past_retention_says_so(mock, client, tmp_path):
    mock.add(responses.GET, BASE + "/calls/records/old/pcap", status=404,
             json={"code": 404, "status": "NOT_FOUND", "message": "PCAP old is no longer available"})
    result = run(est_call_pcap.main, client, {"pcap_id": "old", "direction": "outbound", "dest": str(tmp_path / "c.pcap")})
    assert result["failed"] is True
    assert "keeps packet captures for 10 days" in result["msg"] and result["api_error"]["status_code"] == 404
    assert not (tmp_path / "c.pcap").exists()


def test_pcap_of_an_unknown_call_fails_clearly(mock, client, tmp_path):
    mock.add(responses.GET, BASE + "/calls", json={"calls": [], "totalItems": 0})
    result = run(est_call_pcap.main, client, {"call_id": "not-a-ulid", "dest": str(tmp_path / "c.pcap")})
    assert result["failed"] is True and "no call not-a-ulid" in result["msg"]
    assert len(mock.calls) == 1  # no ULID time: only the retention window is searched


class IgnoringExport:
    """GET /calls/export that ignores every filter (as a server might): one row per call of `calls`,
    even-numbered calls from US and to SE, odd ones from GB and to US and emergency."""

    def __init__(self, mock, calls, header="callId,createTime,fromCountryCode,toCountryCode,emergency"):
        self.queries = []
        self.header = header
        self.rows = [f"{call['callId']},{call['createTime']},{'US,SE,false' if index % 2 == 0 else 'GB,US,true'}"
                     for index, call in enumerate(calls)]
        mock.add_callback(responses.GET, BASE + "/calls/export", callback=self.page)

    def page(self, request):
        query = dict(parse_qsl(urlsplit(request.url).query))
        self.queries.append(query)
        page, size = int(query["page"]), int(query["size"])
        return 200, {}, "".join(line + "\n" for line in [self.header] + self.rows[(page - 1) * size:page * size])


@pytest.mark.parametrize("filters, parity", [
    ({"from_country_code": "us"}, 0),
    ({"to_country_code": "US"}, 1),
    ({"emergency_only": True}, 1),
    ({"from_country_code": "GB", "to_country_code": "us", "emergency_only": True}, 1),
])
def test_country_and_emergency_filters_hold_when_the_server_ignores_them(mock, client, filters, parity):
    calls_api = CallsApi(mock, 1300)  # ignores every filter but page and size
    export = IgnoringExport(mock, calls_api.calls)
    result = run(est_call_info.main, client, dict(filters, max_items=0))
    expected = [call["callId"] for index, call in enumerate(calls_api.calls) if index % 2 == parity]
    assert [call["call_id"] for call in result["calls"]] == expected
    first = result["calls"][0]
    assert (first["from_country_code"], first["emergency"]) == (("US", False) if parity == 0 else ("GB", True))
    assert export.queries[0]["size"] == "500" and len(export.queries) == 3
    sent = {key for query in calls_api.queries for key in query}
    assert not sent & {"fromCountryCode", "toCountryCode", "emergencyOnly"}, "not sent to /calls, which lacks them"
    if "from_country_code" in filters:
        assert export.queries[0]["fromCountryCode"] == filters["from_country_code"].upper()


def test_max_items_counts_the_verified_calls(mock, client):
    calls_api = CallsApi(mock, 300)
    IgnoringExport(mock, calls_api.calls)
    result = run(est_call_info.main, client, {"from_country_code": "GB", "max_items": 10})
    assert [call["call_id"] for call in result["calls"]] == [call["callId"] for call in calls_api.calls[1:20:2]]


def test_an_export_without_the_country_column_fails_instead_of_guessing(mock, client):
    calls_api = CallsApi(mock, 10)
    IgnoringExport(mock, calls_api.calls, header="callId,createTime")
    result = run(est_call_info.main, client, {"to_country_code": "SE"})
    assert result["failed"] is True
    assert "no toCountryCode column" in result["msg"] and "to_country_code" in result["msg"]
    assert calls_api.queries == []


def test_without_those_filters_the_export_is_not_read(mock, client):
    CallsApi(mock, 10)
    run(est_call_info.main, client, {"direction": "outbound"})
    assert all("/calls/export" not in call.request.url for call in mock.calls)
