"""Basic and Bearer auth, token expiry, wrong keys, project isolation, the token endpoint's rate limit."""

import base64
import concurrent.futures as cf
import json
import time

import pytest
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


def _oauth2_error(r, status, error):
    body = r.json()
    return r.status_code == status and set(body) == {"error", "error_description"} and body["error"] == error


def test_token_errors_use_the_oauth2_shape(api):
    assert _oauth2_error(token(api.url, ("k1", "bad")), 401, "invalid_client")
    assert _oauth2_error(requests.post(api.url + "/oauth2/token", timeout=10), 401, "invalid_client")
    r = requests.post(api.url + "/oauth2/token", data={"grant_type": "password"}, auth=("k1", "s1"), timeout=10)
    assert _oauth2_error(r, 400, "unsupported_grant_type")
    assert _oauth2_error(requests.post(api.url + "/oauth2/token", auth=("k1", "s1"), timeout=10), 400, "invalid_request")
    assert _oauth2_error(requests.get(api.url + "/oauth2/token", auth=("k1", "s1"), timeout=10), 405, "invalid_request")
    api.admin("POST", "/faults", {"rate": 1.0, "statuses": [503], "path_regex": "/oauth2/token"})
    assert _oauth2_error(token(api.url), 503, "temporarily_unavailable"), "injected faults use the same shape"


def _limited(tmp_path, *args, config=None):
    cfg = {"projects": [{"id": "px", "keys": [{"id": "kx", "secret": "sx"}, {"id": "ky", "secret": "sy"}]}],
           **(config or {})}
    path = tmp_path / "limited.json"
    path.write_text(json.dumps(cfg))
    return Emulator("--config", str(path), *args)


def test_empty_token_bucket_answers_429_without_retry_after_per_key(tmp_path):
    emu = _limited(tmp_path, "--token-bucket", "3", "--token-refill", "0")
    try:
        codes = [token(emu.url, ("kx", "sx")).status_code for _ in range(3)]
        r = token(emu.url, ("kx", "sx"))
        assert codes == [200, 200, 200] and _oauth2_error(r, 429, "too_many_requests")
        assert "Retry-After" not in r.headers
        assert token(emu.url, ("ky", "sy")).status_code == 200, "each key has its own bucket"
        assert requests.get(emu.url + "/v1/projects/px/trunks", auth=("kx", "sx"), timeout=10).status_code == 200, \
            "only the token endpoint is limited"
        assert [e["status"] for e in requests.get(emu.url + "/_emulator/requests", timeout=10).json()["requests"]
                if e["path"] == "/oauth2/token"][3] == 429
    finally:
        assert emu.stop() == 0


def test_token_bucket_refills(tmp_path):
    emu = _limited(tmp_path, "--token-bucket", "1", "--token-refill", "1")
    try:
        assert token(emu.url, ("kx", "sx")).status_code == 200
        assert token(emu.url, ("kx", "sx")).status_code == 429
        time.sleep(1.1)
        assert token(emu.url, ("kx", "sx")).status_code == 200
    finally:
        assert emu.stop() == 0


def test_token_limit_from_the_config_file_and_flags_over_it(tmp_path):
    emu = _limited(tmp_path, config={"token_bucket": 1, "token_refill": 0})
    try:
        assert [token(emu.url, ("kx", "sx")).status_code for _ in range(2)] == [200, 429]
    finally:
        assert emu.stop() == 0
    emu = _limited(tmp_path, "--token-bucket", "0", config={"token_bucket": 1, "token_refill": 0})
    try:
        assert {token(emu.url, ("kx", "sx")).status_code for _ in range(40)} == {200}, "0 turns the limit off"
    finally:
        assert emu.stop() == 0


@pytest.mark.parametrize("args,config", [(("--token-bucket", "-1"), None), ((), {"token_refill": "fast"})])
def test_bad_token_limit_settings_stop_the_start(tmp_path, args, config):
    with pytest.raises(RuntimeError, match="must be a number >= 0"):
        _limited(tmp_path, *args, config=config)


def test_default_bucket_lets_30_requests_through_then_limits_a_burst(api):
    # a key id of its own: the limit counts the key a request claims, so the suite's keys keep their buckets
    def claim(_):
        return token(api.url, ("burst-key", "wrong")).status_code

    with cf.ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(claim, range(60)))
    assert codes.count(401) >= 30 and codes.count(401) + codes.count(429) == 60
    # 60 requests would need 3 s to earn the 30 tokens past the first 30; a burst takes far less
    assert 429 in codes
