"""`est-emulator` started with a bad port, a port in use or a missing --config: one line naming the
problem on stderr, exit status 2, no traceback."""

import json
import socket
import subprocess
import sys

import pytest


def start(*args, timeout=30):
    return subprocess.run([sys.executable, "-m", "est_emulator", "--host", "127.0.0.1", *args],
                          capture_output=True, text=True, timeout=timeout, check=False)


def one_line_failure(result, *words):
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("est-emulator: "), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    for word in words:
        assert word in lines[0]
    return lines[0]


@pytest.mark.parametrize("port", ["99999", "-1", "65536"])
def test_a_port_out_of_range(port):
    one_line_failure(start("--port", port), f"--port {port}", "0..65535")


def test_a_port_in_use():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        one_line_failure(start("--port", str(port)), f"cannot listen on 127.0.0.1:{port}", "in use")


def test_a_missing_config(tmp_path):
    missing = tmp_path / "nope.json"
    one_line_failure(start("--port", "0", "--config", str(missing)), f"--config {missing}", "No such file")


@pytest.mark.parametrize("content, words", [
    ("{not json", ["not valid JSON"]),
    ("[]", ["JSON object"]),
    (json.dumps({"projects": []}), ["lists no projects"]),
    (json.dumps({"projects": [{"keys": []}]}), ["each project needs an id"]),
    (json.dumps({"projects": [{"id": "p"}], "token_bucket": -1}), ["token_bucket must be a number >= 0"]),
])
def test_a_bad_config(tmp_path, content, words):
    config = tmp_path / "config.json"
    config.write_text(content, encoding="utf-8")
    one_line_failure(start("--port", "0", "--config", str(config)), *words)
