"""Every validation rule answers 400 with a fieldViolation naming the field."""

import pytest

from conftest import make_acl, make_cl, make_trunk, violations

TRUNK_CASES = [
    ({"hostName": "a"}, "name"),
    ({"name": "a"}, "hostName"),
    ({"name": "a", "hostName": "bad_host"}, "hostName"),
    ({"name": "a", "hostName": "bad.host"}, "hostName"),
    ({"name": "a", "hostName": "-acme"}, "hostName"),
    ({"name": "a", "hostName": "acme-"}, "hostName"),
    ({"name": "a", "hostName": "a" * 64}, "hostName"),
    ({"name": "a", "hostName": "a" * 5000}, "hostName"),
    ({"name": 5, "hostName": "h"}, "name"),
    ({"name": "a", "hostName": "h", "enableCallerName": "yes"}, "enableCallerName"),
    ({"name": "a", "hostName": "h", "enableCallForward": True}, "callForwardNumber"),
    ({"name": "a", "hostName": "h", "callForwardNumber": "12345"}, "callForwardNumber"),
    ({"name": "a", "hostName": "h", "callForwardNumber": "+123456"}, "callForwardNumber"),
    ({"name": "a", "hostName": "h", "callForwardNumber": "+01234567"}, "callForwardNumber"),
    ({"name": "a", "hostName": "h", "callForwardNumber": "+1234567890123456"}, "callForwardNumber"),
]


@pytest.mark.parametrize("body,field", TRUNK_CASES)
def test_trunk_validation(api, body, field):
    r = api.post("/trunks", body)
    assert r.status_code == 400 and field in violations(r), r.text
    assert r.json()["status"] == "INVALID_ARGUMENT" and r.json()["code"] == 400


def test_trunk_forward_ok(api):
    t = make_trunk(api, "fwd", enableCallForward=True, callForwardNumber="+46701234567")
    assert t["callForwardNumber"] == "+46701234567"
    niue = make_trunk(api, "niue", enableCallForward=True, callForwardNumber="+6834002")  # E.164 of 7 digits
    assert niue["callForwardNumber"] == "+6834002"


@pytest.mark.parametrize("host", ["a", "0acme", "acme-prod-1", "a" * 63])
def test_a_dns_label_is_a_host_name(api, host):
    assert make_trunk(api, host)["hostName"] == host


ENDPOINT_CASES = [
    ({"address": "192.0.2.1", "priority": 1}, "name"),
    ({"name": "e", "address": "192.0.2.1"}, "priority"),
    ({"name": "e", "address": "192.0.2.1", "priority": 0}, "priority"),
    ({"name": "e", "address": "192.0.2.1", "priority": "1"}, "priority"),
    ({"name": "e", "address": "192.0.2.1", "priority": 1, "port": 0}, "port"),
    ({"name": "e", "address": "192.0.2.1", "priority": 1, "port": 65536}, "port"),
    ({"name": "e", "address": "192.0.2.1", "priority": 1, "port": "5060"}, "port"),
    ({"name": "e", "address": "192.0.2.1", "priority": 1, "transport": "SCTP"}, "transport"),
    ({"name": "e", "address": "192.0.2.1", "priority": 1, "enabled": 1}, "enabled"),
    ({"name": "e", "priority": 1}, "address"),
    ({"name": "e", "address": "999.1.1.1", "priority": 1}, "address"),
    ({"name": "e", "address": "bad host!", "priority": 1}, "address"),
    ({"name": "e", "priority": 1, "isRegistered": True}, "credentialUsername"),
    ({"name": "e", "priority": 1, "isRegistered": "true", "address": "192.0.2.1"}, "isRegistered"),
]


@pytest.mark.parametrize("body,field", ENDPOINT_CASES)
def test_endpoint_validation(api, body, field):
    t = make_trunk(api)
    r = api.post(f"/trunks/{t['id']}/endpoints", body)
    assert r.status_code == 400 and field in violations(r), r.text


def test_endpoint_transport_case_insensitive(api):
    t = make_trunk(api)
    r = api.post(f"/trunks/{t['id']}/endpoints", {"name": "e", "address": "192.0.2.1", "priority": 1, "transport": "tcp"})
    assert r.json()["transport"] == "TCP"


