# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Retries that depend on what failed: refused connections, the token endpoint's 429, and the gate
every worker of one run shares after a 429."""

from __future__ import annotations

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NewConnectionError

from ansible_collections.sinch.est.plugins.module_utils._client import client_from_values
from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError, EstConfigError
from ansible_collections.sinch.est.plugins.module_utils._transport import REFUSED_RETRY_BUDGET, Timing

API = "https://elastic-trunking.api.sinch.com"
AUTH = "https://auth.sinch.com/oauth2/token"
BASE = API + "/v1/projects/p1"


def client(fake_time, **options):
    settings = dict(project_id="p1", key_id="k1", key_secret="secret-value-1")
    settings.update(options)
    return client_from_values(settings, timing=Timing(sleep=fake_time.sleep, clock=fake_time.clock,
                                                      wall_clock=lambda: 0.0, jitter=lambda: 1.0))


def refused():
    return requests.exceptions.ConnectionError(
        MaxRetryError(None, BASE, NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")))


def test_a_refused_connection_is_retried_for_at_most_the_budget(api, fake_time):
    api.add(responses.POST, AUTH, body=refused())
    with pytest.raises(EstApiError) as caught:
        client(fake_time, retries=5).token()
    assert sum(fake_time.sleeps) == pytest.approx(REFUSED_RETRY_BUDGET)
    assert "refused" in str(caught.value) and f"{REFUSED_RETRY_BUDGET:g}s per task" in str(caught.value)


def test_the_refused_budget_is_spent_once_per_run_not_per_request(api, fake_time):
    api.add(responses.GET, BASE + "/trunks/a", body=refused())
    api.add(responses.GET, BASE + "/trunks/b", body=refused())
    est = client(fake_time, access_token="tok")
    for path in ("/trunks/a", "/trunks/b"):
        with pytest.raises(EstApiError):
            est.get(path)
    assert sum(fake_time.sleeps) == pytest.approx(REFUSED_RETRY_BUDGET)
    assert len([call for call in api.calls if call.request.url.endswith("/trunks/b")]) == 1


def test_a_refused_connection_that_comes_back_succeeds(api, fake_time):
    api.add(responses.GET, BASE + "/trunks/a", body=refused())
    api.add(responses.GET, BASE + "/trunks/a", json={"id": "a"})
    assert client(fake_time, access_token="tok").get("/trunks/a") == {"id": "a"}


def test_a_503_keeps_the_full_retry_policy(api, fake_time):
    for _attempt in range(5):
        api.add(responses.GET, BASE + "/trunks/a", status=503, json={"status": "UNAVAILABLE"})
    api.add(responses.GET, BASE + "/trunks/a", json={"id": "a"})
    assert client(fake_time, access_token="tok", retries=5).get("/trunks/a") == {"id": "a"}
    assert fake_time.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0]


def test_a_token_429_without_retry_after_backs_off_from_one_second_growing_four_times(api, fake_time):
    for _attempt in range(3):
        api.add(responses.POST, AUTH, status=429, json={"error": "rate_limited", "error_description": "slow down"})
    api.add(responses.POST, AUTH, json={"access_token": "tok-1", "expires_in": 3599})
    assert client(fake_time).token() == "tok-1"
    assert fake_time.sleeps == [1.0, 4.0, 16.0]


def test_an_oauth2_error_reads_as_a_sentence(api, fake_time):
    api.add(responses.POST, AUTH, status=401, json={"error": "invalid_client", "error_description": "Bad credentials"})
    with pytest.raises(EstApiError) as caught:
        client(fake_time).token()
    assert "invalid_client: Bad credentials" in str(caught.value)
    assert "key_id 'k1'" in str(caught.value)


def test_a_429_to_one_worker_holds_the_next_request_of_every_other_worker(api):
    sleeps = []
    main = client_from_values({"project_id": "p1", "access_token": "tok"},
                              timing=Timing(sleep=sleeps.append, clock=lambda: 0.0, wall_clock=lambda: 0.0,
                                            jitter=lambda: 1.0))
    api.add(responses.GET, BASE + "/a", status=429, headers={"Retry-After": "3"}, json={"status": "RESOURCE_EXHAUSTED"})
    api.add(responses.GET, BASE + "/a", json={"id": "a"})
    api.add(responses.GET, BASE + "/b", json={"id": "b"})
    first, second = main.worker(), main.worker()
    assert first.get("/a") == {"id": "a"}
    assert sleeps == [3.0]
    assert second.get("/b") == {"id": "b"}
    assert sleeps == [3.0, 3.0]


def test_worker_clients_share_the_token_and_the_gate_but_not_the_session(api, fake_time):
    api.add(responses.POST, AUTH, json={"access_token": "tok-1", "expires_in": 3599})
    main = client(fake_time)
    worker = main.worker()
    assert worker.token() == main.token() == "tok-1"
    assert len([call for call in api.calls if call.request.url == AUTH]) == 1
    assert worker.transport.gate is main.transport.gate
    assert worker.session is not main.session


@pytest.mark.parametrize("option, url", [
    ("api_url", API + "/v1/projects/p1"),
    ("api_url", API + "/v1/"),
    ("numbers_api_url", "https://numbers.api.sinch.com/v1/projects/p1/activeNumbers"),
    ("auth_url", "https://auth.sinch.com/oauth2/token"),
])
def test_a_url_that_includes_the_api_path_is_refused_saying_what_to_give(fake_time, option, url):
    with pytest.raises(EstConfigError) as caught:
        client(fake_time, **{option: url})
    assert caught.value.option == option
    assert "base URL only" in str(caught.value) and "adds /v1/projects" in str(caught.value)


def test_a_missing_key_secret_names_its_environment_variable(fake_time):
    with pytest.raises(EstConfigError) as caught:
        client(fake_time, key_secret=None)
    assert caught.value.option == "key_secret" and "SINCH_KEY_SECRET" in str(caught.value)


def test_a_rejected_access_token_is_not_blamed_on_the_key(api, fake_time):
    api.add(responses.GET, BASE + "/trunks", status=401, json={"status": "UNAUTHENTICATED", "message": "bad token"})
    with pytest.raises(EstApiError) as caught:
        client(fake_time, access_token="tok-given").get("/trunks")
    assert "rejected the access_token" in str(caught.value)
    assert "key_id" not in str(caught.value).split(".", maxsplit=1)[0]
