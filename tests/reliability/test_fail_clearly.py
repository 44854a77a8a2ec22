"""Faults that must fail clearly, and not guess: the message says what, where and how often."""

from __future__ import annotations

import http.server
import shutil
import socket
import ssl
import subprocess
import threading
import time

import pytest

from conftest import run_playbook, write_playbook


def one_task(tmp_path, module_args: dict, module: str = "sinch.est.est_trunk_info"):
    return write_playbook(tmp_path / "play.json", [{"name": "The task", module: module_args}])


class BrokenApi(http.server.BaseHTTPRequestHandler):
    """Answers every request with the body this server was given."""

    body = b""
    content_type = "application/json"

    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.send_response(200)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def broken_api():
    servers = []

    def start(body: bytes, content_type: str = "application/json") -> str:
        handler = type("Handler", (BrokenApi,), {"body": body, "content_type": content_type})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()


@pytest.mark.parametrize("body, content_type, expected", [
    (b"<html>maintenance</html>", "text/html", "JSON"),
    (b'{"trunks": [{"id": "t1", "hostName": "a"', "application/json", "JSON"),
])
def test_unreadable_body_fails_naming_the_request(fresh, tmp_path, broken_api, body, content_type, expected):
    url = broken_api(body, content_type)
    run = run_playbook(fresh, one_task(tmp_path, {}), SINCH_EST_API_URL=url, SINCH_ACCESS_TOKEN="opaque-token")
    assert run.rc != 0
    assert expected in run.output
    assert "GET /v1/projects/demo-project/trunks" in run.output


def test_client_error_is_not_retried_and_shows_the_api_answer(fresh, tmp_path):
    fresh.faults(rate=1.0, statuses=[400], seed=1, path_regex="/trunks")
    run = run_playbook(fresh, one_task(tmp_path, {}))
    reads = [r for r in fresh.requests_log() if r["path"].endswith("/trunks")]
    assert run.rc != 0
    assert len(reads) == 1
    assert "HTTP 400" in run.output and "INVALID_ARGUMENT" in run.output
    assert "1 attempt" in run.output


def test_retries_exhausted_say_how_many_attempts(fresh, tmp_path):
    fresh.faults(rate=1.0, statuses=[503], seed=1, path_regex="/trunks")
    run = run_playbook(fresh, one_task(tmp_path, {}), SINCH_API_RETRIES="2")
    assert run.rc != 0
    assert "3 attempts" in run.output
    assert "503" in run.output


def test_retry_deadline_stops_retrying_in_time(fresh, tmp_path):
    fresh.faults(rate=1.0, statuses=[429], retry_after=30, seed=1, path_regex="/trunks")
    started = time.monotonic()
    run = run_playbook(fresh, one_task(tmp_path, {}), SINCH_API_RETRY_DEADLINE="3")
    assert run.rc != 0
    assert time.monotonic() - started < 30
    assert "429" in run.output
    assert "deadline" in run.output


def test_server_down_longer_than_the_deadline_fails_with_attempts(fresh, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{closed_port}"
    run = run_playbook(fresh, one_task(tmp_path, {}), SINCH_EST_API_URL=url, SINCH_AUTH_URL=url,
                       SINCH_API_RETRY_DEADLINE="3")
    assert run.rc != 0
    assert "attempt" in run.output


def test_a_loop_against_a_stopped_api_fails_fast_with_one_clear_message_per_item(fresh, tmp_path):
    # A refused connection is retried for at most 1 s per task, not the full retry policy (which once
    # made a 25-item loop take 219 s to fail). What Ansible itself costs per item depends on the
    # machine's load, so the loop is timed against the same loop failing before any request.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{closed_port}"

    def timed_loop(name, **module_args):
        playbook = write_playbook(tmp_path / f"{name}.json", [
            {"name": "Read a trunk per item", "sinch.est.est_trunk_info": dict(module_args, host_name="acme-{{ item }}"),
             "loop": "{{ range(20) | list }}"}])
        started = time.monotonic()
        run = run_playbook(fresh, playbook, SINCH_EST_API_URL=url, SINCH_AUTH_URL=url, SINCH_NUMBERS_API_URL=url)
        return run, time.monotonic() - started

    baseline, baseline_seconds = timed_loop("invalid", timeout=-1)
    run, elapsed = timed_loop("refused")
    assert run.rc != 0 and baseline.rc != 0
    item_failures = [line for line in run.output.splitlines() if line.startswith("failed: [localhost] (item=")]
    assert len(item_failures) == 20
    assert all("connection failed" in line and "refused" in line and "1s per task" in line for line in item_failures)
    # 1 s of retrying per item, and some slack; the full policy would add up to minutes.
    assert elapsed - baseline_seconds < 20 * 1.5, f"refused: {elapsed:.0f} s, failing before any request: {baseline_seconds:.0f} s"


def test_plain_http_to_a_remote_host_is_refused_before_any_request(fresh, tmp_path):
    run = run_playbook(fresh, one_task(tmp_path, {}), SINCH_EST_API_URL="http://est-api.example.invalid")
    assert run.rc != 0
    assert "api_url" in run.output and "allow_insecure_http" in run.output


@pytest.fixture
def self_signed_https(tmp_path, broken_api):
    """An HTTPS server on loopback whose certificate no store trusts."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True)
    handler = type("Handler", (BrokenApi,), {"body": b'{"trunks": [], "totalItems": 0}'})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(tmp_path / "cert.pem"), str(tmp_path / "key.pem"))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_certificates_are_verified_by_default(fresh, tmp_path, self_signed_https):
    refused = run_playbook(fresh, one_task(tmp_path, {}), SINCH_EST_API_URL=self_signed_https,
                           SINCH_ACCESS_TOKEN="opaque-token", SINCH_API_RETRY_DEADLINE="3")
    accepted = run_playbook(fresh, one_task(tmp_path, {"validate_certs": False}), SINCH_EST_API_URL=self_signed_https,
                            SINCH_ACCESS_TOKEN="opaque-token")
    assert refused.rc != 0 and "CERTIFICATE_VERIFY_FAILED" in refused.output
    assert accepted.rc == 0, accepted
