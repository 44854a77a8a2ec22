"""The registrar and inbound calls over real sockets: endpoints by priority, failover, registered
endpoints at their contact, 404/503, blocking rules, the edge delay, and the records calls leave."""

import socket
import threading

import pytest
import requests

from est_emulator.process import EmulatorProcess

from sipclient import Client, digest_answer, header
from sipstate import PASSWORD, Est

NUMBER, CALLER = "+14155550199", "+442071838750"
SDP = b"v=0\r\no=uas 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4002 RTP/AVP 0\r\n"


EDGE_ARGS = ("--sip-attempt-timeout", "0.6")



class Uas(threading.Thread):
    """A UA that answers the edge's INVITEs with `code` (None: never answers), 200 to BYE."""

    def __init__(self, port, code=200, ua=None, record_route=None):
        super().__init__(daemon=True)
        self.ua = ua or Client(port)
        self.code, self.seen, self.stopping = code, [], False
        self.extra = [f"Record-Route: {record_route}"] if record_route else []
        self.start()

    def run(self):
        while not self.stopping:
            msg = self.ua.read(0.2)
            if msg is None or "method" not in msg:
                continue
            self.seen.append(msg["method"])
            if msg["method"] == "INVITE" and self.code is not None:
                self.ua.respond(msg, 180, "Ringing")
                self.ua.respond(msg, self.code, "Answer", body=SDP if self.code == 200 else b"", extra=self.extra)
            elif msg["method"] in ("BYE", "CANCEL"):
                self.ua.respond(msg, 200, "OK")
                if msg["method"] == "CANCEL":
                    self.seen.append("cancelled")

    def stop(self):
        self.stopping = True
        self.join(2)
        self.ua.close()


def endpoint(est, trunk, uas, priority, name="pbx"):
    return est.call("POST", f"/trunks/{trunk['id']}/endpoints", {
        "name": name, "address": "127.0.0.1", "port": uas.ua.port, "priority": priority, "transport": "UDP"})


def inbound(est, to=NUMBER, hold_ms=100):
    return est.admin("POST", "/sip/inbound", {"to": to, "from": CALLER, "hold_ms": hold_ms})


def test_inbound_to_a_static_endpoint_is_answered_held_and_hung_up(est, edge):
    trunk = est.trunk("in-trunk")
    est.route(NUMBER, trunk["id"])
    uas = Uas(edge.sip_port)
    try:
        endpoint(est, trunk, uas, 1)
        result = inbound(est)
    finally:
        uas.stop()
    assert result["final"] == 200 and result["attempts"] == [{"address": "127.0.0.1", "port": uas.ua.port, "code": 200}]
    assert uas.seen[:3] == ["INVITE", "ACK", "BYE"]
    (call,) = est.calls()
    assert call["direction"] == "INBOUND" and call["callResult"] == "COMPLETED" and call["callId"] == result["call_id"]


def test_the_backup_takes_the_call_when_the_primary_fails_or_times_out(est, edge):
    trunk = est.trunk("failover-trunk")
    est.route(NUMBER, trunk["id"])
    silent, failing, backup = Uas(edge.sip_port, None), Uas(edge.sip_port, 503), Uas(edge.sip_port, 200)
    try:
        endpoint(est, trunk, silent, 1)
        endpoint(est, trunk, failing, 2)
        endpoint(est, trunk, backup, 3)
        result = inbound(est)
    finally:
        for uas in (silent, failing, backup):
            uas.stop()
    assert [a["code"] for a in result["attempts"]] == [408, 503, 200] and result["final"] == 200
    assert len(est.calls()) == 1


def test_equal_priorities_take_turns(est, edge):
    trunk = est.trunk("rr-trunk")
    est.route(NUMBER, trunk["id"])
    a, b = Uas(edge.sip_port), Uas(edge.sip_port)
    try:
        endpoint(est, trunk, a, 1, "a")
        endpoint(est, trunk, b, 1, "b")
        ports = [inbound(est, hold_ms=0)["attempts"][0]["port"] for _ in range(4)]
    finally:
        a.stop()
        b.stop()
    assert ports == [a.ua.port, b.ua.port, a.ua.port, b.ua.port]


