"""SIPp (Debian's sip-tester) against the edge: digest REGISTER and INVITE answered by SIPp's own
[authentication] from -au/-ap, and SIPp's built-in UAS as an inbound endpoint. The full SIPp suite
is tests/sip; this proves the edge interoperates with a real SIP stack."""

import shutil
import socket
import subprocess
from pathlib import Path

import pytest


from sipstate import PASSWORD

SIPP = shutil.which("sipp")
SCENARIOS = Path(__file__).resolve().parent / "sipp"
pytestmark = pytest.mark.skipif(SIPP is None, reason="sipp (Debian sip-tester) is not installed")


def free_port():
    """A port free for UDP and TCP on 127.0.0.1 (SIPp binds both for -p in some modes)."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            with socket.socket() as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port


def sipp_args(edge, *args, transport="u1", timeout=15):
    return [SIPP, *args, "-i", "127.0.0.1", "-p", str(free_port()), "-mp", str(free_port()),
            "-ci", "127.0.0.1", "-cp", str(free_port()), "-t", transport, "-m", "1", "-timeout", str(timeout),
            "-timeout_error", "-nostdin", "-nd"]


def run_sipp(edge, trunk, scenario, transport="u1", **kw):
    args = sipp_args(edge, "-sf", str(SCENARIOS / scenario), "-s", trunk["domain"], transport=transport,
                     timeout=kw.get("timeout", 15))
    args += ["-inf", str(SCENARIOS / "users.csv"), "-au", kw.get("user", "pbx-user"),
             "-ap", kw.get("password", PASSWORD), f"127.0.0.1:{edge.sip_port}"]
    return subprocess.run(args, capture_output=True, text=True, timeout=30, cwd=kw["cwd"], check=False)


EDGE_ARGS = ("--sip-attempt-timeout", "2")



@pytest.mark.parametrize("transport", ["u1", "t1"])
def test_sipp_registers_with_digest(est, edge, tmp_path, transport):
    trunk = est.trunk("sipp-reg", usernames=["pbx-user"])
    est.call("POST", f"/trunks/{trunk['id']}/endpoints", {"name": "ua", "isRegistered": True,
                                                          "credentialUsername": "pbx-user", "priority": 1})
    done = run_sipp(edge, trunk, "register.xml", transport, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (reg,) = est.admin("GET", "/registrations")["registrations"]
    assert reg["username"] == "pbx-user"


def test_sipp_wrong_password_is_refused(est, edge, tmp_path):
    trunk = est.trunk("sipp-bad", usernames=["pbx-user"])
    est.call("POST", f"/trunks/{trunk['id']}/endpoints", {"name": "ua", "isRegistered": True,
                                                          "credentialUsername": "pbx-user", "priority": 1})
    done = run_sipp(edge, trunk, "register.xml", password="Wrong-Pass-999", timeout=2, cwd=tmp_path)
    assert done.returncode != 0 and est.admin("GET", "/registrations")["registrations"] == []


@pytest.mark.parametrize("transport", ["u1", "t1"])
def test_sipp_call_answers_407_with_digest_and_leaves_one_record(est, edge, tmp_path, transport):
    trunk = est.trunk("sipp-call", usernames=["pbx-user"])
    done = run_sipp(edge, trunk, "invite_digest.xml", transport, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (call,) = est.calls()
    assert call["callResult"] == "COMPLETED" and call["direction"] == "OUTBOUND"


def test_sipp_uas_takes_an_inbound_call(est, edge, tmp_path):
    trunk = est.trunk("sipp-uas")
    est.route("+14155550199", trunk["id"])
    args = sipp_args(edge, "-sf", str(SCENARIOS / "uas.xml"))
    port = int(args[args.index("-p") + 1])
    est.call("POST", f"/trunks/{trunk['id']}/endpoints", {"name": "uas", "address": "127.0.0.1", "port": port,
                                                          "priority": 1})
    uas = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        result = est.admin("POST", "/sip/inbound", {"to": "+14155550199", "from": "+442071838750", "hold_ms": 200})
        status = uas.wait(20)
    finally:
        if uas.poll() is None:
            uas.kill()
            uas.wait()
    assert result["final"] == 200 and result["attempts"] == [{"address": "127.0.0.1", "port": port, "code": 200}]
    assert status == 0, "SIPp's UAS saw INVITE, ACK and BYE as its scenario expects"
    (call,) = est.calls()
    assert call["direction"] == "INBOUND" and call["callResult"] == "COMPLETED"
