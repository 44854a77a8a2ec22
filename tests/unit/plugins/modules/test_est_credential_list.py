# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""est_credential_list: the list, its credentials, passwords kept out of sight, guards for live traffic."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError
from ansible_collections.sinch.est.plugins.modules.est_credential_list import main
from ansible_collections.sinch.est.tests.unit.harness import FakeApi, run

LIST = "/credentialLists/id1"


class CredentialApi(FakeApi):
    """Keeps passwords apart, as the API does: a GET answers credentials as {id, username} only."""

    def __init__(self):
        super().__init__()
        self.passwords = {}

    def add_list(self, name, credentials=(), listed_without_credentials=False):
        item = self.add("/credentialLists", {"name": name, "credentials": []})
        for username, password in credentials:
            self._set(f"/credentialLists/{item['id']}", username, password)
        if listed_without_credentials:
            self.unlisted = True
        return item

    def _set(self, list_path, username, password):
        credentials = self.objects[list_path]["credentials"]
        if not any(credential["username"] == username for credential in credentials):
            credentials.append({"id": f"cred-{username}", "username": username})
        self.passwords[(list_path, username)] = password
        return {"id": f"cred-{username}", "username": username}

    def paginate(self, path, items_key, params=None, page_size=500, max_pages=10000, api="est"):
        for item in super().paginate(path, items_key, params, page_size, max_pages):
            if path == "/credentialLists" and getattr(self, "unlisted", False):
                item.pop("credentials", None)
            yield item

    def post(self, path, body=None, api="est"):
        if path != "/credentialLists":
            return super().post(path, body, api)
        self.requests.append(("POST", path, copy.deepcopy(body)))
        item = self.add(path, {"name": body["name"], "credentials": []})
        for credential in body.get("credentials", []):
            self._set(f"{path}/{item['id']}", credential["username"], credential["password"])
        return copy.deepcopy(self.objects[f"{path}/{item['id']}"])

    def put(self, path, body=None, api="est"):
        list_path, marker, username = path.rpartition("/credentials/")
        if not marker:
            self.requests.append(("PUT", path, body))
            self.objects[path]["name"] = body["name"]
            return copy.deepcopy(self.objects[path])
        self.requests.append(("PUT", path, body))
        return self._set(list_path, username, body["password"])

    def delete(self, path, api="est"):
        list_path, marker, username = path.rpartition("/credentials/")
        if not marker:
            return super().delete(path, api)
        self.requests.append(("DELETE", path, None))
        credentials = self.objects[list_path]["credentials"]
        if not any(credential["username"] == username for credential in credentials):
            raise EstApiError(f"DELETE {path} failed: HTTP 404", method="DELETE", path=path, status_code=404)
        credentials[:] = [credential for credential in credentials if credential["username"] != username]
        del self.passwords[(list_path, username)]


def creds(*pairs):
    return [{"username": username, "password": password} for username, password in pairs]


@pytest.fixture
def api():
    return CredentialApi()


def bind_trunk_with_endpoint(api, username):
    trunk = api.add("/credentialLists/id1/trunks", {"id": "t1", "hostName": "acme-prod"})
    api.add(f"/trunks/{trunk['id']}/endpoints", {"id": "e1", "name": "pbx", "isRegistered": True, "credentialUsername": username})


def test_create_sends_the_list_and_its_credentials_in_one_request(api):
    result = run(main, api, {"name": "phones", "credentials": creds(("alice", "Pw-alice-0001"), ("bob", "Pw-bob-000001"))})
    assert result["changed"] is True
    assert api.writes == [("POST", "/credentialLists", {"name": "phones", "credentials": creds(("alice", "Pw-alice-0001"), ("bob", "Pw-bob-000001"))})]
    assert [credential["username"] for credential in result["credential_list"]["credentials"]] == ["alice", "bob"]


def test_create_without_credentials_sends_an_empty_list(api):
    run(main, api, {"name": "phones"})
    assert api.writes == [("POST", "/credentialLists", {"name": "phones", "credentials": []})]


def test_passwords_never_appear_in_result_or_diff(api):
    result = run(main, api, {"name": "phones", "credentials": creds(("alice", "S3cr3t-pw-0001"))}, diff=True)
    assert "S3cr3t-pw-0001" not in repr(result)


def test_check_mode_create_predicts_usernames_without_passwords(api):
    result = run(main, api, {"name": "phones", "credentials": creds(("alice", "S3cr3t-pw-0001"))}, check_mode=True, diff=True)
    assert result["changed"] is True
    assert api.writes == []
    assert result["credential_list"] == {"name": "phones", "credentials": [{"username": "alice"}],
                                         "id": "(created: id assigned by Sinch)"}
    assert result["diff"]["after"]["credentials"] == [{"username": "alice"}]


