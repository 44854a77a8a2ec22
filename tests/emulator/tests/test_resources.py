"""Every EST operation: create, read, list, replace, delete, bindings."""

from conftest import make_acl, make_cl, make_trunk, violations


def test_trunk_lifecycle(api):
    t = make_trunk(api, "acme", enableCallerName=True)
    assert t["enabled"] is True, "live trunk replies carry enabled: true"
    assert t["domain"] == "acme.pstn.sinch.com" and t["topLevelDomain"] == ".pstn.sinch.com"
    assert t["callsPerSecond"] == 1 and t["updateTime"] is None and t["projectId"] == "p1"
    assert t["callForwardNumber"] == "" and t["enableCallerName"] is True and len(t["id"]) == 26
    assert api.get(f"/trunks/{t['id']}").json() == t
    r = api.put(f"/trunks/{t['id']}", {"name": "New", "hostName": "acme2"})
    assert r.status_code == 200
    u = r.json()
    assert u["enableCallerName"] is False, "PUT replaces: missing optional fields become defaults"
    assert u["enabled"] is True and api.get("/trunks").json()["trunks"][0]["enabled"] is True
    assert u["domain"] == "acme2.pstn.sinch.com" and u["updateTime"] and u["createTime"] == t["createTime"]
    assert api.delete(f"/trunks/{t['id']}").status_code == 204
    assert api.get(f"/trunks/{t['id']}").status_code == 404
    assert api.delete(f"/trunks/{t['id']}").status_code == 404


def test_trunk_list_and_domain_filter(api):
    make_trunk(api, "acme-east")
    make_trunk(api, "globex")
    body = api.get("/trunks").json()
    assert body["totalItems"] == 2 and body["pageNumber"] == 1 and body["pageSize"] == 500
    assert [t["hostName"] for t in body["trunks"]] == ["acme-east", "globex"]
    found = api.get("/trunks", params={"domain": "ACME"}).json()
    assert [t["hostName"] for t in found["trunks"]] == ["acme-east"]
    assert api.get("/trunks", params={"domain": "acme-east.pstn.sinch.com"}).json()["totalItems"] == 1


def test_host_name_unique_across_projects(api, other):
    make_trunk(api, "shared")
    r = other.post("/trunks", {"name": "x", "hostName": "SHARED"})
    assert r.status_code == 409 and r.json()["status"] == "ALREADY_EXISTS"
    t = make_trunk(api, "second")
    assert api.put(f"/trunks/{t['id']}", {"name": "x", "hostName": "shared"}).status_code == 409
    assert api.put(f"/trunks/{t['id']}", {"name": "x", "hostName": "second"}).status_code == 200


def test_static_and_registered_endpoints(api):
    t = make_trunk(api)
    r = api.post(f"/trunks/{t['id']}/endpoints", {"name": "pbx", "address": "192.0.2.10", "priority": 1})
    assert r.status_code == 201, "live EST answers 201 (the document says 200)"
    e = r.json()
    assert e["port"] == 5060 and e["transport"] == "UDP" and e["enabled"] is True and e["sipTrunkId"] == t["id"]
    assert api.get(f"/trunks/{t['id']}/endpoints/{e['id']}").json() == e
    u = api.put(f"/trunks/{t['id']}/endpoints/{e['id']}",
                {"name": "pbx", "address": "pbx.example.com", "priority": 2, "transport": "tls", "port": 5061}).json()
    assert u["transport"] == "TLS" and u["address"] == "pbx.example.com" and u["updateTime"]
    body = {"name": "phone", "priority": 1, "isRegistered": True, "credentialUsername": "alice"}
    make_cl(api)
    r = api.post(f"/trunks/{t['id']}/endpoints", body)
    assert r.status_code == 201 and r.json()["isRegistered"] is True and "address" not in r.json()
    listed = api.get(f"/trunks/{t['id']}/endpoints").json()
    assert listed["totalItems"] == 2 and len(listed["endpoints"]) == 2
    assert api.delete(f"/trunks/{t['id']}/endpoints/{e['id']}").status_code == 204
    assert api.get(f"/trunks/{t['id']}/endpoints/{e['id']}").status_code == 404
    assert api.get("/trunks/nope/endpoints").status_code == 404


