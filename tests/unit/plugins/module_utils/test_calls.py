# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The /calls filter options -> query mapping, with a fixed clock."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.sinch.est.plugins.module_utils._calls import call_query, page_size_for, parse_time_bound
from ansible_collections.sinch.est.plugins.module_utils._validation import Problems

NOW = datetime.datetime(2024, 3, 1, 12, 30, 45, 999000, tzinfo=datetime.timezone.utc)


def query_of(**params):
    problems = Problems()
    query = call_query(params, NOW, problems)
    return query, problems.messages


@pytest.mark.parametrize("relative, sent", [
    ("-7d", "2024-02-23T12:30:45Z"),
    ("-12h", "2024-03-01T00:30:45Z"),
    ("-30m", "2024-03-01T12:00:45Z"),
    ("-0m", "2024-03-01T12:30:45Z"),
])
def test_relative_times_are_resolved_against_the_clock_in_utc(relative, sent):
    assert query_of(created_after=relative) == ({"createTime>": sent}, [])


def test_range_bounds_use_the_createtime_operator_keys():
    query, problems = query_of(created_after="2024-02-01", created_before="2024-02-29")
    assert problems == []
    assert query == {"createTime>": "2024-02-01", "createTime<": "2024-02-29"}


def test_a_date_time_with_an_offset_is_sent_in_utc_to_the_second():
    query = query_of(created_after="2024-02-01T09:30:15.123+01:00", created_before="2024-02-01 23:00")[0]
    assert query == {"createTime>": "2024-02-01T08:30:15Z", "createTime<": "2024-02-01T23:00:00Z"}


def test_a_date_time_without_zone_is_utc():
    assert query_of(created_before="2024-02-01T08:00:00")[0] == {"createTime<": "2024-02-01T08:00:00Z"}


@pytest.mark.parametrize("partial", ["2024", "2024-02", "2024-02-01", "2024-02-01T08"])
def test_partial_dates_go_to_createtime_as_given(partial):
    assert query_of(create_time=partial) == ({"createTime": partial}, [])


@pytest.mark.parametrize("bad", ["2024-13", "2024-02-30", "2024-02-01T24", "24-02", "2024-02-01T08:00", "yesterday"])
def test_bad_partial_dates_name_create_time(bad):
    query, problems = query_of(create_time=bad)
    assert query == {}
    assert len(problems) == 1 and problems[0].startswith("create_time: ")


@pytest.mark.parametrize("bad", ["-7w", "7d", "2024-02-30", "2024-02-01T25:00", "last week", "2024-02"])
def test_bad_time_bounds_name_the_option(bad):
    problems = query_of(created_before=bad)[1]
    assert len(problems) == 1 and problems[0].startswith("created_before: ")


def test_an_empty_range_is_refused():
    problems = query_of(created_after="2024-02-02", created_before="2024-02-01")[1]
    assert problems and "created_after" in problems[0]


def test_the_same_day_as_both_bounds_is_one_day_not_an_empty_range():
    assert query_of(created_after="2024-02-01", created_before="2024-02-01")[1] == []


def test_lists_are_sent_upper_case_comma_separated_without_duplicates():
    query, problems = query_of(call_result=["completed", "Busy", "COMPLETED"], direction=["inbound"])
    assert problems == []
    assert query == {"callResult": "COMPLETED,BUSY", "direction": "INBOUND"}


def test_unknown_enum_values_name_the_option_and_value():
    problems = query_of(call_result=["answered"], direction=["sideways"])[1]
    assert problems == [
        "call_result: 'answered' is not one of COMPLETED, NO_ANSWER, CANCEL, BUSY, FAILED (any case)",
        "direction: 'sideways' is not one of INBOUND, OUTBOUND (any case)",
    ]


def test_number_prefixes_countries_and_emergency():
    query, problems = query_of(from_number="+1415", to_number="46", from_country_code="us", to_country_code="SE",
                               emergency_only=True)
    assert problems == []
    assert query == {"from": "+1415", "to": "46", "fromCountryCode": "US", "toCountryCode": "SE", "emergencyOnly": "true"}


def test_emergency_only_false_sends_no_filter():
    assert query_of(emergency_only=False) == ({}, [])


def test_every_bad_option_is_reported_at_once():
    problems = query_of(from_number="+1-415", to_country_code="USA", created_after="soon")[1]
    assert [problem.split(":")[0] for problem in problems] == ["from_number", "to_country_code", "created_after"]


def test_parse_time_bound_covers_a_whole_day_for_a_date():
    bound, problem = parse_time_bound("created_before", "2024-02-29", NOW)
    assert problem is None
    assert (bound.end - bound.start) == datetime.timedelta(days=1)


@pytest.mark.parametrize("max_items, maximum, size", [
    (100, 1000, 100), (1000, 1000, 1000), (1001, 1000, 501), (1500, 1000, 750), (2001, 1000, 667),
    (0, 1000, 1000), (0, 500, 500), (1, 1000, 1),
])
def test_page_size_reads_max_items_in_the_fewest_requests(max_items, maximum, size):
    assert page_size_for(max_items, maximum) == size
