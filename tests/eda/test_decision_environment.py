"""extensions/eda/decision-environment.yml gives ansible-builder a build context with what the source needs."""

from __future__ import annotations

import subprocess

import yaml

from conftest import BIN, REPO


def test_the_decision_environment_context_has_the_rulebook_java_and_the_collection(tmp_path):
    run = subprocess.run([str(BIN / "ansible-builder"), "create", "-f", str(REPO / "extensions/eda/decision-environment.yml"),
                          "-c", str(tmp_path / "context")], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    build = tmp_path / "context" / "_build"
    assert "ansible-rulebook" in (build / "requirements.txt").read_text()
    assert "java-17-openjdk" in (build / "bindep.txt").read_text()
    assert {"name": "sinch.est", "version": ">=0.1.0"} in yaml.safe_load((build / "requirements.yml").read_text())["collections"]
    containerfile = (tmp_path / "context" / "Dockerfile").read_text()
    assert "ansible-core" in containerfile and "ansible-runner" in containerfile