def test_names_not_unique(api):
    make_acl(api, "same")
    make_acl(api, "same")
    make_cl(api, "same")
    make_cl(api, "same")
    t = make_trunk(api)
    for _ in range(2):
        assert api.post(f"/trunks/{t['id']}/endpoints", {"name": "same", "address": "192.0.2.1", "priority": 1}).ok
        assert api.post("/callBlockingRules", {"name": "same", "direction": "INBOUND"}).ok


def test_acl_and_ip_ranges(api):
    acl = make_acl(api, "office", [{"ipAddress": "192.0.2.0", "range": 24, "description": "LAN"},
                                   {"ipAddress": "198.51.100.7"}])
    assert acl["enabled"] is True and acl["trunks"] == [] and len(acl["ipRanges"]) == 2
    assert acl["ipRanges"][1]["range"] == 32 and acl["ipRanges"][0]["accessControlListId"] == acl["id"]
    ranges = api.get(f"/accessControlLists/{acl['id']}/ipRanges").json()
    assert ranges["totalItems"] == 2
    r = api.post(f"/accessControlLists/{acl['id']}/ipRanges", {"ipAddress": "203.0.113.0", "range": 28})
    assert r.status_code == 200
    rid = r.json()["id"]
    u = api.put(f"/accessControlLists/{acl['id']}/ipRanges/{rid}", {"ipAddress": "203.0.113.16"}).json()
    assert u["range"] == 32 and u["description"] == ""
    assert api.delete(f"/accessControlLists/{acl['id']}/ipRanges/{rid}").status_code == 204
    assert api.delete(f"/accessControlLists/{acl['id']}/ipRanges/{rid}").status_code == 404
    u = api.put(f"/accessControlLists/{acl['id']}", {"name": "renamed", "enabled": False}).json()
    assert u["name"] == "renamed" and u["enabled"] is False and len(u["ipRanges"]) == 2
    u = api.put(f"/accessControlLists/{acl['id']}", {"name": "r", "ipRanges": [{"ipAddress": "10.0.0.0", "range": 8}]}).json()
    assert u["enabled"] is True and [x["ipAddress"] for x in u["ipRanges"]] == ["10.0.0.0"]
    assert api.get("/accessControlLists").json()["totalItems"] == 1
    assert api.delete(f"/accessControlLists/{acl['id']}").status_code == 204
    assert api.get(f"/accessControlLists/{acl['id']}").status_code == 404


def test_registered_endpoint_needs_its_username_in_some_credential_list_of_the_project(api, other):
    t = make_trunk(api)
    body = {"name": "phone", "priority": 1, "isRegistered": True, "credentialUsername": "alice"}
    r = api.post(f"/trunks/{t['id']}/endpoints", body)
    assert r.status_code == 400 and violations(r) == ["credentialUsername"]
    other.post("/credentialLists", {"name": "x", "credentials": [{"username": "alice", "password": "Other-Secret-1"}]})
    assert api.post(f"/trunks/{t['id']}/endpoints", body).status_code == 400, "another project's list does not count"
    make_cl(api)  # bound to no trunk
    r = api.post(f"/trunks/{t['id']}/endpoints", body)
    assert r.status_code == 201 and r.json()["credentialUsername"] == "alice"
    assert api.state()["trunkCredentialLists"] == []


def test_binding_posts_echo_only_the_ids_sent(api):
    t = make_trunk(api)
    a1, a2 = make_acl(api, "a"), make_acl(api, "b")
    api.post(f"/trunks/{t['id']}/accessControlLists", {"accessControlListIds": [a1["id"]]})
    r = api.post(f"/trunks/{t['id']}/accessControlLists", {"accessControlListIds": [a2["id"]]})
    assert r.status_code == 200 and r.json() == {"accessControlListIds": [a2["id"]]}
    assert api.get(f"/trunks/{t['id']}/accessControlLists").json()["accessControlListIds"] == [a1["id"], a2["id"]]


