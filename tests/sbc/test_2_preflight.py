"""est_trunk_check against what the edge then answers: for each problem with a SIP code, the
pre-flight names the code and a call (through Kamailio where an SBC is involved, else SIPp
straight at the edge) gets exactly that answer. The 403 of a second Kamailio on 127.0.0.2 is
fixed by adding its address to the ACL, after which its call goes through."""

from __future__ import annotations

import pytest

from conftest import NUMBERS, codes, domain, edge_call, pbx_call

PASSWORD = "Sbc01-Password-7b3e9"


@pytest.fixture(scope="module")
def cases(sbc, request):
    """Trunk sbc-acl (test_1) must exist; the cases playbook adds what the checks below need."""
    request.getfixturevalue("applied")
    run = sbc.playbook("cases.yml", {"sbc_password": PASSWORD, "sbc_numbers": NUMBERS})
    assert run.rc == 0, run
    return sbc


@pytest.fixture(scope="module")
def applied(sbc):
    """Kamailio A of test_1 (the play ran there)."""
    kamailio = sbc.kamailios.get("a")
    if kamailio is None or kamailio.pid is None:
        pytest.skip("needs test_1_play.py's trunk and Kamailio")
    return kamailio


def refused_with(run, code: str) -> None:
    assert run.rc == 0 and run.successful == 1, run
    assert run.received(code) == 1 and run.received("200") == 0, run


def test_a_kamailio_outside_the_acl_is_predicted_403_gets_403_and_passes_once_allowed(sbc, applied):
    kamailio = sbc.kamailio("b", "127.0.0.2")
    run = sbc.playbook("kamailio.yml", kamailio.role_vars("sbc-acl", [sbc.edge]))
    assert run.rc == 0, run
    [check] = sbc.check({"trunk": "sbc-acl", "sbc_addresses": ["127.0.0.2"]})
    assert check["ok"] is False and codes(check) == [403], check
    assert "sinch.est.est_ip_range acl=sbc-acl cidr=127.0.0.2/32" in check["problems"][0]["fix"], check
    refused_with(pbx_call(sbc.pbx(kamailio), "+14155550124"), "403")

    run = sbc.playbook("allow_address.yml", {"sbc_acl": "sbc-acl", "sbc_address": "127.0.0.2"})
    assert run.rc == 0, run
    [check] = sbc.check({"trunk": "sbc-acl", "sbc_addresses": ["127.0.0.2"]})
    assert check["ok"] is True and codes(check) == [], check
    call = pbx_call(sbc.pbx(kamailio), "+14155550125")
    assert call.rc == 0 and call.received("200") == 2, call


def test_each_predicted_code_is_what_the_edge_answers(cases, applied):
    sbc = cases
    acl, bare, digest = sbc.check(
        {"trunk": "sbc-acl", "destinations": ["+14165550126", "+19005550127", "+14155550128"]},
        {"trunk": "sbc-bare"},
        {"trunk": "sbc-digest", "usernames": ["spare01", "sbc02"]})
    # Canada is disabled (the US only), +1900 is blocked, +1415 is fine.
    assert codes(acl) == [403, 403], acl
    assert "(CA)" in acl["problems"][0]["cause"] and "block-premium" in acl["problems"][1]["cause"], acl
    pbx = sbc.pbx(applied)
    refused_with(pbx_call(pbx, "+14165550126"), "403")
    refused_with(pbx_call(pbx, "+19005550127"), "403")
    # A trunk with no endpoint and nothing bound: inbound 503, outbound 403.
    assert sorted(codes(bare)) == [403, 503], bare
    inbound = sbc.emulator.admin("POST", "/sip/inbound", {"to": NUMBERS["bare"], "from": "+14155559998", "hold_ms": 100})
    assert inbound["final"] == 503, inbound
    refused_with(edge_call(sbc, "sbc-bare", "+14155550129"), "403")
    # A username whose list is not bound to the trunk (error), and one in the bound list that no
    # registered endpoint uses (warning): REGISTER 401 for both, with the right password.
    problems = [(p["sip_code"], p["severity"]) for p in digest["problems"] if p["sip_code"]]
    assert problems == [(401, "error"), (401, "warning")], digest
    assert "sinch.est.est_trunk_credential_lists trunk=sbc-digest" in digest["problems"][0]["fix"]
    for username in ("spare01", "sbc02"):
        run = sbc.edge_runner.run("register_refused.xml", keys={"trunk": domain("sbc-digest"), "user": username, "expires": 120},
                                  extra=("-au", username, "-ap", PASSWORD))
        sbc.edge_runner.stop_all()
        assert run.rc == 0 and run.received("401") == 2 and run.received("200") == 0, (username, run)
