"""Inbound calls (PSTN -> customer): the edge calls the endpoints of the trunk the number is routed to.

The edge places the call when asked (POST /_emulator/sip/inbound), and the request returns when the
call has ended, with the final answer and each endpoint tried. SIPp plays the customer side.
"""

from __future__ import annotations

import time

from conftest import NUMBERS, domain
from sipp import SCENARIOS

HOLD_MS = 300


def inbound(sip, to: str, caller: str) -> dict:
    return sip.emulator.admin("POST", "/sip/inbound", {"to": to, "from": caller, "hold_ms": HOLD_MS}, timeout=60)


def answered_by(uas, timeout: float = 15):
    run = uas.wait(timeout)
    assert run.rc == 0 and run.successful == 1, run
    assert run.received("INVITE") == 1 and run.received("ACK") == 1 and run.received("BYE") == 1, run
    return run


def test_inbound_call_reaches_the_static_endpoint(sip, sipp):
    caller = "+14085550301"
    uas = sipp.start("uas_answer.xml", port=sip.ports["primary"], remote=False)
    uas.wait_ready()
    sip.ledger.expect("INBOUND", caller, NUMBERS["static"], ("COMPLETED", 200))
    result = inbound(sip, NUMBERS["static"], caller)
    assert result["final"] == 200, result
    assert result["attempts"] == [{"address": "127.0.0.1", "port": sip.ports["primary"], "code": 200}], result
    run = answered_by(uas)
    invite = next(m for m in run.received_messages() if m.startswith("INVITE "))
    assert NUMBERS["static"] in invite.splitlines()[0] and caller in invite, invite


def test_inbound_call_goes_to_the_backup_when_the_primary_does_not_answer(sip, sipp):
    caller = "+14085550302"
    uas = sipp.start("uas_answer.xml", port=sip.ports["backup"], remote=False)
    uas.wait_ready()
    sip.ledger.expect("INBOUND", caller, NUMBERS["static"], ("COMPLETED", 200))
    started = time.monotonic()
    result = inbound(sip, NUMBERS["static"], caller)
    assert result["final"] == 200, result
    primary, backup = result["attempts"]
    assert (primary["port"], backup["port"]) == (sip.ports["primary"], sip.ports["backup"]), result
    assert primary["code"] == 408 and backup["code"] == 200, result
    assert time.monotonic() - started < 10, "the per-attempt timeout (--sip-attempt-timeout 1) was not applied"
    answered_by(uas)


def test_inbound_call_reaches_a_registered_phone(sip, sipp):
    caller = "+14085550303"
    phone = sipp.start("ua_register.xml", keys={"trunk": domain("sipp-ua"), "user": "phone03", "expires": 120},
                       extra=("-au", "phone03", "-ap", sip.password, "-d", "4000",
                              "-oocsf", str(SCENARIOS / "uas_answer.xml")))
    deadline = time.monotonic() + 10
    while not registered(sip, "phone03", phone.port):
        assert time.monotonic() < deadline, phone.result()
        time.sleep(0.1)
    sip.ledger.expect("INBOUND", caller, NUMBERS["registered"], ("COMPLETED", 200))
    result = inbound(sip, NUMBERS["registered"], caller)
    assert result["final"] == 200, result
    assert result["attempts"] == [{"address": "127.0.0.1", "port": phone.port, "code": 200}], result
    run = phone.wait(15)
    assert run.rc == 0, run
    received = run.received_messages()
    assert [m.split()[0] for m in received if not m.startswith("SIP/2.0")] == ["INVITE", "ACK", "BYE"], received


def test_inbound_call_to_a_phone_that_unregistered_is_unavailable(sip, sipp):
    port = next(int(r["contact"].rsplit(":", 1)[1].split(";")[0]) for r in registrations(sip, "phone03"))
    unregister = sipp.run("register_ok.xml", port=port,  # the binding's own contact, Expires: 0
                          keys={"trunk": domain("sipp-ua"), "user": "phone03", "expires": 0},
                          extra=("-au", "phone03", "-ap", sip.password))
    assert unregister.rc == 0 and unregister.received("200") == 1, unregister
    assert not registrations(sip, "phone03")
    caller = "+14085550305"
    sip.ledger.expect("INBOUND", caller, NUMBERS["registered"], ("FAILED", 503))
    result = inbound(sip, NUMBERS["registered"], caller)
    assert result["final"] == 503 and result["attempts"] == [], result


def test_inbound_call_with_no_active_endpoint_is_unavailable(sip):
    caller = "+14085550304"
    sip.ledger.expect("INBOUND", caller, NUMBERS["none"], ("FAILED", 503))
    result = inbound(sip, NUMBERS["none"], caller)
    assert result["final"] == 503 and result["attempts"] == [], result


def registrations(sip, username: str) -> list[dict]:
    return [r for r in sip.emulator.admin("GET", "/registrations")["registrations"] if r["username"] == username]


def registered(sip, username: str, port: int) -> bool:
    return any(f":{port}" in r["contact"] for r in registrations(sip, username))


def test_inbound_call_from_a_blocked_caller_is_refused_before_any_endpoint(sip):
    caller = "+14085550399"
    sip.ledger.expect("INBOUND", caller, NUMBERS["static"], ("FAILED", 403))
    result = inbound(sip, NUMBERS["static"], caller)
    assert result["final"] == 403 and result["attempts"] == [], result
