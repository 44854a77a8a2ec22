# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""sinch.est.call_stats on hand-computed cases."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sinch.est.plugins.filter.call_stats import FilterModule, call_stats


def call(result="COMPLETED", answer=None, end=None, billed=0, amount=None, currency="USD", created="2024-02-01T10:00:00Z",
         trunk="t1", direction="OUTBOUND"):
    record = {"call_id": "c", "call_result": result, "create_time": created, "end_time": end, "trunk_id": trunk,
              "direction": direction, "billing_duration_seconds": billed}
    if answer is not None:
        record["answer_time"] = answer
    if amount is not None:
        record["price"] = {"currency_code": currency, "amount": amount}
    return record


def test_the_filter_is_registered():
    assert FilterModule().filters()["call_stats"] is call_stats


def test_no_calls_gives_zeros_and_null_ratios():
    assert call_stats([]) == {"total": 0, "answered": 0, "asr": None, "acd_seconds": None, "minutes": 0.0, "cost": {}, "by": {}}


def test_all_failed_calls_give_asr_zero_and_no_acd():
    calls = [call("BUSY", end="2024-02-01T10:00:05Z"), call("FAILED"), call("CANCEL"), call("NO_ANSWER")]
    stats = call_stats(calls)
    assert (stats["total"], stats["answered"], stats["asr"], stats["acd_seconds"]) == (4, 0, 0.0, None)


def test_cancel_counts_as_an_attempt_in_asr():
    calls = [call(answer="2024-02-01T10:00:10Z", end="2024-02-01T10:01:10Z"), call("CANCEL"), call("cancel")]
    assert call_stats(calls)["asr"] == 0.3333


def test_acd_is_end_minus_answer_not_duration_with_ringing():
    calls = [
        dict(call(answer="2024-02-01T10:00:20Z", end="2024-02-01T10:02:20Z", direction="INBOUND"), duration_seconds=140),
        call(answer="2024-02-01T11:00:00.5Z", end="2024-02-01T11:00:31Z"),
    ]
    assert call_stats(calls)["acd_seconds"] == round((120 + 30.5) / 2, 1)


def test_mixed_currencies_are_summed_apart_and_exactly():
    calls = [call(amount="0.0045"), call(amount="0.0050"), call(amount="0.1200", currency="EUR"), call(amount=0.1, currency="EUR"),
             call("FAILED")]
    assert call_stats(calls)["cost"] == {"EUR": "0.2200", "USD": "0.0095"}


def test_minutes_are_billed_seconds_over_sixty():
    assert call_stats([call(billed=60), call(billed=180), call(billed=30)])["minutes"] == 4.5


def test_a_call_spanning_midnight_counts_on_its_start_day_and_its_full_duration():
    spanning = call(created="2024-02-01T23:58:00", answer="2024-02-01T23:59:00", end="2024-02-02T00:01:30", billed=180)
    next_day = call("BUSY", created="2024-02-02T00:00:30Z")
    stats = call_stats([spanning, next_day], group_by="day")
    assert stats["acd_seconds"] == 150.0
    assert sorted(stats["by"]) == ["2024-02-01", "2024-02-02"]
    assert stats["by"]["2024-02-01"]["total"] == 1 and stats["by"]["2024-02-01"]["acd_seconds"] == 150.0
    assert stats["by"]["2024-02-02"]["asr"] == 0.0


def test_day_is_the_utc_date_of_a_time_with_an_offset():
    stats = call_stats([call(created="2024-02-02T01:00:00+02:00")], group_by="day")
    assert list(stats["by"]) == ["2024-02-01"]


def test_nanosecond_timestamps_without_zone_are_read():
    stats = call_stats([call(answer="2023-09-14T08:08:48.264185988", end="2023-09-14T08:09:48.264185988")])
    assert stats["acd_seconds"] == 60.0


def test_grouping_by_trunk_direction_and_result():
    calls = [call(trunk="a", direction="inbound"), call("BUSY", trunk="b"), call("busy", trunk="")]
    assert sorted(call_stats(calls, group_by="trunk")["by"]) == ["a", "b", "unknown"]
    assert sorted(call_stats(calls, group_by="direction")["by"]) == ["INBOUND", "OUTBOUND"]
    by_result = call_stats(calls, group_by="result")["by"]
    assert by_result["BUSY"]["total"] == 2 and by_result["COMPLETED"]["asr"] == 1.0


def test_camel_case_api_objects_are_read_too():
    api_call = {"callId": "c", "callResult": "COMPLETED", "answerTime": "2024-02-01T10:00:00Z", "endTime": "2024-02-01T10:00:42Z",
                "billingDurationSeconds": 60, "price": {"currencyCode": "USD", "amount": "0.0045"}, "trunkId": "t9",
                "createTime": "2024-02-01T09:59:50Z"}
    stats = call_stats([api_call], group_by="trunk")
    assert (stats["acd_seconds"], stats["minutes"], stats["cost"], list(stats["by"])) == (42.0, 1.0, {"USD": "0.0045"}, ["t9"])


@pytest.mark.parametrize("calls, group_by", [("not a list", None), ([], "hour"), (["x"], None), ([call(amount="abc")], None)])
def test_bad_input_fails_clearly(calls, group_by):
    with pytest.raises(AnsibleFilterError):
        call_stats(calls, group_by=group_by)
