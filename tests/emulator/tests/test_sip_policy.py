"""The edge's decisions without sockets: policy rules and their order, digest, the delayed view,
the message parser and the TCP framer."""

import hashlib
import ipaddress
import json

import pytest

from est_emulator.sip import digest, policy
from est_emulator.sip.message import NameAddr, ParseError, Uri, parse
from est_emulator.sip.transport import Framer, FramingError, is_loopback
from est_emulator.sip.view import EdgeView, TrunkAuth
from est_emulator.store import Store

DOMAIN = "acme.pstn.sinch.com"
TRUNK = policy.Trunk("T1", "p", DOMAIN, calls_per_second=2)
PASSWORD = "Secret-Pass-123"
ACL = TrunkAuth(networks=(ipaddress.ip_network("127.0.0.1/32"),))
CREDS = TrunkAuth(credentials={"sbc": PASSWORD})
US_ONLY = {"US": True, "CA": False, "SE": False}


def facts(**kw):
    base = dict(trunk=TRUNK, request_host=DOMAIN, from_host=DOMAIN, source="127.0.0.1", auth=ACL, answer=None,
                failures=0, callee="+14155550123", caller="+14155550100", countries=US_ONLY, rules=(),
                calls_last_second=0)
    base.update(kw)
    return policy.OutboundFacts(**base)


def answer(password=PASSWORD, nonce_state="fresh", username="sbc", realm=DOMAIN, qop=True):
    params = {"username": username, "realm": realm, "nonce": "n1", "uri": f"sip:+14155550123@{DOMAIN}"}
    if qop:
        params.update(qop="auth", nc="00000001", cnonce="abc")
    params["response"] = digest.expected_response(params, "INVITE", password)
    return policy.Answer(params, nonce_state)


def code(f):
    verdict = policy.outbound(f)
    return verdict.code if verdict else None


def test_trunk_host_names_only_hostname_dot_pstn_sinch_com():
    assert policy.trunk_host("Acme.PSTN.sinch.com") == "acme"
    assert policy.trunk_host("a.b.pstn.sinch.com") is None
    assert policy.trunk_host("acme.example.com") is None


def test_accepted_call_from_an_acl_address():
    assert policy.outbound(facts()) is None


@pytest.mark.parametrize("change, expected", [
    (dict(trunk=None, from_host="x.example.com", source="10.0.0.1"), 404),           # domain first
    (dict(from_host="other.example.com", source="10.0.0.1"), 403),                   # then From
    (dict(source="127.0.0.2", callee="+46701234567"), 403),                           # then source / digest
    (dict(source="127.0.0.2", auth=CREDS, callee="+46701234567"), 407),               # challenge before country
    (dict(callee="+46701234567", calls_last_second=5), 403),                          # country before CPS
    (dict(calls_last_second=2), 603),
    (dict(calls_last_second=1), None),
])
def test_outbound_checks_run_in_sinchs_order(change, expected):
    assert code(facts(**change)) == expected


def test_from_domain_must_be_the_trunks():
    verdict = policy.outbound(facts(from_host="acme.example.com"))
    assert (verdict.code, verdict.reason) == (403, "Forbidden") and "From domain" in verdict.why


def test_digest_none_wrong_again_stale_and_right():
    no_acl = dict(source="127.0.0.2", auth=CREDS)
    first = policy.outbound(facts(**no_acl))
    assert first.code == 407 and first.challenge
    assert policy.outbound(facts(answer=answer(), **no_acl)) is None
    assert policy.outbound(facts(answer=answer(qop=False), **no_acl)) is None, "RFC 2069 answers still work"
    wrong = policy.outbound(facts(answer=answer("Wrong-Pass-999"), **no_acl))
    assert wrong.code == 407 and wrong.challenge, "a wrong answer is challenged once more"
    assert code(facts(answer=answer("Wrong-Pass-999"), failures=1, **no_acl)) == 403
    assert code(facts(answer=answer(username="nobody"), failures=1, **no_acl)) == 403
    stale = policy.outbound(facts(answer=answer(nonce_state="stale"), failures=1, **no_acl))
    assert stale.code == 407 and stale.stale, "an expired nonce is not a wrong answer"
    assert code(facts(answer=answer(nonce_state="bad"), **no_acl)) == 407
    assert code(facts(answer=answer(realm="other.pstn.sinch.com"), failures=1, **no_acl)) == 403


