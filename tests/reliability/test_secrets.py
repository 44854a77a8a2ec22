"""Secrets: the key secret, credential passwords and bearer tokens appear nowhere but on the wire."""

from __future__ import annotations

import json
import re

from conftest import PASSWORD, SECRET, run_playbook, write_playbook
from site_state import SITE

JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.")


def leaks(text: str) -> list:
    found = [secret for secret in (SECRET, PASSWORD) if secret in text]
    found += JWT.findall(text)
    return found


def test_site_run_with_max_verbosity_and_diff_leaks_nothing(fresh):
    fresh.seed_site_numbers()
    outputs = [run_playbook(fresh, SITE, "-vvv", "--diff").output,
               run_playbook(fresh, SITE, "-vvv", "--diff", "--check").output]
    fresh.faults(rate=0.3, statuses=[503], after_commit_rate=0.2, seed=5)
    outputs.append(run_playbook(fresh, SITE, "-vvv", "--diff", SINCH_API_RETRIES="0").output)
    fresh.admin("DELETE", "/faults")
    assert all(len(output) > 1000 for output in outputs)
    for output in outputs:
        assert leaks(output) == []


def test_password_rotation_in_diff_mode_shows_no_password(fresh, tmp_path):
    fresh.seed_site_numbers()
    assert run_playbook(fresh, SITE).rc == 0
    rotate = write_playbook(tmp_path / "rotate.json", [{
        "name": "Rotate", "sinch.est.est_credential_list": {
            "name": "pbx-users", "update_password": "always",
            "credentials": [{"username": "pbx01", "password": PASSWORD + "-next"}]}}])
    run = run_playbook(fresh, rotate, "-vvv", "--diff")
    assert run.rc == 0, run
    assert leaks(run.output) == [] and PASSWORD + "-next" not in run.output


def test_failures_leak_nothing(fresh, tmp_path):
    bad_key = run_playbook(fresh, write_playbook(tmp_path / "p.json", [{
        "name": "Read", "sinch.est.est_trunk_info": {}}]), "-vvv", SINCH_KEY_SECRET=SECRET + "-wrong")
    assert bad_key.rc != 0
    assert leaks(bad_key.output) == [] and SECRET + "-wrong" not in bad_key.output


def test_request_log_holds_no_secret(fresh):
    fresh.seed_site_numbers()
    assert run_playbook(fresh, SITE).rc == 0
    assert leaks(json.dumps(fresh.requests_log())) == []
