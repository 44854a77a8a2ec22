"""Basic and Bearer auth, token expiry, wrong keys, project isolation."""

import base64
import json
import time

import requests

from conftest import Emulator


def token(url, auth=("k1", "s1")):
    return requests.post(url + "/oauth2/token", data={"grant_type": "client_credentials"}, auth=auth, timeout=10)


def test_token_and_bearer(api):
    r = token(api.url)
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3599 and body["scope"] == ""
    header, payload, sig = body["access_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    assert claims["sub"] == "k1" and claims["exp"] > claims["iat"]
    r = requests.get(api.url + "/v1/projects/p1/trunks", headers={"Authorization": "Bearer " + body["access_token"]}, timeout=10)
    assert r.status_code == 200
    log = api.admin("GET", "/requests").json()["requests"]
    assert log[-1]["auth"] == "bearer" and log[-1]["project"] == "p1"


def test_bad_credentials(api):
    url = api.url + "/v1/projects/p1/trunks"
    for kw in [{}, {"auth": ("k1", "wrong")}, {"auth": ("nobody", "s1")},
               {"headers": {"Authorization": "Bearer abc.def.ghi"}}, {"headers": {"Authorization": "Digest x"}},
               {"headers": {"Authorization": "Basic !!!"}}]:
        r = requests.get(url, timeout=10, **kw)
        assert r.status_code == 401 and r.json()["status"] == "UNAUTHENTICATED", kw
    assert token(api.url, ("k1", "bad")).status_code == 401
    r = requests.post(api.url + "/oauth2/token", data={"grant_type": "password"}, auth=("k1", "s1"), timeout=10)
    assert r.status_code == 400


def test_project_isolation(api, other):
    assert api.get("/v1/projects/p2/trunks").status_code == 403
    assert other.get("/v1/projects/p1/trunks").json()["status"] == "PERMISSION_DENIED"
    assert api.get("/v1/projects/unknown/trunks").status_code == 403
    t = api.post("/trunks", {"name": "x", "hostName": "iso"}).json()
    assert other.get(f"/trunks/{t['id']}").status_code == 404
    assert other.delete(f"/trunks/{t['id']}").status_code == 404


def test_token_expiry():
    emu = Emulator("--token-ttl", "1", "--project-id", "px", "--key-id", "kx", "--key-secret", "sx")
    try:
        tok = token(emu.url, ("kx", "sx")).json()
        assert tok["expires_in"] == 1
        headers = {"Authorization": "Bearer " + tok["access_token"]}
        time.sleep(1.2)
        r = requests.get(emu.url + "/v1/projects/px/trunks", headers=headers, timeout=10)
        assert r.status_code == 401
        assert "expired" in r.headers["WWW-Authenticate"] and 'error="invalid_token"' in r.headers["WWW-Authenticate"]
        assert requests.get(emu.url + "/v1/projects/px/trunks", auth=("kx", "sx"), timeout=10).status_code == 200
    finally:
        assert emu.stop() == 0