def test_busy_endpoint_ends_the_call_without_failover(est, edge):
    trunk = est.trunk("busy-trunk")
    est.route(NUMBER, trunk["id"])
    busy, backup = Uas(edge.sip_port, 486), Uas(edge.sip_port, 200)
    try:
        endpoint(est, trunk, busy, 1)
        endpoint(est, trunk, backup, 2)
        result = inbound(est)
    finally:
        busy.stop()
        backup.stop()
    assert result["final"] == 486 and len(result["attempts"]) == 1
    assert est.calls()[0]["callResult"] == "BUSY"


def test_unrouted_number_404_no_endpoint_503_unreachable_408(est, edge):
    assert inbound(est, to="+14155550000")["final"] == 404
    trunk = est.trunk("empty-trunk")
    est.route(NUMBER, trunk["id"])
    assert inbound(est)["final"] == 503
    est.call("POST", f"/trunks/{trunk['id']}/endpoints", {"name": "doc", "address": "198.51.100.7", "port": 5060,
                                                          "priority": 1})
    result = inbound(est)
    assert result["attempts"] == [{"address": "198.51.100.7", "port": 5060, "code": 408}] and result["final"] == 503
    assert [c["callResult"] for c in est.calls()] == ["FAILED", "FAILED"], "a number routed nowhere leaves no record"


def test_inbound_blocking_rule_refuses_before_any_endpoint(est, edge):
    trunk = est.trunk("blocked-trunk")
    est.route(NUMBER, trunk["id"])
    uas = Uas(edge.sip_port)
    try:
        endpoint(est, trunk, uas, 1)
        est.call("POST", "/callBlockingRules", {"name": "uk", "direction": "INBOUND", "callerMatch": "+44"})
        result = inbound(est)
    finally:
        uas.stop()
    assert result["final"] == 403 and result["attempts"] == [] and uas.seen == []


def register(ua, trunk, username, password, expires=60):
    uri = f"sip:{trunk['domain']}"
    aor = f"sip:{username}@{trunk['domain']}"
    sent = ua.request("REGISTER", uri, aor, aor, extra=[f"Expires: {expires}"])
    challenge, _ = ua.final()
    assert challenge["status"] == 401
    auth = digest_answer(header(challenge, "www-authenticate"), "REGISTER", uri, username, password)
    ua.request("REGISTER", uri, aor, aor, call_id=sent["call_id"], cseq=2,
               extra=[f"Expires: {expires}", f"Authorization: {auth}"])
    final, _ = ua.final()
    return final


def test_register_200_only_for_a_bound_username_that_an_endpoint_uses(est, edge):
    trunk = est.trunk("reg-trunk", usernames=["pbx-user", "spare-user"])
    est.call("POST", f"/trunks/{trunk['id']}/endpoints", {"name": "reg", "isRegistered": True,
                                                          "credentialUsername": "pbx-user", "priority": 1})
    ua = Client(edge.sip_port)
    try:
        assert register(ua, trunk, "pbx-user", "Wrong-Pass-999")["status"] == 401
        assert register(ua, trunk, "spare-user", PASSWORD)["status"] == 401, "no endpoint uses spare-user"
        ok = register(ua, trunk, "pbx-user", PASSWORD, expires=60)
        assert ok["status"] == 200 and "expires=60" in header(ok, "contact")
        (reg,) = est.admin("GET", "/registrations")["registrations"]
        assert reg["username"] == "pbx-user" and reg["trunk_id"] == trunk["id"] and 55 <= reg["expires"] <= 60
        assert register(ua, trunk, "pbx-user", PASSWORD, expires=0)["status"] == 200
        assert est.admin("GET", "/registrations")["registrations"] == []
    finally:
        ua.close()


def test_register_401_when_the_list_is_not_bound(est, edge):
    trunk = est.trunk("unbound-trunk")
    est.call("POST", "/credentialLists", {"name": "loose", "credentials": [{"username": "u1", "password": PASSWORD}]})
    est.call("POST", f"/trunks/{trunk['id']}/endpoints", {"name": "reg", "isRegistered": True,
                                                          "credentialUsername": "u1", "priority": 1})
    ua = Client(edge.sip_port)
    try:
        assert register(ua, trunk, "u1", PASSWORD)["status"] == 401
    finally:
        ua.close()


