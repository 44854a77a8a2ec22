"""Every call of the session left exactly one call record, with its direction and result, read
through est_call_info (ansible-playbook) and cross-checked against the emulator's state."""

from __future__ import annotations

from collections import Counter

import pytest


@pytest.fixture(scope="module")
def records(sip):
    return sip.records()


def test_each_call_left_exactly_one_record_with_its_direction_and_result(sip, records):
    assert sip.ledger.expected, "no call was placed"
    found: dict[tuple, Counter] = {}
    for record in records:
        found.setdefault((record["direction"], record["from"], record["to"]), Counter())[record["callResult"]] += 1
    assert found == sip.ledger.expected
    state = sip.emulator.state(calls=True)
    assert state["callCount"] == len(records) == sum(sum(c.values()) for c in sip.ledger.expected.values())


def test_records_carry_the_trunk_and_times(sip, records):
    trunks = {t["id"]: t["hostName"] for t in sip.emulator.state()["trunks"]}
    for record in records:
        assert trunks.get(record["trunkId"]), record
        assert record["createTime"] and record["endTime"] >= record["createTime"], record
        if record["callResult"] == "COMPLETED":
            assert record["answerTime"] and record["createTime"] <= record["answerTime"] <= record["endTime"], record
