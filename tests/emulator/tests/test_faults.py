"""Fault injection: rate, Retry-After, applied-then-500, max_faults, determinism, reset, latency."""

import concurrent.futures as cf
import time

import requests


def _set(api, **cfg):
    r = api.admin("POST", "/faults", cfg)
    assert r.status_code == 200, r.text
    return r.json()


def test_rate_faults_are_not_applied(api):
    _set(api, rate=1.0, statuses=[429], retry_after=2, seed=1)
    r = api.post("/trunks", {"name": "x", "hostName": "faulty"})
    assert r.status_code == 429 and r.headers["Retry-After"] == "2" and r.json()["status"] == "RESOURCE_EXHAUSTED"
    api.admin("DELETE", "/faults")
    assert api.state()["trunks"] == []
    _set(api, rate=1.0, statuses=[503], seed=1)
    r = api.get("/trunks")
    assert r.status_code == 503 and "Retry-After" not in r.headers
    assert api.admin("GET", "/health").json() == {"status": "ok", "sip": None}, "admin API is never faulted"


def test_after_commit(api):
    _set(api, after_commit_rate=1.0, seed=3)
    r = api.post("/trunks", {"name": "x", "hostName": "committed"})
    assert r.status_code == 500 and r.json()["status"] == "INTERNAL"
    assert api.get("/trunks").status_code == 200, "reads are not after-commit faulted"
    api.admin("DELETE", "/faults")
    assert [t["hostName"] for t in api.state()["trunks"]] == ["committed"]


def test_max_faults_and_counts(api):
    _set(api, rate=1.0, statuses=[503], max_faults=2, seed=5)
    codes = [api.get("/trunks").status_code for _ in range(4)]
    assert codes == [503, 503, 200, 200]
    report = api.admin("GET", "/faults").json()
    assert report["counts"]["injected"] == 2 and report["counts"]["by_status"] == {"503": 2}


def test_methods_and_path_regex(api):
    _set(api, rate=1.0, statuses=[503], methods=["post"], path_regex="/trunks$", seed=1)
    assert api.get("/trunks").status_code == 200
    assert api.post("/callBlockingRules", {"direction": "INBOUND"}).status_code == 200
    assert api.post("/trunks", {"name": "x", "hostName": "h"}).status_code == 503


def test_seed_determinism(api):
    def run():
        _set(api, rate=0.5, statuses=[429, 503], seed=42)
        return [api.get("/trunks").status_code for _ in range(30)]
    a, b = run(), run()
    assert a == b and {200, 429, 503} <= set(a)


def test_clear_with_empty_body_and_bad_config(api):
    _set(api, rate=1.0)
    _set(api)
    assert api.get("/trunks").status_code == 200
    assert api.admin("POST", "/faults", {"rate": 2}).status_code == 400
    assert api.admin("POST", "/faults", {"bogus": 1}).status_code == 400


def test_reset_aborts_connection(api):
    _set(api, reset_rate=1.0, seed=1)
    try:
        r = requests.get(api.url + "/v1/projects/p1/trunks", auth=("k1", "s1"), timeout=5)
        r.json()
        failed = False
    except (requests.exceptions.RequestException, ValueError):
        failed = True
    assert failed
    api.admin("DELETE", "/faults")
    log = api.admin("GET", "/requests").json()["requests"]
    assert log[-1]["status"] == 0


def test_latency(api):
    _set(api, latency_ms=200)
    r = api.get("/trunks")
    assert r.elapsed.total_seconds() >= 0.19


def test_latency_delays_requests_concurrently(api):
    _set(api, latency_ms=300)

    def read(_):
        return requests.get(api.url + "/v1/projects/p1/trunks", auth=("k1", "s1"), timeout=30).status_code

    started = time.monotonic()
    with cf.ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(read, range(8)))
    elapsed = time.monotonic() - started
    assert codes == [200] * 8
    # one at a time would take 8 x 300 ms; the generous bound only rules out serialised delays
    assert elapsed < 4 * 0.3, f"8 concurrent requests with 300 ms latency took {elapsed:.2f} s"
