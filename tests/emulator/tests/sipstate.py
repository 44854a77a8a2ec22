"""Configures the emulator through its own EST API for the SIP tests (as the modules would)."""

import requests

PROJECT, AUTH = "demo-project", ("demo-key", "demo-secret")
PASSWORD = "Secret-Pass-123"


class Est:
    def __init__(self, url):
        self.url, self.base = url, f"{url}/v1/projects/{PROJECT}"

    def call(self, method, path, body=None):
        r = requests.request(method, self.base + path, json=body, auth=AUTH, timeout=10)
        assert r.status_code < 400, (method, path, r.status_code, r.text)
        return r.json() if r.content else None

    def raw(self, method, path):
        return requests.request(method, self.base + path, auth=AUTH, timeout=10)

    def admin(self, method, path, body=None, **kw):
        r = requests.request(method, self.url + "/_emulator" + path, json=body, timeout=60, **kw)
        assert r.status_code < 400, (method, path, r.status_code, r.text)
        return r.json() if r.content else None

    def trunk(self, host, acl_ips=(), usernames=(), cps=None):
        trunk = self.call("POST", "/trunks", {"name": host, "hostName": host})
        if acl_ips:
            acl = self.call("POST", "/accessControlLists", {"name": host, "enabled": True, "ipRanges": [
                {"ipAddress": ip, "range": 32} for ip in acl_ips]})
            self.call("POST", f"/trunks/{trunk['id']}/accessControlLists", {"accessControlListIds": [acl["id"]]})
            trunk["acl"] = acl["id"]
        if usernames:
            cl = self.call("POST", "/credentialLists", {"name": host, "credentials": [
                {"username": u, "password": PASSWORD} for u in usernames]})
            self.call("POST", f"/trunks/{trunk['id']}/credentialLists", {"credentialListIds": [cl["id"]]})
            trunk["cl"] = cl["id"]
        if cps:
            self.admin("PATCH", f"/trunks/{trunk['id']}", {"callsPerSecond": cps})
        trunk["domain"] = f"{host}.pstn.sinch.com"
        return trunk

    def route(self, number, trunk_id):
        self.admin("POST", "/seed", {"phone_numbers": [number]})
        self.call("POST", "/phoneNumbers", {"sipTrunkId": trunk_id, "phoneNumber": number})

    def calls(self):
        return self.admin("GET", "/state", params={"calls": "1"})["calls"]