def test_neither_acl_nor_credentials_is_403():
    verdict = policy.outbound(facts(source="127.0.0.2", auth=TrunkAuth()))
    assert verdict.code == 403 and "no credential list" in verdict.why


def test_plus_one_is_us_unless_the_area_code_is_canadian():
    assert code(facts(callee="+12125550123")) is None
    assert code(facts(callee="+14165550123")) == 403
    assert code(facts(callee="+14165550123", countries={"US": True, "CA": True})) is None


def test_outbound_blocking_rules():
    rule = {"id": "R1", "direction": "OUTBOUND", "calleeMatch": "+1415"}
    assert code(facts(rules=(rule,))) == 403
    assert code(facts(rules=({**rule, "direction": "INBOUND"},))) is None
    assert code(facts(rules=({"id": "R2", "direction": "OUTBOUND", "calleeMatch": "", "callerMatch": ""},))) is None
    assert code(facts(rules=({"id": "R3", "direction": "OUTBOUND", "calleeCountry": "US"},))) == 403
    both = {"id": "R4", "direction": "OUTBOUND", "calleeMatch": "1415", "callerCountry": "GB"}
    assert code(facts(rules=(both,))) is None, "every criterion a rule sets must match"


def test_register_rules():
    ok = answer()
    ok.params["response"] = digest.expected_response(ok.params, "REGISTER", PASSWORD)
    assert policy.register(None, "x.pstn.sinch.com", CREDS, ok, {"sbc"}).code == 404
    assert policy.register(TRUNK, DOMAIN, CREDS, None, {"sbc"}).code == 401
    assert policy.register(TRUNK, DOMAIN, TrunkAuth(), ok, {"sbc"}).code == 401, "list not bound"
    assert policy.register(TRUNK, DOMAIN, CREDS, ok, set()).code == 401, "no endpoint uses the username"
    assert policy.register(TRUNK, DOMAIN, CREDS, answer("Wrong-Pass-999"), {"sbc"}).code == 401
    assert policy.register(TRUNK, DOMAIN, CREDS, ok, {"sbc"}) is None


def test_inbound_order_round_robin_and_failover():
    eps = [{"id": "b1", "priority": 2}, {"id": "a1", "priority": 1}, {"id": "a2", "priority": 1},
           {"id": "off", "priority": 1, "enabled": False}]
    assert [e["id"] for e in policy.endpoint_order(eps, {})] == ["a1", "a2", "b1"]
    assert [e["id"] for e in policy.endpoint_order(eps, {1: 1})] == ["a2", "a1", "b1"]
    assert [policy.fails_over(c) for c in (408, 500, 503, 486, 404, 603)] == [True, True, True, False, False, False]
    blocked = policy.inbound_blocked(({"id": "R", "direction": "INBOUND", "callerMatch": "+44"},), "+442071838750",
                                     "+14155550199")
    assert blocked.code == 403


@pytest.mark.parametrize("sip_code, result", [(200, "COMPLETED"), (486, "BUSY"), (600, "BUSY"), (408, "NO_ANSWER"),
                                              (480, "NO_ANSWER"), (487, "CANCEL"), (403, "FAILED"), (603, "FAILED"),
                                              (503, "FAILED"), (404, "FAILED")])
def test_call_result_mapping(sip_code, result):
    assert policy.call_result(sip_code) == result


def test_nonces_are_ours_and_expire():
    nonces = digest.Nonces(b"k" * 16)
    nonce = nonces.new(1000.0)
    assert nonces.state(nonce, 1000.0 + digest.NONCE_LIFETIME - 1) == "fresh"
    assert nonces.state(nonce, 1000.0 + digest.NONCE_LIFETIME + 1) == "stale"
    assert digest.Nonces(b"x" * 16).state(nonce, 1000.0) == "bad"
    assert nonces.state("garbage!", 1000.0) == "bad"


