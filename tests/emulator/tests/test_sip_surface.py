"""The SIP edge's command-line and admin surface (the contract other suites are written against)."""

import pytest
import requests


from sipclient import Client, header


EDGE_ARGS = ("--sip-attempt-timeout", "0.5")


def test_health_reports_the_sip_port(edge):
    health = edge.admin("GET", "/health")
    assert health["sip"] == {"udp": edge.sip_port, "tcp": edge.sip_port} and edge.sip_port > 0


def test_health_reports_sip_off_without_the_option(emulator):
    assert emulator.admin("GET", "/health")["sip"] is None


def test_admin_edge_operations_refuse_when_the_edge_is_off(emulator):
    r = requests.post(emulator.url + "/_emulator/sip/inbound", json={"to": "+14155550100", "from": "+14155550101"},
                      timeout=10)
    assert r.status_code == 409 and "--sip-port" in r.json()["error"]


@pytest.mark.parametrize("transport", ["UDP", "TCP"])
def test_options_answers_200(edge, transport):
    ua = Client(edge.sip_port, transport)
    try:
        ua.request("OPTIONS", "sip:probe.pstn.sinch.com", "sip:sbc@127.0.0.1", "sip:probe.pstn.sinch.com")
        resp, _ = ua.final()
        assert resp["status"] == 200 and "INVITE" in header(resp, "allow")
    finally:
        ua.close()


def test_destinations_are_scripted_and_cleared(edge):
    body = {"prefix": "+4670", "answer_after_ms": 100, "busy": True}
    r = requests.post(edge.url + "/_emulator/sip/destinations", json=body, timeout=10)
    assert r.status_code == 200 and r.json()["destinations"][0]["busy"] is True
    bad = requests.post(edge.url + "/_emulator/sip/destinations", json={"prefix": "4670"}, timeout=10)
    assert bad.status_code == 400 and "prefix" in bad.json()["error"]
    assert requests.delete(edge.url + "/_emulator/sip/destinations", timeout=10).json() == {"destinations": []}


def test_registrations_lists_none_at_start(edge):
    edge.admin("POST", "/reset")
    assert edge.admin("GET", "/registrations") == {"registrations": []}


def test_calls_per_second_is_set_through_the_admin_api(edge):
    edge.admin("POST", "/reset")
    auth = ("demo-key", "demo-secret")
    trunk = requests.post(edge.url + "/v1/projects/demo-project/trunks", json={"name": "t", "hostName": "cps-t"},
                          auth=auth, timeout=10).json()
    r = requests.patch(edge.url + f"/_emulator/trunks/{trunk['id']}", json={"callsPerSecond": 25}, timeout=10)
    assert r.status_code == 200 and r.json()["callsPerSecond"] == 25
    got = requests.get(edge.url + f"/v1/projects/demo-project/trunks/{trunk['id']}", auth=auth, timeout=10).json()
    assert got["callsPerSecond"] == 25
    assert requests.patch(edge.url + "/_emulator/trunks/nope", json={"callsPerSecond": 2}, timeout=10).status_code == 404
    assert requests.patch(edge.url + f"/_emulator/trunks/{trunk['id']}", json={"callsPerSecond": 0},
                          timeout=10).status_code == 400
