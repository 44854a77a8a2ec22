"""The source's memory between polls, against a list that filters like GET /calls (whole seconds)."""

from __future__ import annotations

import datetime

T0 = datetime.datetime(2024, 2, 1, 8, 0, 0, tzinfo=datetime.timezone.utc)


def at(seconds: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=seconds)


def call(call_id: str, seconds: int, trunk: str = "t1", result: str = "COMPLETED") -> dict:
    return {"callId": call_id, "createTime": at(seconds).strftime("%Y-%m-%dT%H:%M:%SZ"), "trunkId": trunk,
            "callResult": result}


class Api:
    """The calls the API holds; list() answers like GET /calls with `createTime>=` the bound."""

    def __init__(self) -> None:
        self.calls: list = []

    def add(self, *calls: dict) -> None:
        self.calls += calls

    def list(self, bound: datetime.datetime) -> list:
        listed = [c for c in self.calls if c["createTime"] >= bound.strftime("%Y-%m-%dT%H:%M:%SZ")]
        return sorted(listed, key=lambda c: c["createTime"], reverse=True)


def ids(calls: list) -> list:
    return [c["callId"] for c in calls]


def test_a_call_exactly_at_the_bound_or_in_its_second_is_taken_once(plugin):
    cursor = plugin["CallCursor"](T0, 1.5)
    api = Api()
    api.add(call("x", 5), call("w", 8), call("y", 10))
    assert ids(cursor.take(api.list(cursor.lower_bound()))) == ["x", "w", "y"]
    assert cursor.lower_bound() == at(8), "newest 10 s less 1.5 s, down to the whole second"
    assert ids(cursor.take(api.list(cursor.lower_bound()))) == [], "w (at the bound) and y are remembered"
    api.add(call("y2", 10), call("z", 9))
    assert ids(cursor.take(api.list(cursor.lower_bound()))) == ["z", "y2"], "late z and same-second y2, oldest first"
    assert ids(cursor.take(api.list(cursor.lower_bound()))) == []


def test_ids_are_forgotten_only_once_the_api_can_no_longer_list_them(plugin):
    cursor = plugin["CallCursor"](T0, 2)
    api = Api()
    api.add(call("a", 1), call("b", 2))
    cursor.take(api.list(cursor.lower_bound()))
    api.add(call("c", 30))
    assert ids(cursor.take(api.list(cursor.lower_bound()))) == ["c"]
    assert set(cursor.seen) == {"c"}, "a and b are older than the bound (28 s)"


def test_calls_before_since_are_dropped_even_when_listed(plugin):
    cursor = plugin["CallCursor"](at(10), 60)
    assert ids(cursor.take([call("new", 10), call("old", 9)])) == ["new"]


def test_a_window_is_summarised_once_overlap_has_passed_after_its_end(plugin):
    windows = plugin["Windows"](T0, 60, 5)
    snake = plugin["camel_dict_to_snake_dict"]
    for c in (call("a", 10), call("b", 50, result="BUSY"), call("c", 70, trunk="t2")):
        windows.add(snake(c), plugin["parse_time"](c["createTime"]))
    assert windows.close(at(64.9)) == []
    first = windows.close(at(65))
    assert [(e["sinch_est"]["window_start"], e["sinch_est"]["trunk_id"], e["sinch_est"]["calls"], e["sinch_est"]["asr"],
             e["sinch_est"]["results"]) for e in first] == [("2024-02-01T08:00:00Z", "t1", 2, 0.5, {"BUSY": 1, "COMPLETED": 1})]
    windows.add(snake(call("late", 20)), at(20))
    assert windows.late == 1 and windows.close(at(3600))[0]["sinch_est"]["trunk_id"] == "t2"
    assert windows.close(at(7200)) == []
