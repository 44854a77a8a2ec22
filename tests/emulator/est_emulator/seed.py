"""Realistic seeded data: EST-enabled numbers and 30 days of call records."""
# pylint: disable=disallowed-name  # "_" is the throwaway name here (ansible-test reserves it)

import json
import random
import re
import uuid

from .countries import NUMBER_PLANS, country_of
from .store import CROCKFORD, iso, iso_seconds, new_id, now
from .trunks import TLD

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
               "callsPerSecond": 1, "createTime": iso(), "updateTime": None, "projectId": project}
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
