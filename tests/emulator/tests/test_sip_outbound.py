"""Outbound calls over real sockets: transactions, the policy's answers on the wire, call records."""

import time

import pytest


from sipclient import Client, digest_answer, header, headers
from sipstate import PASSWORD

SDP = b"v=0\r\no=ua 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
CALLEE = "+14155550123"





def invite(ua, trunk, callee=CALLEE, **kw):
    domain = trunk["domain"]
    return ua.request("INVITE", f"sip:{callee}@{domain}", kw.pop("frm", f"sip:+14155550100@{domain}"),
                      f"sip:{callee}@{domain}", body=SDP, **kw)


def ack_and_bye(ua, trunk, sent, ok):
    to_tag = header(ok, "to").split("tag=")[1]
    uri = f"sip:{CALLEE}@{trunk['domain']}"
    ua.request("ACK", uri, f"sip:+14155550100@{trunk['domain']}", uri, call_id=sent["call_id"], to_tag=to_tag)
    ua.request("BYE", uri, f"sip:+14155550100@{trunk['domain']}", uri, call_id=sent["call_id"], cseq=2, to_tag=to_tag)
    bye, _ = ua.final()
    assert bye["status"] == 200


@pytest.mark.parametrize("transport", ["UDP", "TCP"])
def test_call_from_an_acl_address_is_answered_with_sdp_and_recorded(est, edge, transport):
    trunk = est.trunk("acl-trunk", acl_ips=["127.0.0.1"])
    ua = Client(edge.sip_port, transport)
    try:
        sent = invite(ua, trunk)
        ok, provisional = ua.final()
        assert ok["status"] == 200 and provisional == [100, 180]
        assert header(ok, "content-type") == "application/sdp" and b"m=audio" in ok["body"]
        ack_and_bye(ua, trunk, sent, ok)
    finally:
        ua.close()
    (call,) = est.calls()
    assert call["direction"] == "OUTBOUND" and call["callResult"] == "COMPLETED" and call["trunkId"] == trunk["id"]
    assert call["to"] == CALLEE and call["from"] == "+14155550100" and "answerTime" in call


def test_invite_retransmission_is_absorbed_and_2xx_resent_until_ack(est, edge):
    trunk = est.trunk("retx-trunk", acl_ips=["127.0.0.1"])
    ua = Client(edge.sip_port)
    try:
        sent = invite(ua, trunk)
        ua.send_raw(sent["raw"])  # the same INVITE again: absorbed (answered with the last response)
        ok, _ = ua.final()
        assert ok["status"] == 200
        resent = [m for m in (ua.read(0.8) for _ in range(3)) if m]
        assert [m["status"] for m in resent].count(200) >= 1, "2xx resent while no ACK came"
        ack_and_bye(ua, trunk, sent, ok)
        later = [m for m in (ua.read(0.6) for _ in range(2)) if m]
        assert all(m.get("status") != 200 or "BYE" in header(m, "cseq") for m in later), "no 2xx after the ACK"
    finally:
        ua.close()
    assert len(est.calls()) == 1, "a retransmitted INVITE is not a second call"


def test_cancel_before_answer_gives_200_and_487_and_a_cancel_record(est, edge):
    trunk = est.trunk("cancel-trunk", acl_ips=["127.0.0.1"])
    est.admin("POST", "/sip/destinations", {"prefix": "+1415555", "no_answer": True})
    ua = Client(edge.sip_port)
    try:
        sent = invite(ua, trunk)
        assert [ua.read()["status"] for _ in range(2)] == [100, 180]
        uri = f"sip:{CALLEE}@{trunk['domain']}"
        ua.request("CANCEL", uri, f"sip:+14155550100@{trunk['domain']}", uri, call_id=sent["call_id"],
                   branch=sent["branch"])
        answers = sorted([ua.read()["status"], ua.read()["status"]])
        assert answers == [200, 487]
    finally:
        ua.close()
    (call,) = est.calls()
    assert call["callResult"] == "CANCEL"