def test_credential_list_put_replaces_the_whole_set(api):
    t = make_trunk(api)
    c1, c2, c3 = make_cl(api, "a"), make_cl(api, "b"), make_cl(api, "c")
    api.post(f"/trunks/{t['id']}/credentialLists", {"credentialListIds": [c1["id"], c2["id"]]})
    r = api.put(f"/trunks/{t['id']}/credentialLists", {"credentialListIds": [c3["id"], c2["id"]]})
    assert r.status_code == 200 and r.json() == {"credentialListIds": [c3["id"], c2["id"]]}
    assert {b["credentialListId"] for b in api.state()["trunkCredentialLists"]} == {c2["id"], c3["id"]}


def test_trunk_acl_bindings(api):
    t = make_trunk(api)
    a1, a2, a3 = make_acl(api, "a"), make_acl(api, "b"), make_acl(api, "c")
    r = api.post(f"/trunks/{t['id']}/accessControlLists", {"accessControlListIds": [a1["id"], a2["id"]]})
    assert r.status_code == 200 and r.json() == {"accessControlListIds": [a1["id"], a2["id"]]}
    listed = api.get(f"/trunks/{t['id']}/accessControlLists").json()
    assert listed["accessControlListIds"] == [a1["id"], a2["id"]] and listed["totalItems"] == 2
    assert api.get(f"/accessControlLists/{a1['id']}").json()["trunks"] == [t["id"]]
    trunks = api.get(f"/accessControlLists/{a1['id']}/trunks").json()
    assert [x["id"] for x in trunks["trunks"]] == [t["id"]]
    r = api.put(f"/trunks/{t['id']}/accessControlLists", [a3["id"]])
    assert r.json() == {"accessControlListIds": [a3["id"]]}
    r = api.post(f"/trunks/{t['id']}/accessControlLists", {"accessControlListIds": ["missing"]})
    assert r.status_code == 400 and violations(r) == ["accessControlListIds[0]"]
    assert api.delete(f"/trunks/{t['id']}/accessControlLists/{a3['id']}").status_code == 204
    assert api.delete(f"/trunks/{t['id']}/accessControlLists/{a3['id']}").status_code == 404


def test_credential_lists_and_bindings(api):
    cl = make_cl(api, "phones", [{"username": "alice", "password": "Alice-Secret-1"}, {"username": "bob", "password": "Bob-Secret-22"}])
    assert [c["username"] for c in cl["credentials"]] == ["alice", "bob"]
    assert "password" not in str(cl)
    got = api.get(f"/credentialLists/{cl['id']}").json()
    assert got["credentials"] == cl["credentials"]
    r = api.put(f"/credentialLists/{cl['id']}/credentials/carol", {"password": "Carol-Secret-3"})
    assert r.status_code == 200 and r.json()["username"] == "carol"
    assert api.put(f"/credentialLists/{cl['id']}/credentials/alice", {"password": "Alice-Renewed-4"}).status_code == 200
    names = [c["username"] for c in api.get(f"/credentialLists/{cl['id']}").json()["credentials"]]
    assert names == ["alice", "bob", "carol"]
    assert api.delete(f"/credentialLists/{cl['id']}/credentials/bob").status_code == 204
    assert api.delete(f"/credentialLists/{cl['id']}/credentials/bob").status_code == 404
    u = api.put(f"/credentialLists/{cl['id']}", {"name": "renamed"}).json()
    assert u["name"] == "renamed" and len(u["credentials"]) == 2
    assert api.get("/credentialLists").json()["totalItems"] == 1
    t = make_trunk(api)
    cl2 = make_cl(api, "other")
    assert api.put(f"/trunks/{t['id']}/credentialLists", [cl["id"]]).json() == {"credentialListIds": [cl["id"]]}
    r = api.put(f"/trunks/{t['id']}/credentialLists", {"credentialListIds": [cl2["id"]]})
    assert r.json() == {"credentialListIds": [cl2["id"]]}
    r = api.post(f"/trunks/{t['id']}/credentialLists", {"credentialListIds": [cl["id"]]})
    assert r.json() == {"credentialListIds": [cl["id"]]}, "POST echoes only the ids sent"
    bound = api.get(f"/trunks/{t['id']}/credentialLists").json()
    # the document's key and the one Sinch's Node SDK reads, holding the same ids
    assert bound["credentialListIds"] == bound["credentialLists"] == [cl2["id"], cl["id"]]
    assert [x["id"] for x in api.get(f"/credentialLists/{cl['id']}/trunks").json()["trunks"]] == [t["id"]]
    assert api.delete(f"/trunks/{t['id']}/credentialLists/{cl2['id']}").status_code == 204
    state = api.state()
    assert state["trunkCredentialLists"] == [{"trunkId": t["id"], "credentialListId": cl["id"]}]
    assert all(len(c["passwordSha256"]) == 64 for c in state["credentials"])
    assert "Alice-Secret-1" not in str(state) and "Alice-Renewed-4" not in str(state)
    assert api.delete(f"/credentialLists/{cl2['id']}").status_code == 204