def test_second_run_with_on_create_changes_nothing(api):
    api.add_list("phones", [("alice", "Old-secret-01")])
    result = run(main, api, {"name": "phones", "credentials": creds(("alice", "New-secret-01"))})
    assert result["changed"] is False
    assert api.writes == []
    assert api.passwords[(LIST, "alice")] == "Old-secret-01"


def test_new_username_gets_its_password_and_existing_keeps_its_own(api):
    api.add_list("phones", [("alice", "Old-secret-01")])
    result = run(main, api, {"name": "phones", "credentials": creds(("alice", "New-secret-01"), ("bob", "Pw-bob-000001"))})
    assert result["changed"] is True
    assert api.writes == [("PUT", f"{LIST}/credentials/bob", {"password": "Pw-bob-000001"})]
    assert api.passwords[(LIST, "alice")] == "Old-secret-01"


def test_always_resends_every_password_and_reports_a_change(api):
    api.add_list("phones", [("alice", "Old-secret-01"), ("bob", "Old-secret-01")])
    result = run(main, api, {"name": "phones", "credentials": creds(("alice", "New-alice-001"), ("bob", "New-bob-00001")), "update_password": "always"})
    assert result["changed"] is True
    assert sorted(request[1] for request in api.writes) == [f"{LIST}/credentials/alice", f"{LIST}/credentials/bob"]
    assert api.passwords[(LIST, "alice")] == "New-alice-001"


def test_usernames_not_listed_are_removed_after_the_additions(api):
    api.add_list("phones", [("alice", "Pw-secret-001"), ("old", "Pw-secret-001")])
    result = run(main, api, {"name": "phones", "credentials": creds(("alice", "Pw-secret-001"), ("bob", "Pw-secret-001"))}, diff=True)
    assert [request[0] for request in api.writes] == ["PUT", "DELETE"]
    assert api.writes[1][1] == f"{LIST}/credentials/old"
    assert [credential["username"] for credential in result["diff"]["before"]["credentials"]] == ["alice", "old"]
    assert [credential["username"] for credential in result["diff"]["after"]["credentials"]] == ["alice", "bob"]


def test_purge_credentials_false_keeps_usernames_not_listed(api):
    api.add_list("phones", [("alice", "Pw-secret-001")])
    result = run(main, api, {"name": "phones", "credentials": creds(("bob", "Pw-secret-001")), "purge_credentials": False})
    assert [request[0] for request in api.writes] == ["PUT"]
    assert [credential["username"] for credential in result["credential_list"]["credentials"]] == ["alice", "bob"]


def test_credentials_left_out_are_not_touched(api):
    api.add_list("phones", [("alice", "Pw-secret-001")])
    result = run(main, api, {"id": "id1", "name": "renamed"})
    assert result["changed"] is True
    assert api.writes == [("PUT", LIST, {"name": "renamed"})]
    assert [credential["username"] for credential in api.objects[LIST]["credentials"]] == ["alice"]


def test_check_mode_update_writes_nothing_and_predicts(api):
    api.add_list("phones", [("alice", "Pw-secret-001")])
    result = run(main, api, {"name": "phones", "credentials": creds(("bob", "Pw-secret-001"))}, check_mode=True, diff=True)
    assert result["changed"] is True
    assert api.writes == []
    assert result["credential_list"]["credentials"] == [{"username": "bob"}]


def test_list_read_without_credentials_is_read_again_by_id(api):
    api.add_list("phones", [("alice", "Pw-secret-001")], listed_without_credentials=True)
    result = run(main, api, {"name": "phones", "credentials": creds(("alice", "Pw-secret-001"))})
    assert result["changed"] is False
    assert ("GET", LIST, None) in api.requests


def test_removing_a_credential_a_registered_endpoint_uses_is_refused(api):
    api.add_list("phones", [("alice", "Pw-secret-001"), ("bob", "Pw-secret-001")])
    bind_trunk_with_endpoint(api, "bob")
    result = run(main, api, {"name": "phones", "credentials": creds(("alice", "Pw-secret-001"), ("carol", "Pw-secret-001"))})
    assert result["failed"]
    assert "'bob'" in result["msg"] and "pbx" in result["msg"] and "acme-prod" in result["msg"] and "force" in result["msg"]
    assert api.writes == []


