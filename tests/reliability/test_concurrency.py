"""Concurrency: parallel runs never duplicate a trunk; duplicated names are detected, never guessed."""

from __future__ import annotations

import subprocess

from conftest import BIN, REPO, connection_env, run_playbook, write_playbook


def test_two_runs_creating_the_same_trunk_end_with_one_trunk(fresh, tmp_path):
    tasks = [{"name": "Trunk", "sinch.est.est_trunk": {"host_name": "it-race", "name": "Race"}}]
    playbook = write_playbook(tmp_path / "race.json", tasks)
    env = connection_env(fresh)
    for attempt in range(3):
        fresh.reset()
        runs = [subprocess.Popen([str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook)],
                                 cwd=str(REPO), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                for _ in range(2)]
        outputs = [run.communicate(timeout=120)[0] for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        trunks = fresh.state()["trunks"]
        assert [t["hostName"] for t in trunks] == ["it-race"], attempt


def test_two_acls_sharing_a_name_fail_naming_both_ids(fresh, tmp_path):
    ids = [fresh.api("POST", "/accessControlLists", {"name": "office", "enabled": True, "ipRanges": [{"ipAddress": "192.0.2.0", "range": 24}]}).json()["id"]
           for _ in range(2)]
    tasks = [{"name": "ACL", "sinch.est.est_acl": {"name": "office", "ip_ranges": [{"cidr": "192.0.2.0/24"}]},
              "ignore_errors": True, "register": "acl"},
             {"name": "Failed naming both", "ansible.builtin.assert": {"that": [
                 "acl is failed", f"'{ids[0]}' in acl.msg", f"'{ids[1]}' in acl.msg"]}}]
    run = run_playbook(fresh, write_playbook(tmp_path / "acl.json", tasks))
    assert run.rc == 0, run
    assert len(fresh.state()["accessControlLists"]) == 2
