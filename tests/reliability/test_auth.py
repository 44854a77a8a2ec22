"""Auth: tokens renewed mid-run, wrong keys fail once per task, projects stay isolated."""

from __future__ import annotations

import pytest

from conftest import KEY, OTHER_KEY, OTHER_SECRET, PROJECT, SECRET, Emulator, run_playbook, write_playbook
from site_state import SITE, site_state_problems


@pytest.fixture
def short_lived_tokens(tmp_path):
    process = Emulator(tmp_path, "--token-ttl", "1")
    yield process
    process.stop()


def test_token_expiring_mid_run_is_renewed(short_lived_tokens):
    short_lived_tokens.seed_site_numbers()
    # site.yml is one est_site task now: slow each request so that one task outlives its token.
    short_lived_tokens.faults(latency_ms=150)
    run = run_playbook(short_lived_tokens, SITE)
    assert run.rc == 0, run
    assert site_state_problems(short_lived_tokens.state()) == []
    log = short_lived_tokens.requests_log()
    expired = [r for r in log if r["status"] == 401]
    tokens = [r for r in log if r["path"] == "/oauth2/token"]
    assert expired, "the run was too short for a token to expire: lower --token-ttl"
    assert len(tokens) > 1


def test_wrong_secret_fails_each_task_once_without_a_retry_storm(fresh, tmp_path):
    tasks = [{"name": f"Task {index}", module: {}, "ignore_errors": True, "register": f"r{index}"}
             for index, module in enumerate(["sinch.est.est_trunk_info", "sinch.est.est_acl_info", "sinch.est.est_country_permission_info"])]
    tasks.append({"name": "Every task failed unauthenticated", "ansible.builtin.assert": {"that": [
        f"r{index} is failed and 'UNAUTHENTICATED' in r{index}.msg and '{KEY}' in r{index}.msg" for index in range(3)]}})
    run = run_playbook(fresh, write_playbook(tmp_path / "p.json", tasks), SINCH_KEY_SECRET="not-the-secret")
    assert run.rc == 0, run
    log = fresh.requests_log()
    assert [r["path"] for r in log] == ["/oauth2/token"] * 3


def test_another_projects_key_can_neither_read_nor_change_this_project(fresh, tmp_path):
    assert fresh.api("POST", "/trunks", {"name": "Mine", "hostName": "it-mine"}).status_code == 201
    tasks = [
        {"name": "Read", "sinch.est.est_trunk_info": {}, "ignore_errors": True, "register": "read"},
        {"name": "Change", "sinch.est.est_trunk": {"host_name": "it-mine", "name": "Theirs"}, "ignore_errors": True, "register": "change"},
        {"name": "Both refused", "ansible.builtin.assert": {"that": [
            "read is failed and 'PERMISSION_DENIED' in read.msg", "change is failed and 'PERMISSION_DENIED' in change.msg"]}},
    ]
    for auth_method in ("oauth2", "basic"):
        run = run_playbook(fresh, write_playbook(tmp_path / "p.json", tasks), SINCH_KEY_ID=OTHER_KEY,
                           SINCH_KEY_SECRET=OTHER_SECRET, SINCH_AUTH_METHOD=auth_method)
        assert run.rc == 0, run
    assert [t["name"] for t in fresh.state(PROJECT)["trunks"]] == ["Mine"]
    assert SECRET not in run.output


@pytest.fixture
def tight_token_limit(tmp_path):
    # Sinch's own limit is a bucket of 30 refilled at 10 a second; forty runs that start within a
    # second or two on this machine may all fit in it, so the bucket here is smaller to be sure the
    # run meets empty-bucket 429s (which, like Sinch's, carry no Retry-After).
    process = Emulator(tmp_path, "--token-bucket", "10", "--token-refill", "5")
    yield process
    process.stop()


def test_forty_runs_at_once_against_one_key_all_succeed(tight_token_limit, tmp_path):
    """AWX with many forks: forty module runs, each fetching a token, all start together."""
    inventory = tmp_path / "hosts.ini"
    inventory.write_text("\n".join(f"fork{index} ansible_connection=local" for index in range(40)) + "\n")
    playbook = write_playbook(tmp_path / "forks.json", [
        {"name": "Read the trunks", "sinch.est.est_trunk_info": {}, "register": "trunks"},
        {"name": "Each read succeeded", "ansible.builtin.assert": {"that": ["trunks.trunks == []"]}}])
    play = playbook.read_text().replace('"hosts": "localhost"', '"hosts": "fork*"')
    playbook.write_text(play)
    run = run_playbook(tight_token_limit, playbook, "-i", str(inventory), "--forks", "40")
    assert run.rc == 0, run
    assert run.output.count("ok: [fork") >= 80, run
    tokens = [entry for entry in tight_token_limit.requests_log() if entry["path"] == "/oauth2/token"]
    assert len([entry for entry in tokens if entry["status"] == 200]) == 40
    assert [entry for entry in tokens if entry["status"] == 429], "no run met an empty bucket: the test proves nothing"
