"""The SIP load figure of `make bench`: calls per second the emulator's SIP edge sustains on loopback.

SIPp (tests/sip/scenarios/uac_call.xml: INVITE, 200 with SDP, ACK, 0.2 s of call, BYE) places calls
at each offered rate on one trunk that authorises 127.0.0.1 by ACL and whose callsPerSecond is raised
far above the rates (the admin API; Sinch support does it on the real service). Per rate: the calls
answered, the INVITE retransmissions SIPp had to send (the edge falling behind), the INVITE -> 200
response time, and the call records the calls left: exactly one per call, COMPLETED.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from _harness import PROJECT, REPO, Emulator, run_playbook, write_playbook

sys.path.insert(0, str(REPO / "tests" / "sip"))
from sipp import Sipp  # noqa: E402  (the SIP suite's SIPp runner)

TRUNK = "bench-sip"
CALLER = "+14155550100"


def _seconds(value: str) -> float:
    """SIPp's HH:MM:SS:microseconds."""
    hours, minutes, seconds, micros = (int(part) for part in value.split(":"))
    return hours * 3600 + minutes * 60 + seconds + micros / 1e6


def _wall(stats: dict) -> float:
    """Seconds from SIPp's start to its last statistics line (each time field ends in epoch seconds)."""
    return float(stats["CurrentTime"].split()[-1]) - float(stats["StartTime"].split()[-1])


def _configure(emulator: Emulator, workdir: Path) -> None:
    book = write_playbook(workdir / "sip_estate.json", [
        {"name": "acl", "sinch.est.est_acl": {"name": "bench-loopback", "ip_ranges": [{"cidr": "127.0.0.1/32"}]}},
        {"name": "trunk", "sinch.est.est_trunk": {"host_name": TRUNK, "name": "SIP bench"}},
        {"name": "bind", "sinch.est.est_trunk_acls": {"trunk": TRUNK, "acls": ["bench-loopback"]}},
    ])
    run_playbook(emulator, book, workdir=workdir).check()
    trunk_id = next(t["id"] for t in emulator.admin("GET", "/state", params={"project": PROJECT})["trunks"]
                    if t["hostName"] == TRUNK)
    emulator.admin("PATCH", f"/trunks/{trunk_id}", {"callsPerSecond": 100000})


def _records(emulator: Emulator, to: str, expected: int) -> Counter:
    """The results of the records of calls to `to`, once `expected` are there or their number stopped
    growing for 2 s (a record is written when its call ends; an overloaded edge ends calls late)."""
    seen, steady_since = Counter(), time.monotonic()
    while True:
        calls = emulator.admin("GET", "/state", params={"project": PROJECT, "calls": "1"})["calls"]
        records = Counter(call["callResult"] for call in calls if call["to"] == to)
        if sum(records.values()) != sum(seen.values()):
            seen, steady_since = records, time.monotonic()
        if sum(seen.values()) >= expected or time.monotonic() - steady_since > 2:
            return seen
        time.sleep(0.2)


def measure(workdir: Path, quick: bool, table) -> tuple[dict, list[tuple[str, str, str]]]:
    """Runs the load steps; returns the raw figures and the performance.rst sections (`table` renders one)."""

    rates = [20] if quick else [50, 100, 200, 400, 800]
    workdir.mkdir(parents=True, exist_ok=True)
    emulator = Emulator(workdir, "--sip-port", "0")
    sip_port = getattr(emulator, "sip_port", None) or emulator.admin("GET", "/health")["sip"]["udp"]
    sipp = Sipp(workdir / "sipp", sip_port)
    rows, raw = [], []
    try:
        _configure(emulator, workdir)
        for rate in rates:
            calls = 20 if quick else max(300, 3 * rate)  # at least 3 s of calls: the 0.2 s tail weighs little
            to = f"+1415556{rate:04d}"
            run = sipp.run("uac_call.xml", calls=calls, rate=rate, timeout=calls / rate * 4 + 30,
                           keys={"trunk": f"{TRUNK}.pstn.sinch.com", "to": to, "from": CALLER,
                                 "from_domain": f"{TRUNK}.pstn.sinch.com"})
            records = _records(emulator, to, calls)
            answered = run.received("200") // 2
            figure = {
                "offered_cps": rate, "calls": calls, "answered": answered, "failed": run.failed,
                "declined_603": run.received("603"), "invite_retransmissions": run.counts.get("0_INVITE_Retrans"),
                "achieved_cps": float(run.stats.get("CallRate(C)", 0) or 0),
                "response_ms": _seconds(run.stats.get("ResponseTime1(C)", "0:0:0:0")) * 1000,
                "wall_s": _wall(run.stats), "records": dict(records),
                "one_record_per_call": records == Counter({"COMPLETED": answered}) and answered == calls,
            }
            raw.append(figure)
            rows.append((rate, calls, f"{figure['achieved_cps']:.0f}", answered, figure["failed"],
                         figure["invite_retransmissions"], f"{figure['response_ms']:.0f}" if figure["response_ms"] else "<1",
                         f"{figure['wall_s']:.1f}",
                         sum(records.values()), "yes" if figure["one_record_per_call"] else "**no**"))
    finally:
        sipp.stop_all()
        emulator.stop()
    sustained = max([f["offered_cps"] for f in raw if f["answered"] == f["calls"] and f["one_record_per_call"]
                     and not int(f["invite_retransmissions"] or 0) and f["achieved_cps"] >= 0.9 * f["offered_cps"]],
                    default=0)
    caption = ("SIP load on loopback: SIPp (``tests/sip/scenarios/uac_call.xml``, UDP) places calls at each offered "
               "rate (at least 300, and 3 s worth) on one trunk that authorises 127.0.0.1 by ACL, its "
               "``callsPerSecond`` raised through the admin API; each call is answered at once, held 0.2 s and hung up by SIPp. Response time is the "
               "mean from INVITE to 200 (SIPp measures in milliseconds); achieved is SIPp's own rate over the whole "
               "run, its last calls' 0.2 s included. Sustained: the highest offered rate with every call answered, "
               "no INVITE retransmission, at least 90 % of it achieved and exactly one COMPLETED record per call: "
               f"**{sustained} calls per second**.")
    body = table(["offered cps", "calls", "achieved cps", "answered", "failed", "INVITE retransmissions",
                  "INVITE->200 ms", "wall s", "records", "one record per call"], rows)
    return {"steps": raw, "sustained_cps": sustained}, [("sip-load", caption, body)]
