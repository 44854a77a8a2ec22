"""REGISTER at the edge: 401 challenge with the trunk's realm, then 200 only for a bound list's user."""

from __future__ import annotations

import re

from conftest import domain


def register(sipp, scenario, trunk, user, password):
    return sipp.run(scenario, keys={"trunk": domain(trunk), "user": user, "expires": 120},
                    extra=("-au", user, "-ap", password))


def challenge_realms(run) -> list[str]:
    return re.findall(r'^WWW-Authenticate:\s*Digest.*?realm="([^"]+)"', "\n".join(run.received_messages()), re.M | re.I)


def test_register_with_a_bound_list_is_accepted(sip, sipp):
    run = register(sipp, "register_ok.xml", "sipp-reg", "phone01", sip.password)
    assert run.rc == 0 and run.successful == 1, run
    assert run.received("401") == 1 and run.received("200") == 1, run
    assert challenge_realms(run) == [domain("sipp-reg")], run
    active = sip.emulator.admin("GET", "/registrations")["registrations"]
    mine = [r for r in active if r["username"] == "phone01"]
    assert len(mine) == 1, active
    assert mine[0]["trunk_id"] == sip.emulator.trunk_id("sipp-reg")
    assert f"127.0.0.1:{run.port}" in mine[0]["contact"] and mine[0]["expires"] > 0, mine


def test_register_with_a_list_not_bound_is_refused(sip, sipp):
    run = register(sipp, "register_refused.xml", "sipp-unbound", "phone02", sip.password)
    assert run.rc == 0 and run.successful == 1, run
    assert run.received("401") == 2 and run.received("200") == 0, run
    assert challenge_realms(run)[0] == domain("sipp-unbound"), run
    assert not [r for r in sip.emulator.admin("GET", "/registrations")["registrations"] if r["username"] == "phone02"]


def test_register_with_a_wrong_password_is_refused(sip, sipp):
    run = register(sipp, "register_refused.xml", "sipp-reg", "phone01", sip.password + "-wrong")
    assert run.rc == 0 and run.successful == 1, run
    assert run.received("401") == 2 and run.received("200") == 0, run


def test_options_is_answered(sip, sipp):
    run = sipp.run("options.xml", keys={"trunk": domain("sipp-acl")})
    assert run.rc == 0 and run.received("200") == 1, run
