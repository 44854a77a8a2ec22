"""Fixtures: the real emulator process on a free loopback port, driven over HTTP."""

import json
import os

import pytest
import requests

from est_emulator.process import EmulatorProcess

PROJECT, KEY, SECRET = "p1", "k1", "s1"
OTHER_PROJECT, OTHER_KEY, OTHER_SECRET = "p2", "k2", "s2"


Emulator = EmulatorProcess


class Api:
    """requests wrapper: paths relative to /v1/projects/{project}."""

    def __init__(self, url, project=PROJECT, auth=(KEY, SECRET)):
        self.url, self.project = url, project
        self.s = requests.Session()
        self.s.auth = auth

    def req(self, method, path, body=None, raw=None, **kw):
        url = self.url + path if path.startswith(("/_emulator", "/oauth2", "/v1/")) else f"{self.url}/v1/projects/{self.project}{path}"
        if raw is not None:
            return self.s.request(method, url, data=raw, timeout=30, **kw)
        return self.s.request(method, url, json=body, timeout=30, **kw)

    def get(self, path, **kw):
        return self.req("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.req("POST", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.req("PUT", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.req("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.req("DELETE", path, **kw)

    def admin(self, method, path, body=None, **kw):
        return requests.request(method, self.url + "/_emulator" + path, json=body, timeout=30, **kw)

    def state(self, project=None):
        return self.admin("GET", "/state", params={"project": project or self.project}).json()


def write_config(tmp_path_factory):
    path = tmp_path_factory.mktemp("cfg") / "projects.json"
    path.write_text(json.dumps({"projects": [
        {"id": PROJECT, "keys": [{"id": KEY, "secret": SECRET}]},
        {"id": OTHER_PROJECT, "keys": [{"id": OTHER_KEY, "secret": OTHER_SECRET}]},
    ]}))
    return str(path)


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    emu = Emulator("--config", write_config(tmp_path_factory), "--provisioning-delay", "0.3")
    yield emu
    assert emu.stop() == 0


@pytest.fixture()
def api(emulator):
    a = Api(emulator.url)
    a.admin("DELETE", "/faults")
    assert a.admin("POST", "/reset").status_code == 200
    return a


@pytest.fixture()
def other(emulator):
    return Api(emulator.url, OTHER_PROJECT, (OTHER_KEY, OTHER_SECRET))


def violations(resp):
    body = resp.json()
    body = body.get("error", body)
    for d in body["details"]:
        if d["@type"].endswith("BadRequest"):
            return [v["field"] for v in d["fieldViolations"]]
    return []


def make_trunk(api, host="acme", **extra):
    r = api.post("/trunks", {"name": "Trunk " + host, "hostName": host, **extra})
    assert r.status_code == 201, r.text
    return r.json()


def make_acl(api, name="office", ranges=({"ipAddress": "192.0.2.0", "range": 24},)):
    r = api.post("/accessControlLists", {"name": name, "enabled": True, "ipRanges": list(ranges)})
    assert r.status_code == 200, r.text
    return r.json()


def make_cl(api, name="phones", creds=({"username": "alice", "password": "Alice-Secret-1"},)):
    r = api.post("/credentialLists", {"name": name, "credentials": list(creds)})
    assert r.status_code == 200, r.text
    return r.json()


os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture(scope="module")
def edge(request):
    """An emulator with its SIP edge on a free port; a module sets EDGE_ARGS for more options."""
    emu = EmulatorProcess("--sip-port", "0", *getattr(request.module, "EDGE_ARGS", ()))
    yield emu
    assert emu.stop() == 0


@pytest.fixture()
def est(edge):
    """The SIP tests' API helper on that emulator, reset for each test."""
    from sipstate import Est  # pylint: disable=import-outside-toplevel  # only the SIP tests need it

    est = Est(edge.url)
    est.admin("POST", "/reset")
    return est