def test_tcp_framing_two_messages_in_one_segment_and_one_split_in_two(edge):
    ua = Client(edge.sip_port, "TCP")
    try:
        ua.send_raw = lambda data: None  # build without sending
        first = ua.request("OPTIONS", "sip:x.pstn.sinch.com", "sip:a@127.0.0.1", "sip:x.pstn.sinch.com")["raw"]
        second = ua.request("OPTIONS", "sip:x.pstn.sinch.com", "sip:a@127.0.0.1", "sip:x.pstn.sinch.com")["raw"]
        third = ua.request("OPTIONS", "sip:x.pstn.sinch.com", "sip:a@127.0.0.1", "sip:x.pstn.sinch.com",
                           body=b"hello")["raw"]
        ua.sock.sendall(first + second)
        assert [ua.read()["status"], ua.read()["status"]] == [200, 200]
        ua.sock.sendall(third[:40])
        time.sleep(0.2)
        ua.sock.sendall(third[40:])
        assert ua.read()["status"] == 200
    finally:
        ua.close()


def test_via_gets_received_and_rport(edge):
    ua = Client(edge.sip_port)
    try:
        ua.request("OPTIONS", "sip:x.pstn.sinch.com", "sip:a@127.0.0.1", "sip:x.pstn.sinch.com")
        resp, _ = ua.final()
        assert f"rport={ua.port}" in headers(resp, "via")[0]
    finally:
        ua.close()


def refused(edge, trunk, source="127.0.0.1", **kw):
    ua = Client(edge.sip_port, host=source)
    try:
        invite(ua, trunk, **kw)
        resp, _ = ua.final()
        return resp
    finally:
        ua.close()


def test_refusals_in_order_with_their_records(est, edge):
    trunk = est.trunk("policy-trunk", acl_ips=["127.0.0.1"])
    assert refused(edge, {"domain": "nobody.pstn.sinch.com"})["status"] == 404
    assert refused(edge, {"domain": "trunk.pstn.sinch.com"})["status"] == 404
    assert refused(edge, trunk, frm="sip:+14155550100@other.example.com")["status"] == 403
    assert refused(edge, trunk, source="127.0.0.2")["status"] == 403
    assert refused(edge, trunk, callee="+46701234567")["status"] == 403  # SE disabled by default
    calls = est.calls()
    assert len(calls) == 3 and {c["callResult"] for c in calls} == {"FAILED"}, "unknown domains leave no record"


def test_calls_over_calls_per_second_get_603(est, edge):
    trunk = est.trunk("cps-trunk", acl_ips=["127.0.0.1"], cps=2)
    est.admin("POST", "/sip/destinations", {"prefix": "+1", "fail": 503})
    codes = [refused(edge, trunk)["status"] for _ in range(4)]
    assert codes[:2] == [503, 503] and 603 in codes[2:]


def test_digest_challenge_then_200_is_one_call(est, edge):
    trunk = est.trunk("digest-trunk", usernames=["sbc-user"])
    ua = Client(edge.sip_port)
    try:
        sent = invite(ua, trunk)
        challenge, _ = ua.final()
        assert challenge["status"] == 407
        www = header(challenge, "proxy-authenticate")
        assert f'realm="{trunk["domain"]}"' in www and 'qop="auth"' in www
        uri = f"sip:{CALLEE}@{trunk['domain']}"
        ua.request("ACK", uri, f"sip:+14155550100@{trunk['domain']}", uri, call_id=sent["call_id"],
                   branch=sent["branch"], to_tag=header(challenge, "to").split("tag=")[1])
        auth = digest_answer(www, "INVITE", uri, "sbc-user", PASSWORD)
        sent2 = invite(ua, trunk, call_id=sent["call_id"], cseq=2, extra=[f"Proxy-Authorization: {auth}"])
        ok, _ = ua.final()
        assert ok["status"] == 200
        ack_and_bye(ua, trunk, sent2, ok)
    finally:
        ua.close()
    (call,) = est.calls()
    assert call["callResult"] == "COMPLETED"


