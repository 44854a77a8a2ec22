"""Every call of the session left exactly one call record, with its direction, result and final SIP
code: read through est_call_info and est_call_export (ansible-playbook), cross-checked against the
emulator's state. A call is told apart by (direction, from, to): each case calls its own numbers."""

from __future__ import annotations

from collections import Counter

import pytest


@pytest.fixture(scope="module")
def records(sip):
    return sip.records()


def test_each_call_left_exactly_one_record_with_its_direction_and_result(sip, records):
    calls, export = records
    assert sip.ledger.expected, "no call was placed"
    codes = {row["callId"]: int(row["sipResponseCode"]) for row in export}
    found: dict[tuple, Counter] = {}
    for call in calls:
        key = (call["direction"], call["from"], call["to"])
        found.setdefault(key, Counter())[(call["call_result"], codes.get(call["call_id"]))] += 1
    assert found == sip.ledger.expected
    placed = sum(sum(outcomes.values()) for outcomes in sip.ledger.expected.values())
    assert sip.emulator.state()["callCount"] == len(calls) == len(export) == placed


def test_records_carry_the_trunk_and_the_times(sip, records):
    trunks = {t["id"] for t in sip.emulator.state()["trunks"]}
    for call in records[0]:
        assert call["trunk_id"] in trunks, call
        assert call["create_time"] <= call["end_time"], call
        if call["call_result"] == "COMPLETED":
            assert call["create_time"] <= call["answer_time"] <= call["end_time"], call
        else:
            assert "answer_time" not in call, call