def test_edge_view_lags_by_the_delay():
    store, clock = Store(), {"t": 100.0}
    store.ensure_project("p")
    store.x("INSERT INTO trunks(id, project_id, host_name, doc) VALUES ('T1', 'p', 'acme', '{}')")
    view = EdgeView(store, 60, clock=lambda: clock["t"])
    store.x("INSERT INTO acls(id, project_id, doc) VALUES ('A1', 'p', ?)", (json.dumps({"enabled": True}),))
    store.x("INSERT INTO ip_ranges(id, project_id, acl_id, doc) VALUES ('R1', 'p', 'A1', ?)",
            (json.dumps({"ipAddress": "127.0.0.1", "range": 32}),))
    store.x("INSERT INTO trunk_acls(trunk_id, acl_id) VALUES ('T1', 'A1')")
    view.changed()
    assert view.trunk("T1").networks == ()
    clock["t"] = 159.0
    assert view.trunk("T1").networks == ()
    clock["t"] = 160.0
    assert [str(n) for n in view.trunk("T1").networks] == ["127.0.0.1/32"]
    store.x("UPDATE acls SET doc = ? WHERE id = 'A1'", (json.dumps({"enabled": False}),))
    view.changed()
    assert view.trunk("T1").networks, "disabling reaches the edge late too"
    clock["t"] = 220.0
    assert view.trunk("T1").networks == ()
    assert EdgeView(store, 0).trunk("T1").networks == (), "no delay: the store as it is"


def test_parser_compact_forms_folding_and_multi_values():
    raw = (b"INVITE sip:+1@acme.pstn.sinch.com SIP/2.0\r\n"
           b"v: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK2\r\n"
           b"f: <sip:+2@acme.pstn.sinch.com>;tag=a\r\nt: <sip:+1@acme.pstn.sinch.com>\r\ni: c1\r\n"
           b"CSeq: 1\r\n INVITE\r\nContact: \"A, B\" <sip:a@127.0.0.1>\r\nl: 4\r\n\r\nbodyEXTRA")
    msg = parse(raw)
    assert len(msg.get_all("Via")) == 2 and msg.top_via.port == 5070 and msg.top_via.branch == "z9hG4bK1"
    assert msg.cseq == (1, "INVITE") and msg.body == b"body" and NameAddr.parse(msg.get("From")).tag == "a"
    assert NameAddr.parse(msg.get("Contact")).uri == "sip:a@127.0.0.1"
    assert Uri.parse(msg.uri).number == "+1" and Uri.parse("sip:4670123@h").number == "+4670123"


@pytest.mark.parametrize("raw", [
    b"INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\r\n",                  # no From/To/...
    b"HELLO\r\n\r\n",
    b"INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nFrom: a\r\nTo: b\r\nCall-ID: c\r\nCSeq: 1 BYE\r\n\r\n",
    b"INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nFrom: a\r\nTo: b\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n"
    b"Content-Length: 10\r\n\r\nshort",
])
def test_parser_refuses_malformed_messages(raw):
    with pytest.raises(ParseError):
        parse(raw)


def test_tcp_framer_joins_splits_and_refuses_unframed():
    one = b"OPTIONS sip:x SIP/2.0\r\nContent-Length: 2\r\n\r\nab"
    framer = Framer()
    assert framer.feed(b"\r\n" + one + one[:10]) == [one]
    assert framer.feed(one[10:]) == [one]
    with pytest.raises(FramingError):
        Framer().feed(b"OPTIONS sip:x SIP/2.0\r\nVia: x\r\n\r\n")


def test_only_loopback_literals_are_sendable():
    assert is_loopback("127.0.0.2") and not is_loopback("198.51.100.7") and not is_loopback("localhost")


def test_digest_md5_matches_rfc_2617_formula():
    params = {"username": "u", "realm": "r", "nonce": "n", "uri": "sip:r"}
    ha1, ha2 = (hashlib.md5(t.encode()).hexdigest() for t in ("u:r:pw", "REGISTER:sip:r"))
    assert digest.expected_response(params, "REGISTER", "pw") == hashlib.md5(f"{ha1}:n:{ha2}".encode()).hexdigest()
