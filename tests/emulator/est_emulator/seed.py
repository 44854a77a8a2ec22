"""Realistic seeded data: EST-enabled numbers and 30 days of call records; explicit calls for tests and demos."""
# pylint: disable=disallowed-name  # "_" is the throwaway name here (ansible-test reserves it)

import json
import random
import re
import uuid

from .calls import parse_period
from .countries import NUMBER_PLANS, country_of
from .errors import ApiError
from .store import CROCKFORD, iso, iso_seconds, new_id, now
from .trunks import TLD
from .validation import E164_RE

RESULT_WEIGHTS = [("COMPLETED", 62), ("NO_ANSWER", 14), ("CANCEL", 9), ("BUSY", 8), ("FAILED", 7)]
PRICE_PER_MINUTE = {"US": "0.0045", "CA": "0.0050", "GB": "0.0120", "DE": "0.0140", "SE": "0.0110",
                    "FR": "0.0130", "NL": "0.0150", "ES": "0.0125", "BR": "0.0350", "AU": "0.0290",
                    "IN": "0.0210", "JP": "0.0400"}


def _ulid_at(ts, rng):
    value = (int(ts * 1000) << 80) | rng.getrandbits(80)
    return "".join(CROCKFORD[(value >> (5 * i)) & 31] for i in range(25, -1, -1))


def _number(rng, plan=None):
    iso_code, cc, length, areas = plan or rng.choice(NUMBER_PLANS)
    area = rng.choice(areas)
    rest = "".join(rng.choice("0123456789") for _ in range(length - len(area)))
    if cc == "1":
        rest = str(rng.randint(2, 9)) + rest[1:]
    return "+" + cc + area + rest


def seed_numbers(store, project, count, seed=None):
    rng = random.Random(None if seed is None else f"{seed}:{project}:numbers")
    created = iso()
    rows, seen = [], {r[0] for r in store.q("SELECT phone_number FROM numbers WHERE project_id = ?", (project,))}
    weights = [40, 10, 10, 8, 6, 5, 5, 4, 4, 4, 2, 2]
    while len(rows) < count:
        number = _number(rng, rng.choices(NUMBER_PLANS, weights)[0])
        if number in seen:
            continue
        seen.add(number)
        rows.append((new_id(rng), project, number, country_of(number), created))
    store.db.executemany("INSERT INTO numbers(id, project_id, phone_number, country_code, create_time) "
                         "VALUES (?,?,?,?,?)", rows)
    return len(rows)


def _seed_trunks(store, project, rng):
    slug = re.sub(r"[^a-z0-9-]", "-", project.lower())[:40].strip("-") or "project"
    ids = []
    for i in (1, 2):
        host = f"seeded-{slug}-{i}"
        while store.one("SELECT 1 FROM trunks WHERE host_name = ?", (host,)):
            host = f"seeded-{slug}-{i}-{rng.getrandbits(24):06x}"
        trunk_id = new_id(rng)
        doc = {"id": trunk_id, "name": f"Seeded trunk {i}", "hostName": host, "enableCallerName": False,
               "enableCallForward": False, "callForwardNumber": "", "topLevelDomain": TLD, "domain": host + TLD,
               "callsPerSecond": 1, "enabled": True, "createTime": iso(), "updateTime": None,
               "projectId": project}
        store.x("INSERT INTO trunks(id, project_id, host_name, doc) VALUES (?,?,?,?)",
                (trunk_id, project, host, json.dumps(doc)))
        ids.append(trunk_id)
    return ids


