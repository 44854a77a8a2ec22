# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import copy
import threading
import time

import pytest

from ansible_collections.sinch.est.plugins.module_utils import _numbers
from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError
from ansible_collections.sinch.est.plugins.modules.est_phone_number import main
from ansible_collections.sinch.est.tests.unit.harness import FakeApi, run

N1 = "+14155550101"
N2 = "+14155550102"
N3 = "+14155550103"


def active(number):
    return "/activeNumbers/" + number.replace("+", "%2B")


class NumbersApi(FakeApi):
    """EST /phoneNumbers plus the Numbers API: a PATCH schedules a change that goes live after
    `live_after` further reads of /phoneNumbers (0: never, until `go_live`)."""

    def __init__(self, live_after=0):
        super().__init__()
        self.live_after = live_after
        self.reads_until_live = None
        self.add("/trunks", {"id": "t1", "hostName": "acme"})
        self.add("/trunks", {"id": "t2", "hostName": "other"})

    def number(self, phone_number, trunk_id="", scheduled=None):
        self.add("/phoneNumbers", {"id": phone_number, "phoneNumber": phone_number, "sipTrunkId": trunk_id,
                                   "countryCode": "US"})
        self.objects[active(phone_number)] = {
            "phoneNumber": phone_number,
            "voiceConfiguration": {"type": "EST", "trunkId": trunk_id,
                                   "scheduledVoiceProvisioning": scheduled}}

    def patch(self, path, body=None, api="est"):
        assert api == "numbers"
        self.requests.append(("PATCH", path, body))
        self.objects[path]["voiceConfiguration"]["scheduledVoiceProvisioning"] = dict(
            body["voiceConfiguration"], status="WAITING")
        self.reads_until_live = self.live_after
        return self.objects[path]

    def go_live(self):
        for path, obj in self.objects.items():
            if path.startswith("/activeNumbers/"):
                scheduled = obj["voiceConfiguration"]["scheduledVoiceProvisioning"]
                if scheduled:
                    self.objects["/phoneNumbers/" + obj["phoneNumber"]]["sipTrunkId"] = scheduled["trunkId"]
                    obj["voiceConfiguration"].update(trunkId=scheduled["trunkId"], scheduledVoiceProvisioning=None)

    def paginate(self, path, items_key, params=None, page_size=500, max_pages=10000, api="est"):
        if path == "/phoneNumbers" and self.reads_until_live is not None and self.live_after:
            self.reads_until_live -= 1
            if self.reads_until_live <= 0:
                self.go_live()
        return super().paginate(path, items_key, params, page_size, max_pages)

    def paginate_tokens(self, path, items_key, params=None, page_size=1000, max_pages=10000, api="numbers"):
        assert api == "numbers" and path == "/activeNumbers" and items_key == "activeNumbers"
        self.requests.append(("GET", path, params))
        for object_path, item in list(self.objects.items()):
            if object_path.startswith("/activeNumbers/"):
                yield copy.deepcopy(item)

    def reads(self, prefix):
        return [request for request in self.requests if request[0] == "GET" and request[1].startswith(prefix)]


@pytest.fixture
def api():
    return NumbersApi()


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr(_numbers.time, "sleep", lambda seconds: None)


def test_routes_a_number_to_a_trunk_by_host_name(api):
    api.number(N1)
    result = run(main, api, {"phone_number": N1, "trunk": "acme"})
    assert result["changed"] is True
    assert api.writes == [("PATCH", active(N1), {"voiceConfiguration": {"type": "EST", "trunkId": "t1"}})]
    assert result["phone_numbers"] == [{"phone_number": N1, "trunk_id": "t1", "live_trunk_id": "", "pending": True,
                                        "changed": True, "country_code": "US"}]


def test_number_already_routed_costs_one_list_read_and_no_numbers_read(api):
    api.number(N1, "t1")
    result = run(main, api, {"phone_number": N1, "trunk": "t1"})
    assert result["changed"] is False
    assert api.writes == []
    assert api.reads("/activeNumbers") == []
    assert len(api.reads("/phoneNumbers")) == 1


def test_many_numbers_in_one_list_read_of_each_api_patch_only_those_that_differ(api):
    api.number(N1, "t1")
    api.number(N2, "")
    api.number(N3, "t2")
    result = run(main, api, {"phone_numbers": [N1, N2, N3], "trunk": "t1"})
    assert result["changed"] is True
    assert [path for _method, path, _body in api.writes] == [active(N2), active(N3)]
    assert api.reads("/activeNumbers") == [("GET", "/activeNumbers", {})]
    assert [params for _method, _path, params in api.reads("/phoneNumbers")] == [{"sipTrunkId": "t1"}, None]


def test_no_op_reads_only_the_numbers_already_on_the_trunk(api):
    api.number(N1, "t1")
    api.number(N2, "t1")
    api.number(N3, "t2")
    result = run(main, api, {"phone_numbers": [N1, N2], "trunk": "t1"})
    assert result["changed"] is False
    assert [params for _method, _path, params in api.reads("/phoneNumbers")] == [{"sipTrunkId": "t1"}]
    assert api.reads("/activeNumbers") == []