def test_removing_a_credential_in_use_with_force_proceeds(api):
    api.add_list("phones", [("alice", "Pw-secret-001"), ("bob", "Pw-secret-001")])
    bind_trunk_with_endpoint(api, "bob")
    result = run(main, api, {"name": "phones", "credentials": creds(("alice", "Pw-secret-001")), "force": True})
    assert result["changed"] is True
    assert api.writes == [("DELETE", f"{LIST}/credentials/bob", None)]


def test_removing_an_unused_credential_of_a_bound_list_proceeds(api):
    api.add_list("phones", [("alice", "Pw-secret-001"), ("bob", "Pw-secret-001")])
    bind_trunk_with_endpoint(api, "alice")
    result = run(main, api, {"name": "phones", "credentials": creds(("alice", "Pw-secret-001"))})
    assert result["changed"] is True


def test_delete_of_a_list_bound_to_a_trunk_is_refused_naming_it(api):
    api.add_list("phones")
    api.add("/credentialLists/id1/trunks", {"id": "t9", "hostName": "acme-prod"})
    result = run(main, api, {"name": "phones", "state": "absent"})
    assert result["failed"]
    assert "acme-prod (t9)" in result["msg"] and "force: true" in result["msg"]
    assert api.writes == []


def test_delete_with_force_unbinds_a_bound_list_then_deletes_it(api):
    api.add_list("phones")
    api.add("/credentialLists/id1/trunks", {"id": "t9", "hostName": "acme-prod"})
    api.add("/trunks/t9/credentialLists", {"id": "id1"})
    result = run(main, api, {"name": "phones", "state": "absent", "force": True})
    assert result["changed"] is True
    assert api.writes == [("DELETE", "/trunks/t9/credentialLists/id1", None), ("DELETE", LIST, None)]


def test_delete_diff_shows_usernames_only(api):
    api.add_list("phones", [("alice", "Pw-alice-0002")])
    result = run(main, api, {"name": "phones", "state": "absent"}, diff=True)
    assert result["diff"]["before"]["credentials"] == [{"username": "alice"}]
    assert result["diff"]["after"] == {}


def test_two_lists_with_the_name_fail_naming_both_ids(api):
    api.add_list("phones")
    api.add_list("phones")
    result = run(main, api, {"name": "phones", "credentials": creds(("alice", "Pw-secret-001"))})
    assert result["failed"]
    assert "id1" in result["msg"] and "id2" in result["msg"]
    assert api.writes == []


def test_unknown_id_fails_instead_of_creating(api):
    result = run(main, api, {"id": "ghost", "name": "phones"})
    assert result["failed"]
    assert "no credential list with id 'ghost'" in result["msg"]
    assert api.writes == []


@pytest.mark.parametrize("args, option", [
    ({"name": "phones", "credentials": creds(("alice", "a"), ("alice", "b"))}, "credentials[1].username"),
    ({"name": "phones", "credentials": creds(("", "a"))}, "credentials[0].username"),
    ({"name": "phones", "credentials": creds(("alice", ""))}, "credentials[0].password"),
    ({"name": ""}, "name"),
])
def test_bad_input_fails_before_any_request_naming_the_option(api, args, option):
    result = run(main, api, args)
    assert result["failed"]
    assert f"{option}:" in result["msg"]
    assert api.requests == []


def test_username_is_quoted_as_one_path_segment(api):
    api.add_list("phones")
    run(main, api, {"name": "phones", "credentials": creds(("a/b+c", "Pw-secret-001"))})
    assert api.writes[0][1] == f"{LIST}/credentials/a%2Fb%2Bc"


@pytest.mark.parametrize("password, rule", [
    ("Short-pw-1", "fewer than 12 characters"),
    ("all-lower-case-1", "no upper-case letter"),
    ("ALL-UPPER-CASE-1", "no lower-case letter"),
    ("No-Digits-At-All", "no digit"),
])
def test_a_password_against_sinch_policy_fails_naming_the_rule_never_the_password(api, password, rule):
    result = run(main, api, {"name": "phones", "credentials": creds(("alice", "Pw-alice-0001"), ("bob", password))})
    assert result["failed"]
    assert "credentials[1].password" in result["msg"] and "'bob'" in result["msg"] and rule in result["msg"]
    assert password not in repr(result)
    assert api.requests == []


def test_a_delete_reads_the_credentials_of_a_list_listed_without_them_once(api):
    api.add_list("phones", [("alice", "Pw-alice-0001")], listed_without_credentials=True)
    result = run(main, api, {"name": "phones", "state": "absent"}, diff=True)
    assert result["diff"]["before"]["credentials"] == [{"username": "alice"}]
    assert len([request for request in api.requests if request == ("GET", LIST, None)]) == 1