ACL_CASES = [
    ({"ipRanges": [{"ipAddress": "192.0.2.1"}]}, "name"),
    ({"name": "a"}, "ipRanges"),
    ({"name": "a", "ipRanges": []}, "ipRanges"),
    ({"name": "a", "ipRanges": [{"ipAddress": "300.1.1.1"}]}, "ipRanges[0].ipAddress"),
    ({"name": "a", "ipRanges": [{"ipAddress": "2001:db8::1"}]}, "ipRanges[0].ipAddress"),
    ({"name": "a", "ipRanges": [{"ipAddress": "192.0.2.1", "range": 33}]}, "ipRanges[0].range"),
    ({"name": "a", "ipRanges": [{"ipAddress": "192.0.2.1", "range": -1}]}, "ipRanges[0].range"),
    ({"name": "a", "ipRanges": [{"ipAddress": "192.0.2.1", "range": 0}]}, "ipRanges[0].range"),
    ({"name": "a", "ipRanges": [{"ipAddress": "192.0.2.1"}]}, "enabled"),
    ({"name": "a", "ipRanges": [{"range": 8}]}, "ipRanges[0].ipAddress"),
    ({"name": "a", "enabled": "no", "ipRanges": [{"ipAddress": "192.0.2.1"}]}, "enabled"),
]


@pytest.mark.parametrize("body,field", ACL_CASES)
def test_acl_validation(api, body, field):
    r = api.post("/accessControlLists", body)
    assert r.status_code == 400 and field in violations(r), r.text


UNREADABLE_ACL_BODIES = [
    {"name": "a", "enabled": True, "ipRanges": ["203.0.113.10/32"]},
    {"name": "a", "enabled": True, "ipRanges": [{"ipAddress": "192.0.2.1"}, "203.0.113.10/32"]},
    {"name": "a", "enabled": True, "ipRanges": "203.0.113.10/32"},
    {"name": "a", "ipRanges": [7]},
]


def _unreadable(r):
    body = r.json()
    return (r.status_code, body["status"], body["message"], violations(r)) == (
        400, "VALIDATION_FAILED", "Failed to read HTTP message", [])


@pytest.mark.parametrize("body", UNREADABLE_ACL_BODIES)
def test_ip_range_that_is_not_an_object_cannot_be_read(api, body):
    r = api.post("/accessControlLists", body)
    assert _unreadable(r), r.text
    acl = make_acl(api)
    assert _unreadable(api.put(f"/accessControlLists/{acl['id']}", {**body, "name": "b"}))
    assert api.state()["accessControlLists"] == [{k: v for k, v in acl.items() if k not in ("ipRanges", "trunks")}]


def test_ip_range_validation(api):
    acl = make_acl(api)
    r = api.post(f"/accessControlLists/{acl['id']}/ipRanges", {"ipAddress": "192.0.2.1", "range": 40})
    assert violations(r) == ["range"]
    rid = acl["ipRanges"][0]["id"]
    r = api.put(f"/accessControlLists/{acl['id']}/ipRanges/{rid}", {"ipAddress": "x"})
    assert violations(r) == ["ipAddress"]
    assert violations(api.put(f"/accessControlLists/{acl['id']}", {"enabled": True})) == ["name"]


def test_credential_list_validation(api):
    assert violations(api.post("/credentialLists", {"credentials": []})) == ["name"]
    r = api.post("/credentialLists", {"name": "x", "credentials": [{"username": "a"}]})
    assert violations(r) == ["credentials[0].password"]
    r = api.post("/credentialLists", {"name": "x", "credentials": [{"username": "a", "password": "First-Secret-1"},
                                                                   {"username": "a", "password": "Second-Secret2"}]})
    assert violations(r) == ["credentials[1].username"]
    cl = make_cl(api)
    assert violations(api.put(f"/credentialLists/{cl['id']}/credentials/bob", {})) == ["password"]
    assert violations(api.put(f"/credentialLists/{cl['id']}", {"name": 3})) == ["name"]


WEAK_PASSWORDS = ["Abcdefghij1", "abcdefghij12", "ABCDEFGHIJ12", "Abcdefghijkl", "123456789012"]