def test_change_already_scheduled_to_the_same_trunk_is_not_sent_again(api):
    api.number(N1, "", scheduled={"type": "EST", "trunkId": "t1", "status": "WAITING"})
    result = run(main, api, {"phone_number": N1, "trunk": "t1"})
    assert result["changed"] is False
    assert api.writes == []
    assert result["phone_numbers"][0]["pending"] is True


def test_change_scheduled_to_another_trunk_is_replaced(api):
    api.number(N1, "", scheduled={"type": "EST", "trunkId": "t2", "status": "WAITING"})
    result = run(main, api, {"phone_number": N1, "trunk": "t1"})
    assert result["changed"] is True
    assert api.writes[0][2]["voiceConfiguration"]["trunkId"] == "t1"


def test_absent_routes_to_no_trunk_with_an_empty_trunk_id(api):
    api.number(N1, "t1")
    result = run(main, api, {"phone_number": N1, "state": "absent"})
    assert result["changed"] is True
    assert api.writes == [("PATCH", active(N1), {"voiceConfiguration": {"type": "EST", "trunkId": ""}})]
    assert result["phone_numbers"][0]["trunk_id"] == ""


def test_absent_on_an_unrouted_number_is_not_a_change(api):
    api.number(N1, None)
    result = run(main, api, {"phone_number": N1, "state": "absent"})
    assert result["changed"] is False
    assert api.writes == []


def test_number_not_in_the_account_fails_naming_it_before_any_write(api):
    api.number(N1)
    result = run(main, api, {"phone_numbers": [N1, N2], "trunk": "t1"})
    assert result["failed"] is True
    assert N2 in result["msg"] and N1 not in result["msg"]
    assert api.writes == []


def test_unknown_trunk_fails_before_any_write(api):
    api.number(N1)
    result = run(main, api, {"phone_number": N1, "trunk": "nowhere"})
    assert result["failed"] is True
    assert "trunk" in result["msg"] and "nowhere" in result["msg"]
    assert api.writes == []


@pytest.mark.parametrize("args,option", [
    ({"phone_number": "4155550101", "trunk": "t1"}, "phone_number"),
    ({"phone_numbers": [N1, "+1-415"], "trunk": "t1"}, "phone_numbers"),
    ({"phone_number": N1, "trunk": "t1", "wait_timeout": -1}, "wait_timeout"),
    ({"phone_number": N1, "trunk": "t1", "state": "absent"}, "trunk"),
])
def test_bad_input_fails_naming_the_option_before_any_request(api, args, option):
    result = run(main, api, args)
    assert result["failed"] is True
    assert option in result["msg"]
    assert api.requests == []


def test_present_without_trunk_fails(api):
    result = run(main, api, {"phone_number": N1})
    assert result["failed"] is True
    assert "trunk" in result["msg"]


def test_check_mode_predicts_without_writing(api):
    api.number(N1, "t2")
    result = run(main, api, {"phone_number": N1, "trunk": "t1"}, check_mode=True, diff=True)
    assert result["changed"] is True
    assert api.writes == []
    assert result["diff"] == {"before": {N1: "t2"}, "after": {N1: "t1"}}


def test_check_mode_diff_shows_a_trunk_an_earlier_task_creates_with_the_placeholder_id(api):
    api.number(N1, "")
    result = run(main, api, {"phone_number": N1, "trunk": "not-created-yet"}, check_mode=True, diff=True)
    assert result["changed"] is True and api.writes == []
    # the real run's diff names the trunk by id; one not created yet has none, and the diff says so
    assert result["diff"] == {"before": {N1: ""}, "after": {N1: "(created: id assigned by Sinch)"}}


def test_duplicate_numbers_are_patched_once(api):
    api.number(N1)
    run(main, api, {"phone_numbers": [N1, N1], "trunk": "t1"})
    assert len(api.writes) == 1


def test_wait_polls_until_the_routing_is_live():
    api = NumbersApi(live_after=2)
    api.number(N1)
    result = run(main, api, {"phone_number": N1, "trunk": "t1", "wait": True})
    assert result["changed"] is True
    assert result["phone_numbers"][0]["pending"] is False
    assert result["phone_numbers"][0]["live_trunk_id"] == "t1"
    polls = api.reads("/phoneNumbers")[2:]
    assert polls and all(params == {"sipTrunkId": "t1"} for _method, _path, params in polls)


def test_wait_timeout_fails_naming_the_pending_numbers(api, monkeypatch):
    clock = iter(range(0, 1000, 50))
    monkeypatch.setattr(_numbers.time, "monotonic", lambda: next(clock))
    api.number(N1)
    api.number(N2, "t1")
    result = run(main, api, {"phone_numbers": [N1, N2], "trunk": "t1", "wait": True, "wait_timeout": 120})
    assert result["failed"] is True
    assert N1 in result["msg"] and N2 not in result["msg"]
    assert "scheduled" in result["msg"]


def test_wait_in_check_mode_does_not_poll(api):
    api.number(N1)
    run(main, api, {"phone_number": N1, "trunk": "t1", "wait": True}, check_mode=True)
    assert [params for _method, _path, params in api.reads("/phoneNumbers")] == [{"sipTrunkId": "t1"}, None]