def seed_calls(store, project, count, seed=None):
    rng = random.Random(None if seed is None else f"{seed}:{project}:calls")
    trunks = [r[0] for r in store.q("SELECT id FROM trunks WHERE project_id = ? ORDER BY rid", (project,))]
    if not trunks and count:
        trunks = _seed_trunks(store, project, rng)
    own = [r[0] for r in store.q("SELECT phone_number FROM numbers WHERE project_id = ? ORDER BY rid LIMIT 200", (project,))]
    own = own or [_number(rng, NUMBER_PLANS[0]) for _ in range(5)]
    results, weights = zip(*RESULT_WEIGHTS)
    t_now = now()
    rows = []
    for _ in range(count):
        created = t_now - rng.random() * 30 * 86400
        direction = "INBOUND" if rng.random() < 0.45 else "OUTBOUND"
        emergency = direction == "OUTBOUND" and rng.random() < 0.005
        outside = _number(rng)
        mine = rng.choice(own)
        frm, to = (outside, mine) if direction == "INBOUND" else (mine, "+1911" if emergency else outside)
        result = "COMPLETED" if emergency else rng.choices(results, weights)[0]
        ring = rng.randint(2, 25)
        call = {"callId": _ulid_at(created, rng), "from": frm, "to": to, "direction": direction,
                "createTime": iso_seconds(created)}
        to_cc = "US" if emergency else country_of(to)
        ppm = PRICE_PER_MINUTE.get(country_of(frm if direction == "INBOUND" else to), "0.0200")
        if result == "COMPLETED":
            talk = rng.randint(5, 1800)
            call["answerTime"] = iso_seconds(created + ring)
            call["endTime"] = iso_seconds(created + ring + talk)
            duration = talk + ring if direction == "INBOUND" else talk
            billing = 0 if emergency else max(60, -(-talk // 60) * 60)
        else:
            call["endTime"] = iso_seconds(created + ring)
            duration = ring if direction == "INBOUND" else 0
            billing = 0
        price = f"{billing / 60 * float(ppm):.4f}"
        call.update(durationSeconds=duration, billingDurationSeconds=billing, callResult=result,
                    pricePerMinute={"currencyCode": "USD", "amount": ppm},
                    price={"currencyCode": "USD", "amount": price}, projectId=project,
                    trunkId=rng.choice(trunks) if trunks else "",
                    pcapId=str(uuid.UUID(int=rng.getrandbits(128), version=4)))
        rows.append((call["callId"], project, call["trunkId"], frm, to, direction, result, created,
                     country_of(frm), to_cc, int(emergency), call["pcapId"], json.dumps(call)))
    store.db.executemany("INSERT INTO calls(call_id, project_id, trunk_id, from_number, to_number, direction, "
                         "call_result, created, from_cc, to_cc, emergency, pcap_id, doc) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    return len(rows)


def add_numbers(store, project, phone_numbers):
    """Adds these exact E.164 numbers to the project (for demos and tests that name them); returns how many were new."""
    known = {r[0] for r in store.q("SELECT phone_number FROM numbers WHERE project_id = ?", (project,))}
    created = iso()
    rows = [(new_id(), project, number, country_of(number), created) for number in dict.fromkeys(phone_numbers) if number not in known]
    store.db.executemany("INSERT INTO numbers(id, project_id, phone_number, country_code, create_time) "
                         "VALUES (?,?,?,?,?)", rows)
    return len(rows)


def seed(store, project, numbers=0, calls=0, seed_value=None, phone_numbers=()):
    with store.tx():
        n = add_numbers(store, project, phone_numbers) + seed_numbers(store, project, numbers, seed_value)
        c = seed_calls(store, project, calls, seed_value)
    return {"project": project, "numbers": n, "calls": c}


CALL_FIELDS = {"trunk", "trunkId", "callResult", "direction", "from", "to", "createTime", "answerTime", "endTime",
               "durationSeconds"}
RING_SECONDS = 3
TALK_SECONDS = 60
FAR_NUMBER = "+442071838750"
HOME_NUMBER = "+14155550100"
EMERGENCY = "+1911"
MAX_ADDED_CALLS = 10000


class CallSpecError(ValueError):
    pass


def _when(spec, key, index, default=None):
    value = spec.get(key)
    if value is None:
        return default
    if not isinstance(value, str) or "T" not in value.upper():
        raise CallSpecError(f"calls[{index}].{key} must be an ISO 8601 date-time such as 2024-02-01T08:00:00Z")
    try:
        return parse_period(key, value)[0]
    except ApiError:
        raise CallSpecError(f"calls[{index}].{key}: {value!r} is not a valid date-time") from None


def _call_from_spec(store, project, spec, index, t_now, home):
    """One call document and its row from an explicit spec (the admin API's POST /_emulator/calls)."""
    if not isinstance(spec, dict):
        raise CallSpecError(f"calls[{index}] must be an object")
    unknown = sorted(set(spec) - CALL_FIELDS)
    if unknown:
        raise CallSpecError(f"calls[{index}]: unknown fields {', '.join(unknown)} (known: {', '.join(sorted(CALL_FIELDS))})")
    if spec.get("trunk") is not None:
        row = store.one("SELECT id FROM trunks WHERE project_id = ? AND (id = ? OR lower(host_name) = lower(?))",
                        (project, str(spec["trunk"]), str(spec["trunk"])))
        if row is None:
            raise CallSpecError(f"calls[{index}].trunk: no trunk {spec['trunk']!r} (id or host name) in project {project}")
        trunk_id = row[0]
    elif isinstance(spec.get("trunkId"), str) and spec["trunkId"]:
        trunk_id = spec["trunkId"]  # as is: calls keep the id of a trunk deleted since
    else:
        raise CallSpecError(f"calls[{index}]: give trunk (an id or host name of the project) or trunkId")
    result = str(spec.get("callResult", "COMPLETED")).upper()
    direction = str(spec.get("direction", "OUTBOUND")).upper()
    if result not in ("COMPLETED", "NO_ANSWER", "CANCEL", "BUSY", "FAILED"):
        raise CallSpecError(f"calls[{index}].callResult: {spec.get('callResult')!r} is not a call result")
    if direction not in ("INBOUND", "OUTBOUND"):
        raise CallSpecError(f"calls[{index}].direction: {spec.get('direction')!r} is not INBOUND or OUTBOUND")
    frm = spec.get("from", FAR_NUMBER if direction == "INBOUND" else home)
    to = spec.get("to", home if direction == "INBOUND" else FAR_NUMBER)
    for key, number in (("from", frm), ("to", to)):
        if not isinstance(number, str) or not (E164_RE.match(number) or (key == "to" and number == EMERGENCY)):
            raise CallSpecError(f"calls[{index}].{key}: {number!r} is not an E.164 number")
    emergency = direction == "OUTBOUND" and to == EMERGENCY
    created = _when(spec, "createTime", index, t_now)
    answered = result == "COMPLETED"
    if not answered and spec.get("answerTime") is not None:
        raise CallSpecError(f"calls[{index}].answerTime: a {result} call was never answered")
    answer = _when(spec, "answerTime", index, created + RING_SECONDS) if answered else None
    start = answer if answered else created
    end = _when(spec, "endTime", index)
    duration = spec.get("durationSeconds")
    if end is not None and duration is not None:
        raise CallSpecError(f"calls[{index}]: give endTime or durationSeconds, not both")
    if duration is not None:
        if not isinstance(duration, int) or isinstance(duration, bool) or duration < 0:
            raise CallSpecError(f"calls[{index}].durationSeconds must be a non-negative integer")
        # the API's meaning: inbound calls count from the start, outbound calls from the answer
        end = (created if direction == "INBOUND" else start) + duration
    if end is None:
        end = start + (TALK_SECONDS if answered else RING_SECONDS)
    if (answer is not None and answer < created) or end < start:
        raise CallSpecError(f"calls[{index}]: times must follow createTime <= answerTime <= endTime")
    talk = int(end - answer) if answered else 0
    duration = int(end - created) if direction == "INBOUND" else talk
    billing = max(60, -(-talk // 60) * 60) if answered and not emergency else 0
    ppm = PRICE_PER_MINUTE.get(country_of(frm if direction == "INBOUND" else to), "0.0200")
    call = {"callId": _ulid_at(created, random.Random()), "from": frm, "to": to, "direction": direction,
            "createTime": iso_seconds(created)}
    if answered:
        call["answerTime"] = iso_seconds(answer)
    call.update(endTime=iso_seconds(end), durationSeconds=duration, billingDurationSeconds=billing, callResult=result,
                pricePerMinute={"currencyCode": "USD", "amount": ppm},
                price={"currencyCode": "USD", "amount": f"{billing / 60 * float(ppm):.4f}"}, projectId=project,
                trunkId=trunk_id, pcapId=str(uuid.uuid4()))
    row = (call["callId"], project, trunk_id, frm, to, direction, result, created, country_of(frm),
           "US" if emergency else country_of(to), int(emergency), call["pcapId"], json.dumps(call))
    return call, row


def add_calls(store, project, specs):
    """Adds these exact calls (all or none); returns their documents in the order given."""
    if not isinstance(specs, list) or not specs or len(specs) > MAX_ADDED_CALLS:
        raise CallSpecError(f"calls must be a list of 1 to {MAX_ADDED_CALLS} call objects")
    t_now = now()
    first = store.one("SELECT phone_number FROM numbers WHERE project_id = ? ORDER BY rid LIMIT 1", (project,))
    home = first[0] if first else HOME_NUMBER
    built = [_call_from_spec(store, project, spec, index, t_now, home) for index, spec in enumerate(specs)]
    with store.tx():
        store.db.executemany("INSERT INTO calls(call_id, project_id, trunk_id, from_number, to_number, direction, "
                             "call_result, created, from_cc, to_cc, emergency, pcap_id, doc) "
                             "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", [row for _, row in built])
    return [call for call, _ in built]