def test_country_permissions(api):
    perms = api.get("/countryPermissions").json()["countryPermissions"]
    codes = {p["isoCode"]: p for p in perms}
    assert {"US", "CA", "*"} <= set(codes) and len(perms) >= 12
    assert codes["US"]["enabled"] and codes["CA"]["enabled"] and not codes["*"]["enabled"]
    assert codes["GB"]["countryDialingCodes"] == ["+44"] and codes["GB"]["continent"] == "Europe"
    r = api.put("/countryPermissions/gb", {"enabled": True})
    assert r.status_code == 200 and r.json()["isoCode"] == "GB" and r.json()["enabled"] is True
    assert api.get("/countryPermissions/GB").json()["enabled"] is True
    assert api.get("/countryPermissions/%2A").json()["isoCode"] == "*"
    assert api.get("/countryPermissions/XX").status_code == 404
    r = api.put("/countryPermissions", {"countryPermissions": [{"isoCode": "SE", "enabled": True}]})
    enabled = [p["isoCode"] for p in r.json()["countryPermissions"] if p["enabled"]]
    assert enabled == ["SE"], "bulk PUT disables everything not listed"
    api.admin("POST", "/reset")
    assert api.get("/countryPermissions/US").json()["enabled"] is True


def test_call_blocking_rules(api):
    r = api.post("/callBlockingRules", {"name": "spam", "direction": "inbound", "callerCountry": "us", "callerMatch": "+1900"})
    assert r.status_code == 200
    rule = r.json()
    assert rule["direction"] == "INBOUND" and rule["callerCountry"] == "US" and rule["calleeMatch"] == ""
    listed = api.get("/callBlockingRules").json()
    assert listed["callBlockingRules"] == [rule] and listed["totalItems"] == 1
    assert api.get(f"/callBlockingRules/{rule['id']}").json() == rule
    u = api.put(f"/callBlockingRules/{rule['id']}", {"direction": "OUTBOUND", "calleeCountry": "*"}).json()
    assert u["name"] == "" and u["callerMatch"] == "" and u["calleeCountry"] == "*" and u["updateTime"]
    assert api.delete(f"/callBlockingRules/{rule['id']}").status_code == 204
    assert api.put(f"/callBlockingRules/{rule['id']}", {"direction": "INBOUND"}).status_code == 404


def test_add_projects(api):
    r = api.post("/addProjects", {"projectIds": ["p-extra"]})
    assert r.status_code == 200 and r.json() == {"addedProjects": ["p-extra"]}
    assert api.get("/v1/projects/p-extra/trunks").status_code == 200
    # a project EST already knows is ignored: the reply lists only what this request added
    again = api.post("/addProjects", {"projectIds": ["p-extra", "p-new", "p-new", "p1"]})
    assert again.status_code == 200 and again.json() == {"addedProjects": ["p-new"]}
    assert violations(api.post("/addProjects", {"projectIds": "x"})) == ["projectIds"]


def test_unknown_operation_and_method(api):
    assert api.get("/nothing").status_code == 404
    assert api.req("PATCH", "/trunks").status_code == 405
    r = api.get("/trunks/missing")
    assert r.status_code == 404 and r.json()["status"] == "NOT_FOUND" and r.headers["X-Request-Id"]
    assert r.json()["details"][-1]["requestId"] == r.headers["X-Request-Id"]