class FlakyNumbersApi(NumbersApi):
    """Answers 503 to the PATCH of the numbers in `failing` (after the retries a client would make)."""

    def __init__(self, failing):
        super().__init__()
        self.failing = set(failing)

    def patch(self, path, body=None, api="est"):
        number = path.rsplit("/", 1)[1].replace("%2B", "+")
        if number in self.failing:
            self.requests.append(("PATCH", path, body))
            raise EstApiError(f"PATCH {path} failed: HTTP 503 UNAVAILABLE [6 attempts]", method="PATCH", path=path,
                              status_code=503)
        return super().patch(path, body, api)


def test_some_numbers_failing_fails_the_task_naming_routed_and_unrouted_and_reports_a_change():
    api = FlakyNumbersApi(failing=[N2])
    for number in (N1, N2, N3):
        api.number(number)
    result = run(main, api, {"phone_numbers": [N1, N2, N3], "trunk": "t1"})
    assert result["failed"] is True and result["changed"] is True
    assert result["routed"] == [N1, N3] and result["not_routed"] == [N2] and N2 in result["msg"]
    assert f"Routed: {N1}, {N3}" in result["msg"] and "HTTP 503" in result["msg"]
    assert [entry["changed"] for entry in result["phone_numbers"]] == [True, False, True]
    api.failing.clear()
    rerun = run(main, api, {"phone_numbers": [N1, N2, N3], "trunk": "t1"})
    assert rerun["changed"] is True
    assert [path for method, path, _body in api.writes if method == "PATCH"][-1] == active(N2)


def test_every_number_failing_reports_no_change():
    api = FlakyNumbersApi(failing=[N1])
    api.number(N1)
    result = run(main, api, {"phone_number": N1, "trunk": "t1"})
    assert result["failed"] is True and result.get("changed", False) is False and result["routed"] == []


def test_results_keep_the_order_of_the_numbers_given(api):
    for number in (N3, N1, N2):
        api.number(number)
    result = run(main, api, {"phone_numbers": [N3, N1, N2], "trunk": "t1"})
    assert [entry["phone_number"] for entry in result["phone_numbers"]] == [N3, N1, N2]


@pytest.mark.parametrize("wait", [False, True])
def test_the_diff_shows_the_routing_before_the_change_in_both_wait_modes(wait):
    api = NumbersApi(live_after=1)
    api.number(N1, "t2")
    api.number(N2, "t1")
    result = run(main, api, {"phone_numbers": [N1, N2], "trunk": "t1", "wait": wait}, diff=True)
    assert result["changed"] is True
    assert result["diff"] == {"before": {N1: "t2", N2: "t1"}, "after": {N1: "t1", N2: "t1"}}
    assert result["phone_numbers"][0]["live_trunk_id"] == ("t1" if wait else "t2")


class FilterRequiredNumbersApi(NumbersApi):
    """A Numbers API that insists on regionCode and type, as Sinch's OpenAPI document describes it."""

    def paginate_tokens(self, path, items_key, params=None, page_size=1000, max_pages=10000, api="numbers"):
        if not (params or {}).get("regionCode") or not (params or {}).get("type"):
            self.requests.append(("GET", path, params))
            raise EstApiError("GET /activeNumbers failed: HTTP 400 INVALID_ARGUMENT", method="GET", path=path,
                              status_code=400)
        return super().paginate_tokens(path, items_key, params, page_size, max_pages, api)


def test_a_numbers_api_that_requires_region_and_type_is_read_per_country_and_type():
    api = FilterRequiredNumbersApi()
    api.number(N1)
    api.number(N2, scheduled={"type": "EST", "trunkId": "t1", "status": "WAITING"})
    result = run(main, api, {"phone_numbers": [N1, N2], "trunk": "t1"})
    assert result["changed"] is True
    assert [path for method, path, _body in api.writes] == [active(N1)]
    assert [params for _method, _path, params in api.reads("/activeNumbers")] == [{}, {"regionCode": "US", "type": "LOCAL"}]


class ThreadedNumbersApi(NumbersApi):
    """Records which thread sent each PATCH, and waits a little in each so the workers overlap."""

    concurrency = 4

    def __init__(self):
        super().__init__()
        self.threads = set()

    def patch(self, path, body=None, api="est"):
        self.threads.add(threading.current_thread().name)
        time.sleep(0.01)
        return super().patch(path, body, api)


def test_the_patches_go_out_on_the_pool_and_the_results_keep_their_order():
    api = ThreadedNumbersApi()
    numbers = [f"+1415555{index:04d}" for index in range(12)]
    for number in numbers:
        api.number(number)
    result = run(main, api, {"phone_numbers": numbers, "trunk": "t1"})
    assert result["changed"] is True
    assert 1 < len(api.threads) <= 4 and threading.current_thread().name not in api.threads
    assert [entry["phone_number"] for entry in result["phone_numbers"]] == numbers
    assert sorted(path for method, path, _body in api.writes) == sorted(active(number) for number in numbers)