@pytest.mark.parametrize("password", WEAK_PASSWORDS)
def test_weak_password_refused_on_create_and_on_put(api, password):
    r = api.post("/credentialLists", {"name": "x", "credentials": [{"username": "a", "password": password}]})
    assert r.status_code == 400 and violations(r) == ["credentials[0].password"], r.text
    assert password not in r.text, "the error never repeats the password"
    cl = make_cl(api)
    before = api.state()["credentials"]
    r = api.put(f"/credentialLists/{cl['id']}/credentials/alice", {"password": password})
    assert r.status_code == 400 and violations(r) == ["password"] and password not in r.text
    r = api.put(f"/credentialLists/{cl['id']}", {"name": "x", "credentials": [{"username": "bob", "password": password}]})
    assert violations(r) == ["credentials[0].password"]
    assert api.state()["credentials"] == before


def test_password_of_twelve_characters_with_each_class_is_accepted(api):
    cl = make_cl(api, creds=[{"username": "a", "password": "Abcdefghij12"}])
    assert api.put(f"/credentialLists/{cl['id']}/credentials/b", {"password": "1bcdefghijK2"}).status_code == 200


def test_binding_validation(api):
    t = make_trunk(api)
    assert violations(api.post(f"/trunks/{t['id']}/accessControlLists", {})) == ["accessControlListIds"]
    assert violations(api.put(f"/trunks/{t['id']}/credentialLists", [1])) == ["credentialListIds[0]"]
    assert violations(api.put(f"/trunks/{t['id']}/credentialLists", ["nope"])) == ["credentialListIds[0]"]


def test_country_and_rule_validation(api):
    assert violations(api.put("/countryPermissions/US", {"enabled": "true"})) == ["enabled"]
    assert violations(api.put("/countryPermissions/US", {})) == ["enabled"]
    assert violations(api.get("/countryPermissions/USA")) == ["isoCode"]
    r = api.put("/countryPermissions", {"countryPermissions": [{"isoCode": "QQ"}]})
    assert violations(r) == ["countryPermissions[0].isoCode"]
    assert violations(api.post("/callBlockingRules", {})) == ["direction"]
    assert violations(api.post("/callBlockingRules", {"direction": "SIDEWAYS"})) == ["direction"]
    assert violations(api.post("/callBlockingRules", {"direction": "INBOUND", "callerCountry": "USA"})) == ["callerCountry"]
    assert violations(api.post("/callBlockingRules", {"direction": "INBOUND", "calleeMatch": "abc"})) == ["calleeMatch"]


def test_bodies_that_are_not_json_objects_cannot_be_read(api):
    t = make_trunk(api)
    for path in ("/trunks", "/accessControlLists", "/credentialLists", f"/trunks/{t['id']}/endpoints",
                 f"/trunks/{t['id']}/accessControlLists", "/callBlockingRules"):
        assert _unreadable(api.post(path, raw=b"{not json", headers={"Content-Type": "application/json"})), path
        assert _unreadable(api.post(path, raw=b"")), path
        assert _unreadable(api.post(path, [1, 2])), path
    assert _unreadable(api.put(f"/trunks/{t['id']}", "text"))
    number_path = "/v1/projects/p1/activeNumbers/%2B14155550100"
    api.admin("POST", "/seed", {"phone_numbers": ["+14155550100"]})
    r = api.patch(number_path, raw=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and violations(r) == ["body"], "the Numbers API is another service: it names the body"


def test_unknown_fields_ignored(api):
    t = make_trunk(api, "extra", color="blue", callsPerSecond=99, id="mine")
    assert "color" not in t and t["callsPerSecond"] == 1 and t["id"] != "mine"


def test_query_validation(api):
    for params, field in [({"size": 0}, "size"), ({"size": 501}, "size"), ({"pageSize": "x"}, "pageSize"),
                          ({"page": 0}, "page"), ({"page": "a"}, "page")]:
        assert violations(api.get("/trunks", params=params)) == [field]
    assert violations(api.get("/phoneNumbers", params={"sort": "color,asc"})) == ["sort"]
    assert violations(api.get("/phoneNumbers/12345")) == ["phoneNumber"]