def test_inbound_reaches_a_registered_endpoint_at_its_contact(est, edge):
    trunk = est.trunk("contact-trunk", usernames=["pbx-user"])
    est.route(NUMBER, trunk["id"])
    est.call("POST", f"/trunks/{trunk['id']}/endpoints", {"name": "reg", "isRegistered": True,
                                                          "credentialUsername": "pbx-user", "priority": 1})
    assert inbound(est)["final"] == 503, "not registered: no active endpoint"
    ua = Client(edge.sip_port)
    assert register(ua, trunk, "pbx-user", PASSWORD)["status"] == 200
    uas = Uas(edge.sip_port, ua=ua)  # answers on the registered contact
    try:
        result = inbound(est)
    finally:
        uas.stop()
    assert result["final"] == 200 and result["attempts"][0]["port"] == ua.port


def test_acl_changes_reach_the_edge_after_the_edge_delay(tmp_path):
    emu = EmulatorProcess("--sip-port", "0", "--edge-delay", "30")
    try:
        est = Est(emu.url)
        trunk = est.trunk("late-trunk", acl_ips=["127.0.0.1"])
        ua = Client(emu.sip_port)
        try:
            ua.request("INVITE", f"sip:+14155550123@{trunk['domain']}", f"sip:+14155550100@{trunk['domain']}",
                       f"sip:+14155550123@{trunk['domain']}")
            assert ua.final()[0]["status"] == 403, "the new ACL has not reached the edge yet"
            est.admin("POST", "/time", {"offset_seconds": 31})
            ua.request("INVITE", f"sip:+14155550123@{trunk['domain']}", f"sip:+14155550100@{trunk['domain']}",
                       f"sip:+14155550123@{trunk['domain']}")
            assert ua.final()[0]["status"] == 200, "30 s later it has"
        finally:
            ua.close()
    finally:
        requests.post(emu.url + "/_emulator/time", json={"offset_seconds": 0}, timeout=5)
        assert emu.stop() == 0


def test_in_dialog_requests_follow_the_record_route(est, edge):
    """The 200 names a proxy in Record-Route: the edge's ACK and BYE go to it, with a Route header."""
    trunk = est.trunk("rr-proxy-trunk")
    est.route(NUMBER, trunk["id"])
    proxy = Client(edge.sip_port)
    uas = Uas(edge.sip_port, record_route=f"<sip:127.0.0.1:{proxy.port};lr>")
    try:
        endpoint(est, trunk, uas, 1)
        result = inbound(est, hold_ms=50)
        ack, bye = proxy.read(), proxy.read()
    finally:
        uas.stop()
        proxy.close()
    assert [ack["method"], bye["method"]] == ["ACK", "BYE"]
    assert header(bye, "route") == f"<sip:127.0.0.1:{proxy.port};lr>" and bye["uri"].startswith("sip:uas@")
    assert header(bye, "cseq") == "2 BYE"
    assert result["final"] == 200 and "BYE" not in uas.seen, "nothing bypassed the proxy"


def test_inbound_to_a_tcp_endpoint(est, edge):
    """The edge opens a TCP connection to the endpoint and speaks the whole call on it."""
    trunk = est.trunk("tcp-in-trunk")
    est.route(NUMBER, trunk["id"])
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    est.call("POST", f"/trunks/{trunk['id']}/endpoints", {"name": "tcp", "address": "127.0.0.1", "port": port,
                                                          "priority": 1, "transport": "TCP"})
    seen = []

    def serve():
        conn, _ = listener.accept()
        ua = Client.over(conn)
        while len(seen) < 3:
            msg = ua.read(3)
            if msg is None:
                break
            seen.append(msg["method"])
            if msg["method"] == "INVITE":
                ua.respond(msg, 200, "OK", body=SDP)
            elif msg["method"] == "BYE":
                ua.respond(msg, 200, "OK")
        conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        result = inbound(est, hold_ms=50)
        thread.join(3)
    finally:
        listener.close()
    assert result["final"] == 200 and seen == ["INVITE", "ACK", "BYE"]
