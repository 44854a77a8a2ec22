"""Call records the edge writes: one per call, when it ends, `createTime` at its start.

The same documents as the API's /calls serves (and the seeded calls have); the final SIP code goes to
the `sip_code` column, which the CSV export shows as `sipResponseCode`.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass

from ..countries import country_of
from ..seed import PRICE_PER_MINUTE, _ulid_at
from ..store import iso_seconds
from .policy import call_result


@dataclass
class CallFacts:
    project: str
    trunk_id: str
    direction: str  # INBOUND | OUTBOUND
    caller: str
    callee: str
    started: float
    ended: float = 0.0
    answered: float | None = None
    code: int = 0


def document(call: CallFacts) -> dict:
    result = call_result(call.code)
    answered = call.answered if result == "COMPLETED" else None
    talk = int(call.ended - answered) if answered is not None else 0
    duration = int(call.ended - call.started) if call.direction == "INBOUND" else talk
    billing = max(60, -(-talk // 60) * 60) if answered is not None else 0
    ppm = PRICE_PER_MINUTE.get(country_of(call.caller if call.direction == "INBOUND" else call.callee), "0.0200")
    doc = {"callId": _ulid_at(call.started, random.Random()), "from": call.caller, "to": call.callee,
           "direction": call.direction, "createTime": iso_seconds(call.started)}
    if answered is not None:
        doc["answerTime"] = iso_seconds(answered)
    doc.update(endTime=iso_seconds(call.ended), durationSeconds=duration, billingDurationSeconds=billing,
               callResult=result, pricePerMinute={"currencyCode": "USD", "amount": ppm},
               price={"currencyCode": "USD", "amount": f"{billing / 60 * float(ppm):.4f}"},
               projectId=call.project, trunkId=call.trunk_id, pcapId=str(uuid.uuid4()))
    return doc


def write(store, call: CallFacts) -> dict:
    doc = document(call)
    store.x("INSERT INTO calls(call_id, project_id, trunk_id, from_number, to_number, direction, call_result, "
            "created, from_cc, to_cc, emergency, pcap_id, doc, sip_code) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc["callId"], call.project, call.trunk_id, call.caller, call.callee, call.direction,
             doc["callResult"], call.started, country_of(call.caller), country_of(call.callee), 0, doc["pcapId"],
             json.dumps(doc), call.code))
    return doc
