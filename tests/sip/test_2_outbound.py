"""Outbound calls (customer -> PSTN) through the edge, in the order the edge checks them.

Every call but the unknown domain's leaves one OUTBOUND record (noted in the ledger); the answer
is read from what SIPp received on the wire.
"""

from __future__ import annotations

import re

import pytest

from conftest import CALLER, domain

# Called numbers, one a case: the ledger tells the calls' records apart by them.
TO = {
    "acl_udp": "+14155550201", "acl_tcp": "+14155550202", "not_in_acl": "+14155550203",
    "foreign_from": "+14155550204", "unknown_domain": "+14155550205", "country": "+442071230206",
    "blocked": "+19005550207", "cps": "+14155550208", "digest": "+14155550209", "cancel": "+14155550210",
    "digest_wrong": "+14155550211",
}


def call(sipp, trunk, to, *, from_domain=None, scenario="uac_call.xml", **options):
    """A call to `to` at `trunk` (a host name, or a whole domain) from CALLER; From on the trunk's domain."""
    request_host = trunk if "." in trunk else domain(trunk)
    keys = {"trunk": request_host, "to": to, "from": CALLER, "from_domain": from_domain or request_host}
    return sipp.run(scenario, keys=keys, **options)


def refused_with(run, code: str) -> None:
    """The call was refused with `code` (and nothing else), and SIPp acknowledged it."""
    assert run.rc == 0 and run.successful == 1, run
    assert run.received(code) == 1, run
    assert run.received("200") == 0, run


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_call_from_an_address_in_a_bound_acl_is_answered(sip, sipp, transport):
    to = TO[f"acl_{transport}"]
    sip.ledger.expect("OUTBOUND", CALLER, to, ("COMPLETED", 200))
    run = call(sipp, "sipp-acl", to, transport=transport)
    assert run.rc == 0 and run.successful == 1, run
    assert run.received("200") == 2, run  # the INVITE's 200 and the BYE's
    answer = next(m for m in run.received_messages() if m.startswith("SIP/2.0 200") and "INVITE" in m)
    assert "application/sdp" in answer and "\nm=audio " in answer, answer


def test_call_from_an_address_in_no_bound_acl_is_forbidden(sip, sipp):
    sip.ledger.expect("OUTBOUND", CALLER, TO["not_in_acl"], ("FAILED", 403))
    refused_with(call(sipp, "sipp-acl", TO["not_in_acl"], ip="127.0.0.2"), "403")


def test_call_with_a_foreign_from_domain_is_forbidden(sip, sipp):
    sip.ledger.expect("OUTBOUND", CALLER, TO["foreign_from"], ("FAILED", 403))
    refused_with(call(sipp, "sipp-acl", TO["foreign_from"], from_domain="pbx.example.com"), "403")


def test_call_to_an_unknown_domain_is_not_found_and_leaves_no_record(sip, sipp):
    # no ledger entry: a call that names no trunk belongs to no project
    refused_with(call(sipp, "sipp-nosuch.pstn.sinch.com", TO["unknown_domain"]), "404")
    generic = call(sipp, "trunk.pstn.sinch.com", TO["unknown_domain"])
    refused_with(generic, "404")


def test_call_to_a_disabled_country_is_forbidden(sip, sipp):
    sip.ledger.expect("OUTBOUND", CALLER, TO["country"], ("FAILED", 403))
    refused_with(call(sipp, "sipp-acl", TO["country"]), "403")


def test_call_matching_an_outbound_blocking_rule_is_forbidden(sip, sipp):
    sip.ledger.expect("OUTBOUND", CALLER, TO["blocked"], ("FAILED", 403))
    refused_with(call(sipp, "sipp-acl", TO["blocked"]), "403")


def test_calls_over_calls_per_second_are_declined(sip, sipp):
    sip.emulator.set_cps("sipp-cps", 2)  # sipp-cps has carried no call yet: its rolling second is empty
    calls = 8
    run = call(sipp, "sipp-cps", TO["cps"], calls=calls, rate=50)
    answered, declined = run.received("200") // 2, run.received("603")
    sip.ledger.expect("OUTBOUND", CALLER, TO["cps"], *([("COMPLETED", 200)] * answered + [("FAILED", 603)] * declined))
    assert run.rc == 0 and run.successful == calls, run
    assert answered + declined == calls, run
    # 8 calls at 50 per second span 0.14 s: 2 fit in the rolling second, the others are over it
    assert answered == 2 and declined == calls - 2, run


def test_call_with_digest_credentials_of_a_bound_list_is_answered(sip, sipp):
    sip.ledger.expect("OUTBOUND", CALLER, TO["digest"], ("COMPLETED", 200))
    run = call(sipp, "sipp-digest", TO["digest"], scenario="uac_digest.xml", extra=("-au", "pbx01", "-ap", sip.password))
    assert run.rc == 0 and run.successful == 1, run
    assert run.received("407") == 1 and run.received("200") == 2, run
    challenge = next(m for m in run.received_messages() if m.startswith("SIP/2.0 407"))
    assert re.search(r'^Proxy-Authenticate:\s*Digest.*realm="%s"' % re.escape(domain("sipp-digest")), challenge,
                     re.M | re.I), challenge


def test_call_with_wrong_digest_credentials_is_challenged_again_then_forbidden(sip, sipp):
    sip.ledger.expect("OUTBOUND", CALLER, TO["digest_wrong"], ("FAILED", 403))  # three INVITEs, one call
    run = call(sipp, "sipp-digest", TO["digest_wrong"], scenario="uac_digest_wrong.xml",
               extra=("-au", "pbx01", "-ap", sip.password + "-wrong"))
    assert run.rc == 0 and run.successful == 1, run
    assert run.received("407") == 2 and run.received("403") == 1, run
    nonces = [re.search(r'nonce="([^"]+)"', m).group(1) for m in run.received_messages() if m.startswith("SIP/2.0 407")]
    assert len(nonces) == 2 and nonces[0] != nonces[1], nonces


def test_call_cancelled_before_answer_ends_with_487(sip, sipp):
    sip.emulator.admin("POST", "/sip/destinations", {"prefix": TO["cancel"], "answer_after_ms": 10000})
    sip.ledger.expect("OUTBOUND", CALLER, TO["cancel"], ("CANCEL", 487))
    try:
        run = call(sipp, "sipp-acl", TO["cancel"], scenario="uac_cancel.xml")
    finally:
        sip.emulator.admin("DELETE", "/sip/destinations")
    assert run.rc == 0 and run.successful == 1, run
    assert run.received("180") == 1 and run.received("487") == 1, run
    cancel_ok = [m for m in run.received_messages() if m.startswith("SIP/2.0 200")]
    assert len(cancel_ok) == 1 and re.search(r"^CSeq:\s*1 CANCEL", cancel_ok[0], re.M), cancel_ok
