"""The whole play from a fresh project: the trunk applied through the modules, the pre-flight, and
Kamailio on 127.0.0.1 through the role; a call from the PBX answered by the edge and listed by
est_call_info; an inbound call reaching the PBX; the second run changing nothing."""

from __future__ import annotations

import os

import pytest

from conftest import CALLER, NUMBERS, REPO, pbx_call

TRUNK = "sbc-acl"
TO = "+14155550123"


def play_vars(sbc, kamailio, **more):
    return {"sbc_trunk_host_name": TRUNK, "sbc_trunk_name": "SBC test trunk", "sbc_acl_name": "sbc-acl",
            "sbc_public_address": kamailio.address, "sbc_public_port": kamailio.port,
            "sbc_listen": f"{kamailio.address}:{kamailio.port}", "sbc_pbx": f"sip:127.0.0.1:{kamailio.pbx_port}",
            "sbc_credentials": [], "sbc_numbers": [NUMBERS["acl"]], "sbc_destinations": [TO],
            "kamailio_advertise": "", "kamailio_sinch_edge": [sbc.edge], "kamailio_config_dir": str(kamailio.config_dir),
            "kamailio_run": "process", "kamailio_install": False, **more}


@pytest.fixture(scope="module")
def applied(sbc):
    kamailio = sbc.kamailio("a")
    run = sbc.playbook(REPO / "playbooks" / "sbc_kamailio.yml", play_vars(sbc, kamailio))
    assert run.rc == 0, run
    # The API shows callsPerSecond read-only (Sinch support raises it); the tests call faster than 1/s.
    sbc.emulator.admin("PATCH", f"/trunks/{sbc.trunk_id(TRUNK)}", {"callsPerSecond": 50})
    return kamailio, run


def test_the_play_applies_the_trunk_and_starts_kamailio(sbc, applied):
    kamailio, run = applied
    state = sbc.state()
    trunk = next(t for t in state["trunks"] if t["hostName"] == TRUNK)
    acl = next(a for a in state["accessControlLists"] if a["name"] == "sbc-acl")
    ranges = [r for r in state["ipRanges"] if r["accessControlListId"] == acl["id"]]
    assert [(r["ipAddress"], r["range"]) for r in ranges] == [("127.0.0.1", 32)]
    endpoints = [e for e in state["endpoints"] if e["sipTrunkId"] == trunk["id"]]
    assert [(e["address"], e["port"]) for e in endpoints] == [("127.0.0.1", kamailio.port)]
    os.kill(kamailio.pid, 0)  # running
    cfg = (kamailio.config_dir / "kamailio.cfg").read_text()
    assert f'#!define SINCH_DOMAIN "{TRUNK}.pstn.sinch.com"' in cfg
    assert (kamailio.config_dir / "dispatcher.list").read_text().splitlines()[-1] == f"1 sip:{sbc.edge} 0 100"
    assert "Kamailio runs with edges sip:" + sbc.edge in run.output
    assert f"Trunk {TRUNK} ({TRUNK}.pstn.sinch.com): ACLs bound sbc-acl=127.0.0.1; credential lists bound none" in run.output


def test_a_call_from_the_pbx_is_answered_by_the_edge_and_listed(sbc, applied):
    kamailio, _run = applied
    call = pbx_call(sbc.pbx(kamailio), TO)
    assert call.rc == 0 and call.successful == 1, call
    assert call.received("200") == 2, call  # the INVITE's 200 and the BYE's
    records = [c for c in sbc.calls(TRUNK) if c["to"] == TO]
    assert len(records) == 1, records
    assert records[0]["direction"] == "OUTBOUND" and records[0]["call_result"] == "COMPLETED"
    assert records[0]["from"] == CALLER


def test_an_inbound_call_from_the_edge_reaches_the_pbx(sbc, applied):
    kamailio, _run = applied
    pbx = sbc.pbx(kamailio)
    uas = pbx.start("uas_answer.xml", port=kamailio.pbx_port, remote=False)
    uas.wait_ready()
    try:
        answer = sbc.emulator.admin("POST", "/sip/inbound", {"to": NUMBERS["acl"], "from": "+14155559999", "hold_ms": 300})
        seen = uas.wait(15)
    finally:
        pbx.stop_all()
    assert answer["final"] == 200, answer
    assert answer["attempts"] == [{"address": "127.0.0.1", "port": kamailio.port, "code": 200}], answer
    invite = next(m for m in seen.received_messages() if m.startswith("INVITE "))
    assert invite.startswith(f"INVITE sip:{NUMBERS['acl']}@127.0.0.1:{kamailio.pbx_port}"), invite
    assert f"Record-Route: <sip:127.0.0.1:{kamailio.port};lr" in invite, invite


def test_the_second_run_changes_nothing_and_keeps_kamailio_running(sbc, applied):
    kamailio, _run = applied
    pid = kamailio.pid
    run = sbc.playbook(REPO / "playbooks" / "sbc_kamailio.yml", play_vars(sbc, kamailio))
    assert run.rc == 0 and run.changed == 0, run
    assert kamailio.pid == pid


def test_check_mode_shows_the_change_and_installs_nothing(sbc, applied):
    kamailio, _run = applied
    before = (kamailio.config_dir / "kamailio.cfg").read_text()
    run = sbc.playbook(REPO / "playbooks" / "sbc_kamailio.yml", play_vars(sbc, kamailio, kamailio_edge_timeout=2500),
                       "--check", "--diff")
    assert run.rc == 0 and run.changed == 2, run  # kamailio.cfg, and the restart it would cause
    assert "-#!define EDGE_TIMEOUT 2000" in run.output and "+#!define EDGE_TIMEOUT 2500" in run.output, run
    assert "Kamailio would be restarted" in run.output, run
    assert (kamailio.config_dir / "kamailio.cfg").read_text() == before
