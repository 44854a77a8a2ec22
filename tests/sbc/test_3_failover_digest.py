"""Kamailio's own behaviour: failover to the next edge when the first does not answer; digest
answers and a registration to Sinch on a trunk without an ACL, and an inbound call reaching the
PBX through that registration."""

from __future__ import annotations

import pytest

from conftest import NUMBERS, free_port, pbx_call

PASSWORD = "Sbc01-Password-7b3e9"  # test_2's cases.yml wrote it into credential list sbc-digest


def test_a_dead_first_edge_fails_over_to_the_second(sbc):
    kamailio = sbc.kamailios.get("a")
    if kamailio is None or kamailio.pid is None:
        pytest.skip("needs test_1_play.py's trunk and Kamailio")
    dead = f"127.0.0.1:{free_port()}"  # nothing listens there: no answer at all
    pid = kamailio.pid
    run = sbc.playbook("kamailio.yml", kamailio.role_vars("sbc-acl", [dead, sbc.edge]))
    assert run.rc == 0 and kamailio.pid != pid, run  # the new configuration restarted it
    call = pbx_call(sbc.pbx(kamailio), "+14155550130", timeout=30)
    assert call.rc == 0 and call.received("200") == 2, call
    assert f"edge failed, trying the next one: sip:{sbc.edge}" in kamailio.log()


def test_digest_and_registration_on_a_trunk_without_acl(sbc):
    if "sbc-digest" not in [t["hostName"] for t in sbc.state()["trunks"]]:
        pytest.skip("needs test_2_preflight.py's cases")
    sbc.emulator.admin("PATCH", f"/trunks/{sbc.trunk_id('sbc-digest')}", {"callsPerSecond": 50})
    kamailio = sbc.kamailio("d")
    credentials = [{"username": "sbc01", "password": PASSWORD}]
    run = sbc.playbook("kamailio.yml", kamailio.role_vars("sbc-digest", [sbc.edge], credentials))
    assert run.rc == 0, run
    assert PASSWORD not in run.output
    registrations = [r for r in sbc.emulator.admin("GET", "/registrations")["registrations"] if r["username"] == "sbc01"]
    assert len(registrations) == 1 and f"127.0.0.1:{kamailio.port}" in registrations[0]["contact"], registrations

    call = pbx_call(sbc.pbx(kamailio), "+14155550131")
    assert call.rc == 0 and call.received("200") == 2, call  # challenged by the edge, answered by Kamailio

    pbx = sbc.pbx(kamailio)
    uas = pbx.start("uas_answer.xml", port=kamailio.pbx_port, remote=False)
    uas.wait_ready()
    try:
        answer = sbc.emulator.admin("POST", "/sip/inbound", {"to": NUMBERS["digest"], "from": "+14155559997", "hold_ms": 300})
        uas.wait(15)
    finally:
        pbx.stop_all()
    assert answer["final"] == 200 and answer["attempts"][0]["port"] == kamailio.port, answer