def test_wrong_digest_is_challenged_once_more_then_403(est, edge):
    trunk = est.trunk("wrong-trunk", usernames=["sbc-user"])
    ua = Client(edge.sip_port)
    uri = f"sip:{CALLEE}@{trunk['domain']}"
    try:
        sent = invite(ua, trunk)
        codes, nonces = [], []
        for cseq in (2, 3):
            challenge, _ = ua.final()
            codes.append(challenge["status"])
            www = header(challenge, "proxy-authenticate")
            nonces.append(www.split('nonce="')[1].split('"')[0])
            auth = digest_answer(www, "INVITE", uri, "sbc-user", "Wrong-Pass-999")
            invite(ua, trunk, call_id=sent["call_id"], cseq=cseq, extra=[f"Proxy-Authorization: {auth}"])
        final, _ = ua.final()
        codes.append(final["status"])
    finally:
        ua.close()
    assert codes == [407, 407, 403] and nonces[0] != nonces[1]
    (call,) = est.calls()
    assert call["callResult"] == "FAILED"


def test_destination_hangs_up_with_a_bye_along_the_record_route(est, edge):
    trunk = est.trunk("hangup-trunk", acl_ips=["127.0.0.1"])
    est.admin("POST", "/sip/destinations", {"prefix": "+1415", "hangup_after_ms": 100})
    ua, proxy = Client(edge.sip_port), Client(edge.sip_port)
    try:
        sent = invite(ua, trunk, extra=[f"Record-Route: <sip:127.0.0.1:{proxy.port};lr>"])
        ok, _ = ua.final()
        assert ok["status"] == 200 and headers(ok, "record-route") == [f"<sip:127.0.0.1:{proxy.port};lr>"]
        uri = f"sip:{CALLEE}@{trunk['domain']}"
        ua.request("ACK", uri, f"sip:+14155550100@{trunk['domain']}", uri, call_id=sent["call_id"],
                   to_tag=header(ok, "to").split("tag=")[1])
        bye = proxy.read(3)
        assert bye["method"] == "BYE" and header(bye, "route") == f"<sip:127.0.0.1:{proxy.port};lr>"
        assert bye["uri"] == f"sip:ua@{ua.host}:{ua.port};transport=udp" and header(bye, "call-id") == sent["call_id"]
        proxy.respond(bye, 200, "OK")
    finally:
        ua.close()
        proxy.close()
    time.sleep(0.2)
    (call,) = est.calls()
    assert call["callResult"] == "COMPLETED"


def test_export_carries_the_final_sip_code(est, edge):
    trunk = est.trunk("export-trunk", acl_ips=["127.0.0.1"])
    est.admin("POST", "/sip/destinations", {"prefix": "+1415", "busy": True})
    assert refused(edge, trunk)["status"] == 486
    r = est.raw("GET", "/calls/export")
    header_row, row = r.text.strip().splitlines()
    assert header_row.split(",")[-1] == "sipResponseCode" and row.split(",")[-1] == "486"
    assert est.calls()[0]["callResult"] == "BUSY"


def test_unreadable_request_uri_is_400_and_unknown_method_405(edge):
    ua = Client(edge.sip_port)
    try:
        ua.request("INVITE", "tel:+14155550123", "sip:+14155550100@x.pstn.sinch.com", "tel:+14155550123")
        assert ua.final()[0]["status"] == 400
        ua.request("SUBSCRIBE", "sip:x.pstn.sinch.com", "sip:a@x.pstn.sinch.com", "sip:x.pstn.sinch.com")
        resp, _ = ua.final()
        assert resp["status"] == 405 and "REGISTER" in header(resp, "allow")
    finally:
        ua.close()
