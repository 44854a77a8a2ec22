# Copyright (c) sinch.est maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import base64
import email.utils
import io
import json
import os
import re

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NewConnectionError

from ansible_collections.sinch.est.plugins.module_utils import _client
from ansible_collections.sinch.est.plugins.module_utils._client import (
    COLLECTION_VERSION,
    client_from_module,
    client_from_values,
    path_segment,
)
from ansible_collections.sinch.est.plugins.module_utils._connection import connection_argument_spec
from ansible_collections.sinch.est.plugins.module_utils._errors import EstAmbiguousWriteError, EstApiError, EstConfigError
from ansible_collections.sinch.est.plugins.module_utils._transport import Timing

API = "https://elastic-trunking.api.sinch.com"
AUTH = "https://auth.sinch.com/oauth2/token"
NUMBERS = "https://numbers.api.sinch.com"
PROJECT = "proj-1"
BASE = API + "/v1/projects/" + PROJECT
KEY_ID = "key-id-1"
KEY_SECRET = "s3cr3t-key-secret-value"
TOKEN = "tok-aaaaaaaaaaaaaaaaaaaa"
TOKEN_2 = "tok-bbbbbbbbbbbbbbbbbbbb"
NOW_EPOCH = 1700000000.0


@pytest.fixture
def warnings():
    return []


@pytest.fixture
def make_client(fake_time, warnings):
    def make(**overrides):
        timing = dict(sleep=fake_time.sleep, clock=fake_time.clock, wall_clock=lambda: NOW_EPOCH, jitter=lambda: 1.0)
        timing.update({name: overrides.pop(name) for name in list(overrides) if name in timing})
        options = dict(project_id=PROJECT, key_id=KEY_ID, key_secret=KEY_SECRET)
        options.update(overrides)
        return client_from_values(options, warn=warnings.append, timing=Timing(**timing))

    return make


def add_token(api, token=TOKEN):
    api.add(responses.POST, AUTH, json={"access_token": token, "expires_in": 3599, "token_type": "bearer"})


def calls_to(api, url_prefix):
    return [call for call in api.calls if call.request.url.startswith(url_prefix)]


def everything_visible(error):
    return " ".join([str(error), repr(error), json.dumps(error.to_failure()), repr(vars(error))])


# ---------------------------------------------------------------- authentication


def test_token_is_fetched_once_and_reused_for_every_request(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/t1", json={"id": "t1"})
    api.add(responses.GET, BASE + "/accessControlLists/a1", json={"id": "a1"})
    client = make_client()

    client.get("/trunks/t1")
    client.get("/accessControlLists/a1")

    assert len(calls_to(api, AUTH)) == 1
    for call in calls_to(api, BASE):
        assert call.request.headers["Authorization"] == "Bearer " + TOKEN
    assert client.requests_sent == 3


def test_token_request_uses_client_credentials_with_basic_key(api, make_client):
    add_token(api)
    client = make_client()

    assert client.token() == TOKEN

    request = api.calls[0].request
    expected = base64.b64encode((KEY_ID + ":" + KEY_SECRET).encode()).decode()
    assert request.headers["Authorization"] == "Basic " + expected
    assert request.body == "grant_type=client_credentials"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_access_token_is_used_without_fetching_a_token(api, make_client):
    api.add(responses.GET, BASE + "/trunks/t1", json={"id": "t1"})
    client = make_client(key_id=None, key_secret=None, access_token="given-token")

    client.get("/trunks/t1")

    assert calls_to(api, AUTH) == []
    assert api.calls[0].request.headers["Authorization"] == "Bearer given-token"
    assert client.token() == "given-token"


def test_expired_token_is_renewed_once_and_the_request_repeated(api, make_client):
    add_token(api, TOKEN)
    add_token(api, TOKEN_2)
    api.add(responses.GET, BASE + "/trunks/t1", status=401,
            headers={"WWW-Authenticate": 'Bearer error="invalid_token", error_description="Token EXPIRED"'})
    api.add(responses.GET, BASE + "/trunks/t1", json={"id": "t1"})
    client = make_client()

    assert client.get("/trunks/t1") == {"id": "t1"}

    assert len(calls_to(api, AUTH)) == 2
    assert [c.request.headers["Authorization"] for c in calls_to(api, BASE)] == [
        "Bearer " + TOKEN,
        "Bearer " + TOKEN_2,
    ]


def test_second_expired_401_after_renewal_fails_without_looping(api, make_client):
    add_token(api, TOKEN)
    add_token(api, TOKEN_2)
    api.add(responses.GET, BASE + "/trunks/t1", status=401, headers={"WWW-Authenticate": "Bearer expired"})
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks/t1")

    assert len(calls_to(api, BASE)) == 2
    assert len(calls_to(api, AUTH)) == 2
    assert "UNAUTHENTICATED" in str(caught.value)
    assert "expired again" in str(caught.value)


def test_expired_access_token_without_key_fails_and_says_how_to_get_a_new_one(api, make_client):
    api.add(responses.GET, BASE + "/trunks/t1", status=401, headers={"WWW-Authenticate": "Bearer expired"})
    client = make_client(key_id=None, key_secret=None, access_token="old-token")

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks/t1")

    assert len(api.calls) == 1
    assert "sinch.est.token" in str(caught.value)


def test_wrong_key_makes_one_token_request_and_fails_unauthenticated(api, make_client, fake_time):
    api.add(responses.POST, AUTH, status=401, json={"error": "invalid_client", "error_description": "bad key"})
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks")

    message = str(caught.value)
    assert len(api.calls) == 1
    assert fake_time.sleeps == []
    assert message.startswith("UNAUTHENTICATED")
    assert KEY_ID in message
    assert AUTH in message
    assert "check key_id/key_secret" in message
    assert caught.value.status_code == 401


def test_non_expired_401_fails_at_once_without_retry_or_renewal(api, make_client, fake_time):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks", status=401,
            json={"code": 401, "status": "UNAUTHENTICATED", "message": "wrong project"},
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks")

    assert len(calls_to(api, BASE)) == 1
    assert len(calls_to(api, AUTH)) == 1
    assert fake_time.sleeps == []
    assert caught.value.api_status == "UNAUTHENTICATED"
    assert "wrong project" in str(caught.value)


def test_basic_auth_sends_the_key_on_each_request_and_warns_once(api, make_client, warnings):
    api.add(responses.GET, BASE + "/trunks/t1", json={"id": "t1"})
    client = make_client(auth_method="basic")

    client.get("/trunks/t1")
    client.get("/trunks/t1")

    expected = base64.b64encode((KEY_ID + ":" + KEY_SECRET).encode()).decode()
    assert calls_to(api, AUTH) == []
    assert all(c.request.headers["Authorization"] == "Basic " + expected for c in api.calls)
    assert len(warnings) == 1
    assert "Basic" in warnings[0] and "testing" in warnings[0]


def test_oauth2_does_not_warn(make_client, warnings):
    make_client()

    assert warnings == []


def test_key_id_without_key_secret_is_refused(make_client):
    with pytest.raises(EstConfigError) as caught:
        make_client(key_secret=None)

    assert caught.value.option == "key_secret"


# ---------------------------------------------------------------- retries


def test_429_with_retry_after_seconds_waits_that_long(api, make_client, fake_time):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/t1", status=429, headers={"Retry-After": "7"})
    api.add(responses.GET, BASE + "/trunks/t1", json={"id": "t1"})
    client = make_client()

    assert client.get("/trunks/t1") == {"id": "t1"}

    assert fake_time.sleeps == [7.0]


def test_429_with_retry_after_http_date_waits_until_that_time(api, make_client, fake_time):
    add_token(api)
    when = email.utils.formatdate(NOW_EPOCH + 12, usegmt=True)
    api.add(responses.GET, BASE + "/trunks/t1", status=429, headers={"Retry-After": when})
    api.add(responses.GET, BASE + "/trunks/t1", json={"id": "t1"})
    client = make_client()

    client.get("/trunks/t1")

    assert fake_time.sleeps == [pytest.approx(12.0)]


def test_retry_after_is_capped_by_the_remaining_deadline(api, make_client, fake_time):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/t1", status=429, headers={"Retry-After": "600"})
    api.add(responses.GET, BASE + "/trunks/t1", json={"id": "t1"})
    client = make_client(retry_deadline=20)

    client.get("/trunks/t1")

    assert fake_time.sleeps == [20.0]


def test_503_is_retried_then_succeeds(api, make_client, fake_time):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/t1", status=503)
    api.add(responses.GET, BASE + "/trunks/t1", status=503)
    api.add(responses.GET, BASE + "/trunks/t1", json={"id": "t1"})
    client = make_client()

    assert client.get("/trunks/t1") == {"id": "t1"}

    assert len(calls_to(api, BASE)) == 3
    assert fake_time.sleeps == [0.5, 1.0]


def test_backoff_doubles_up_to_the_cap_with_full_jitter(api, make_client, fake_time):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/t1", status=502)
    client = make_client(retries=8, retry_deadline=1000, jitter=lambda: 0.5)

    with pytest.raises(EstApiError):
        client.get("/trunks/t1")

    assert fake_time.sleeps == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 15.0]


def test_exhausted_retries_fail_with_the_number_of_attempts(api, make_client):
    add_token(api)
    api.add(responses.PUT, BASE + "/trunks/t1", status=503,
            json={"code": 503, "status": "UNAVAILABLE", "message": "try later"})
    client = make_client(retries=2)

    with pytest.raises(EstApiError) as caught:
        client.put("/trunks/t1", {"name": "a"})

    assert caught.value.attempts == 3
    assert caught.value.status_code == 503
    assert "3 attempts" in str(caught.value)
    assert "retries=2" in str(caught.value)
    assert len(calls_to(api, BASE)) == 3


def test_retry_deadline_stops_retrying_before_retries_run_out(api, make_client, fake_time):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/t1", status=504)
    client = make_client(retries=50, retry_deadline=3)

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks/t1")

    assert sum(fake_time.sleeps) <= 3
    assert fake_time.sleeps == [0.5, 1.0, 1.5]
    assert caught.value.attempts == 4
    assert "retry_deadline" in str(caught.value)


def test_zero_retries_sends_once(api, make_client, fake_time):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/t1", status=429)
    client = make_client(retries=0)

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks/t1")

    assert len(calls_to(api, BASE)) == 1
    assert fake_time.sleeps == []
    assert "1 attempt" in str(caught.value)


def test_500_on_a_get_is_not_retried(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/t1", status=500, json={"status": "INTERNAL", "message": "boom"})
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks/t1")

    assert len(calls_to(api, BASE)) == 1
    assert not caught.value.ambiguous


def test_get_is_retried_after_a_connection_reset(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/t1", body=requests.exceptions.ConnectionError("connection reset"))
    api.add(responses.GET, BASE + "/trunks/t1", json={"id": "t1"})
    client = make_client()

    assert client.get("/trunks/t1") == {"id": "t1"}


def test_get_is_retried_after_a_read_timeout(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/t1", body=requests.exceptions.ReadTimeout("read timed out"))
    api.add(responses.GET, BASE + "/trunks/t1", json={"id": "t1"})
    client = make_client()

    assert client.get("/trunks/t1") == {"id": "t1"}


def test_tls_error_is_not_retried_and_points_at_ca_path(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/t1", body=requests.exceptions.SSLError("certificate verify failed"))
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks/t1")

    assert len(calls_to(api, BASE)) == 1
    assert "ca_path" in str(caught.value)


def test_connection_errors_exhausting_retries_name_the_host(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/t1", body=requests.exceptions.ConnectionError("connection reset"))
    client = make_client(retries=1)

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks/t1")

    assert caught.value.status_code is None
    assert "elastic-trunking.api.sinch.com" in str(caught.value)
    assert "2 attempts" in str(caught.value)


def test_post_is_not_repeated_after_a_500(api, make_client):
    add_token(api)
    api.add(responses.POST, BASE + "/trunks", status=500, json={"status": "INTERNAL", "message": "oops"})
    client = make_client()

    with pytest.raises(EstAmbiguousWriteError) as caught:
        client.post("/trunks", {"name": "a", "hostName": "a"})

    assert len(calls_to(api, BASE)) == 1
    assert caught.value.ambiguous is True
    assert isinstance(caught.value, EstApiError)
    assert "not repeated" in str(caught.value)
    assert caught.value.to_failure()["api_error"]["ambiguous"] is True


def test_post_is_not_repeated_after_a_503(api, make_client):
    add_token(api)
    api.add(responses.POST, BASE + "/trunks", status=503)
    client = make_client()

    with pytest.raises(EstAmbiguousWriteError):
        client.post("/trunks", {"name": "a"})

    assert len(calls_to(api, BASE)) == 1


def test_post_is_not_repeated_after_a_read_timeout(api, make_client):
    add_token(api)
    api.add(responses.POST, BASE + "/trunks", body=requests.exceptions.ReadTimeout("read timed out"))
    client = make_client()

    with pytest.raises(EstAmbiguousWriteError) as caught:
        client.post("/trunks", {"name": "a"})

    assert len(calls_to(api, BASE)) == 1
    assert "1 attempt" in str(caught.value)


def test_post_is_not_repeated_after_a_connection_reset(api, make_client):
    add_token(api)
    api.add(responses.POST, BASE + "/trunks", body=requests.exceptions.ConnectionError("connection reset by peer"))
    client = make_client()

    with pytest.raises(EstAmbiguousWriteError):
        client.post("/trunks", {"name": "a"})

    assert len(calls_to(api, BASE)) == 1


def test_post_is_repeated_after_a_429(api, make_client, fake_time):
    add_token(api)
    api.add(responses.POST, BASE + "/trunks", status=429, headers={"Retry-After": "2"})
    api.add(responses.POST, BASE + "/trunks", status=201, json={"id": "t1"})
    client = make_client()

    assert client.post("/trunks", {"name": "a"}) == {"id": "t1"}

    assert len(calls_to(api, BASE)) == 2
    assert fake_time.sleeps == [2.0]


def test_post_is_repeated_when_the_connection_was_refused(api, make_client):
    add_token(api)
    refused = requests.exceptions.ConnectionError(
        MaxRetryError(None, BASE + "/trunks", NewConnectionError(None, "[Errno 111] Connection refused"))
    )
    api.add(responses.POST, BASE + "/trunks", body=refused)
    api.add(responses.POST, BASE + "/trunks", status=201, json={"id": "t1"})
    client = make_client()

    assert client.post("/trunks", {"name": "a"}) == {"id": "t1"}

    assert len(calls_to(api, BASE)) == 2


def test_post_is_repeated_after_a_connect_timeout(api, make_client):
    add_token(api)
    api.add(responses.POST, BASE + "/trunks", body=requests.exceptions.ConnectTimeout("connect timed out"))
    api.add(responses.POST, BASE + "/trunks", status=201, json={"id": "t1"})
    client = make_client()

    assert client.post("/trunks", {"name": "a"}) == {"id": "t1"}


def test_token_endpoint_503_is_retried(api, make_client):
    api.add(responses.POST, AUTH, status=503)
    add_token(api)
    client = make_client()

    assert client.token() == TOKEN
    assert len(calls_to(api, AUTH)) == 2


# ---------------------------------------------------------------- pagination


def page_matcher(page, size=500):
    return [responses.matchers.query_param_matcher({"page": str(page), "size": str(size)}, strict_match=False)]


def test_paginate_reads_every_page_in_order(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks", match=page_matcher(1, 2),
            json={"trunks": [{"id": 1}, {"id": 2}], "totalItems": 5, "pageNumber": 1, "pageSize": 2})
    api.add(responses.GET, BASE + "/trunks", match=page_matcher(2, 2),
            json={"trunks": [{"id": 3}, {"id": 4}], "totalItems": 5, "pageNumber": 2, "pageSize": 2})
    api.add(responses.GET, BASE + "/trunks", match=page_matcher(3, 2),
            json={"trunks": [{"id": 5}], "totalItems": 5, "pageNumber": 3, "pageSize": 2})
    client = make_client()

    items = list(client.paginate("/trunks", "trunks", page_size=2))

    assert [item["id"] for item in items] == [1, 2, 3, 4, 5]
    assert len(calls_to(api, BASE)) == 3


def test_paginate_stops_once_total_items_are_fetched(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks", match=page_matcher(1),
            json={"trunks": [{"id": 1}, {"id": 2}], "totalItems": 2})
    client = make_client()

    assert len(list(client.paginate("/trunks", "trunks"))) == 2
    assert len(calls_to(api, BASE)) == 1


def test_paginate_stops_on_an_empty_page_without_total_items(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/endpoints", match=page_matcher(1), json={"endpoints": [{"id": 1}]})
    api.add(responses.GET, BASE + "/endpoints", match=page_matcher(2), json={"endpoints": []})
    client = make_client()

    assert len(list(client.paginate("/endpoints", "endpoints"))) == 1
    assert len(calls_to(api, BASE)) == 2


def test_paginate_ignores_a_wrong_echoed_page_size(api, make_client):
    # The echoed size claims 1000 per page: trusting it would stop after page 1 and drop items.
    add_token(api)
    api.add(responses.GET, BASE + "/trunks", match=page_matcher(1, 2),
            json={"sipTrunks": [{"id": 1}, {"id": 2}], "totalItems": 3, "size": 1000, "pageNumber": "1"})
    api.add(responses.GET, BASE + "/trunks", match=page_matcher(2, 2),
            json={"sipTrunks": [{"id": 3}], "totalItems": 3, "size": 1000, "pageNumber": "1"})
    client = make_client()

    items = list(client.paginate("/trunks", ("trunks", "sipTrunks"), page_size=2))

    assert [item["id"] for item in items] == [1, 2, 3]


def test_paginate_accepts_total_items_as_a_string(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks", match=page_matcher(1),
            json={"trunks": [{"id": 1}], "totalItems": "1"})
    client = make_client()

    assert len(list(client.paginate("/trunks", "trunks"))) == 1
    assert len(calls_to(api, BASE)) == 1


def test_paginate_takes_a_bare_array_as_the_whole_list(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/callBlockingRules", json=[{"id": "r1"}, {"id": "r2"}])
    client = make_client()

    assert [r["id"] for r in client.paginate("/callBlockingRules", "callBlockingRules")] == ["r1", "r2"]
    assert len(calls_to(api, BASE)) == 1


def test_paginate_fails_at_the_page_limit_instead_of_truncating(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks", json={"trunks": [{"id": 1}]})
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        list(client.paginate("/trunks", "trunks", max_pages=3))

    assert "page limit of 3" in str(caught.value)
    assert len(calls_to(api, BASE)) == 3


def test_paginate_sends_no_request_after_the_caller_stops(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks", json={"trunks": [{"id": 1}, {"id": 2}], "totalItems": 100})
    client = make_client()

    for item in client.paginate("/trunks", "trunks", page_size=2):
        break

    assert len(calls_to(api, BASE)) == 1


def test_paginate_passes_the_caller_filters_with_page_and_size(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/phoneNumbers", json={"phoneNumbers": []})
    client = make_client()

    list(client.paginate("/phoneNumbers", "phoneNumbers", params={"sipTrunkId": "t1"}, page_size=50))

    assert api.calls[-1].request.params == {"sipTrunkId": "t1", "page": "1", "size": "50"}


def test_paginate_treats_a_missing_items_key_with_no_total_as_empty(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks", json={"totalItems": 0})
    client = make_client()

    assert list(client.paginate("/trunks", "trunks")) == []


def test_paginate_fails_when_the_items_key_is_missing_but_items_remain(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks", json={"items": [{"id": 1}], "totalItems": 1})
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        list(client.paginate("/trunks", "trunks"))

    assert "no trunks list" in str(caught.value)


# ---------------------------------------------------------------- error shaping


def test_bare_error_is_shaped_for_the_reader(api, make_client):
    add_token(api)
    api.add(responses.POST, BASE + "/trunks", status=400, json={
        "code": 400,
        "status": "INVALID_ARGUMENT",
        "message": "Invalid trunk",
        "details": [
            {"@type": "type.googleapis.com/google.rpc.BadRequest",
             "fieldViolations": [{"field": "hostName", "description": "only letters, digits and hyphens"}]},
            {"@type": "type.googleapis.com/google.rpc.RequestInfo", "requestId": "abc"},
        ],
    })
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        client.post("/trunks", {"hostName": "a_b"})

    error = caught.value
    assert str(error) == (
        "POST /v1/projects/proj-1/trunks failed: HTTP 400 INVALID_ARGUMENT: Invalid trunk "
        "(field hostName: only letters, digits and hyphens) [request id abc; 1 attempt]"
    )
    assert error.method == "POST"
    assert error.path == "/v1/projects/proj-1/trunks"
    assert error.status_code == 400
    assert error.api_status == "INVALID_ARGUMENT"
    assert error.api_message == "Invalid trunk"
    assert error.request_id == "abc"
    assert len(error.details) == 2
    assert not error.ambiguous


def test_error_inside_an_error_envelope_is_read(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/x", status=404,
            json={"error": {"code": 404, "status": "NOT_FOUND", "message": "Trunk not found"}})
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks/x")

    assert caught.value.not_found
    assert caught.value.api_status == "NOT_FOUND"
    assert caught.value.api_message == "Trunk not found"


def test_conflict_is_flagged(api, make_client):
    add_token(api)
    api.add(responses.POST, BASE + "/trunks", status=409, json={"status": "ALREADY_EXISTS", "message": "taken"})
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        client.post("/trunks", {"hostName": "a"})

    assert caught.value.conflict
    assert not caught.value.not_found


def test_request_id_falls_back_to_the_response_header(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/x", status=403, json={"status": "PERMISSION_DENIED", "message": "no"},
            headers={"X-Request-Id": "req-77"})
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks/x")

    assert caught.value.request_id == "req-77"
    assert "request id req-77" in str(caught.value)


def test_non_json_error_body_is_described(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/x", status=502, body="<html>Bad gateway</html>",
            content_type="text/html")
    client = make_client(retries=0)

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks/x")

    assert caught.value.status_code == 502
    assert "invalid JSON in response" in caught.value.api_message
    assert "Bad gateway" in caught.value.api_message


def test_non_json_success_body_is_an_error(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/x", status=200, body="<html>login</html>", content_type="text/html")
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks/x")

    assert caught.value.status_code == 200
    assert "invalid JSON in response" in caught.value.api_message
    assert "invalid JSON in response" in str(caught.value)


def test_truncated_json_body_is_an_error(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks", status=200, body='{"trunks": [{"id": "t1"', content_type="application/json")
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks")

    assert "invalid JSON in response" in caught.value.api_message


def test_no_content_reply_is_none(api, make_client):
    add_token(api)
    api.add(responses.DELETE, BASE + "/trunks/t1", status=204)
    api.add(responses.PUT, BASE + "/countryPermissions/US", status=200, body="")
    client = make_client()

    assert client.delete("/trunks/t1") is None
    assert client.put("/countryPermissions/US", {"enabled": True}) is None


def test_to_failure_is_ready_for_fail_json(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/x", status=404, json={"status": "NOT_FOUND", "message": "gone"})
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks/x")

    failure = caught.value.to_failure()
    assert failure["msg"] == str(caught.value)
    assert failure["api_error"] == {
        "method": "GET",
        "path": "/v1/projects/proj-1/trunks/x",
        "url": BASE + "/trunks/x",
        "status_code": 404,
        "attempts": 1,
        "api_status": "NOT_FOUND",
        "api_message": "gone",
        "details": [],
        "request_id": None,
        "ambiguous": False,
    }
    json.dumps(failure)


# ---------------------------------------------------------------- secret hygiene


def test_secrets_never_appear_in_an_error_that_echoes_them(api, make_client):
    add_token(api)
    echo = "Authorization Bearer %s with key %s rejected" % (TOKEN, KEY_SECRET)
    api.add(responses.GET, BASE + "/trunks/x", status=400,
            json={"status": "INVALID_ARGUMENT", "message": echo, "details": [{"reason": echo}]})
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks/x")

    visible = everything_visible(caught.value)
    assert TOKEN not in visible
    assert KEY_SECRET not in visible
    assert "********" in visible


def test_access_token_never_appears_in_an_unauthenticated_error(api, make_client):
    api.add(responses.GET, BASE + "/trunks/x", status=401, body="token given-access-token-123 is invalid",
            headers={"WWW-Authenticate": "Bearer"})
    client = make_client(key_id=None, key_secret=None, access_token="given-access-token-123")

    with pytest.raises(EstApiError) as caught:
        client.get("/trunks/x")

    assert "given-access-token-123" not in everything_visible(caught.value)


def test_key_secret_never_appears_in_a_token_endpoint_failure(api, make_client):
    api.add(responses.POST, AUTH, status=401, json={"error": "invalid_client", "error_description": KEY_SECRET})
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        client.token()

    assert KEY_SECRET not in everything_visible(caught.value)


def test_password_sent_in_a_body_never_appears_in_the_error(api, make_client):
    add_token(api)
    api.add(responses.PUT, BASE + "/credentialLists/c1/credentials/alice", status=400,
            json={"status": "INVALID_ARGUMENT", "message": "password hunter2hunter2 too weak"})
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        client.put("/credentialLists/c1/credentials/alice", {"password": "hunter2hunter2"})

    assert "hunter2hunter2" not in everything_visible(caught.value)


def test_client_repr_holds_no_secret(make_client):
    client = make_client(access_token="given-access-token-123")

    assert KEY_SECRET not in repr(client)
    assert "given-access-token-123" not in repr(client)


# ---------------------------------------------------------------- URLs and transport


@pytest.mark.parametrize("option", ["api_url", "auth_url", "numbers_api_url"])
def test_plain_http_to_a_remote_host_is_refused_naming_the_option(make_client, option):
    with pytest.raises(EstConfigError) as caught:
        make_client(**{option: "http://est.example.com"})

    assert caught.value.option == option
    assert str(caught.value).startswith(option)
    assert "allow_insecure_http" in str(caught.value)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8765",
    "http://127.8.9.10",
    "http://localhost:8765",
    "http://[::1]:8765",
])
def test_plain_http_to_loopback_is_allowed(make_client, url):
    assert make_client(api_url=url).api_url == url


def test_plain_http_to_a_remote_host_is_allowed_with_allow_insecure_http(make_client):
    client = make_client(api_url="http://emulator.ci:8765/", allow_insecure_http=True)

    assert client.api_url == "http://emulator.ci:8765"


@pytest.mark.parametrize("url", ["ftp://est.example.com", "elastic-trunking.api.sinch.com", "https://",
                                 "https://user:pw@est.example.com"])
def test_a_url_that_is_not_http_or_https_is_refused(make_client, url):
    with pytest.raises(EstConfigError) as caught:
        make_client(api_url=url)

    assert caught.value.option == "api_url"
    assert "pw@" not in str(caught.value)


def test_numbers_api_requests_go_to_the_numbers_host(api, make_client):
    add_token(api)
    api.add(responses.PATCH, NUMBERS + "/v1/projects/proj-1/activeNumbers/%2B15551234567", json={"ok": True})
    client = make_client()

    client.patch("/activeNumbers/" + path_segment("+15551234567"), {"voiceConfiguration": {}}, api="numbers")

    assert api.calls[-1].request.url == NUMBERS + "/v1/projects/proj-1/activeNumbers/%2B15551234567"


def test_api_url_with_a_path_prefix_is_kept(api, make_client):
    add_token(api)
    api.add(responses.GET, "https://proxy.example.com/est/v1/projects/proj-1/trunks/t1", json={})
    client = make_client(api_url="https://proxy.example.com/est/")

    client.get("/trunks/t1")


def test_every_request_carries_the_timeout(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/trunks/t1", status=503)
    api.add(responses.GET, BASE + "/trunks/t1", json={})
    api.add(responses.POST, BASE + "/trunks", json={})
    api.add(responses.GET, BASE + "/calls/export", body=b"a,b\n")
    client = make_client(timeout=12.5)

    client.get("/trunks/t1")
    client.post("/trunks", {})
    client.download("/calls/export", None, io.BytesIO())

    assert len(api.calls) == 5
    assert all(call.request.req_kwargs["timeout"] == 12.5 for call in api.calls)


def test_certificates_are_checked_against_ca_path_when_given(api, make_client):
    add_token(api)
    client = make_client(ca_path="/etc/my-ca.pem")

    client.token()

    assert api.calls[0].request.req_kwargs["verify"] == "/etc/my-ca.pem"


def test_validate_certs_false_turns_verification_off(make_client):
    assert make_client(validate_certs=False, ca_path="/etc/my-ca.pem").verify is False


def test_user_agent_names_collection_core_and_requests(api, make_client):
    from ansible.module_utils.ansible_release import __version__ as core_version

    add_token(api)
    api.add(responses.GET, BASE + "/trunks/t1", json={})
    client = make_client()

    client.get("/trunks/t1")

    expected = "sinch.est/%s (ansible-core %s) python-requests/%s" % (
        COLLECTION_VERSION, core_version, requests.__version__)
    assert all(call.request.headers["User-Agent"] == expected for call in api.calls)


def test_collection_version_matches_galaxy_yml():
    galaxy = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "galaxy.yml")
    with open(galaxy) as handle:
        match = re.search(r"^version:\s*['\"]?([^'\"\s]+)", handle.read(), re.MULTILINE)

    assert match and match.group(1) == COLLECTION_VERSION


def test_download_streams_the_body_into_the_file(api, make_client):
    add_token(api)
    body = b"x" * (_client.DOWNLOAD_CHUNK_SIZE * 2 + 17)
    api.add(responses.GET, BASE + "/calls/records/p1/pcap", body=body,
            match=[responses.matchers.query_param_matcher({"direction": "INBOUND"})])
    client = make_client()
    target = io.BytesIO()

    written = client.download("/calls/records/p1/pcap", {"direction": "INBOUND"}, target)

    assert written == len(body)
    assert target.getvalue() == body
    assert api.calls[-1].request.req_kwargs["stream"] is True


def test_download_error_is_an_est_api_error(api, make_client):
    add_token(api)
    api.add(responses.GET, BASE + "/calls/records/p1/pcap", status=404, json={"status": "NOT_FOUND", "message": "expired"})
    client = make_client()

    with pytest.raises(EstApiError) as caught:
        client.download("/calls/records/p1/pcap", None, io.BytesIO())

    assert caught.value.not_found


def test_path_segment_quotes_plus_slash_and_spaces():
    assert path_segment("+15551234567") == "%2B15551234567"
    assert path_segment("a/b c") == "a%2Fb%20c"
    assert path_segment("01HXYZ-abc_~.") == "01HXYZ-abc_~."


def test_path_segment_refuses_an_empty_value():
    with pytest.raises(ValueError):
        path_segment("")


def test_project_id_is_quoted_into_the_path(api, make_client):
    add_token(api)
    api.add(responses.GET, API + "/v1/projects/a%2Fb/trunks", json={})
    client = make_client(project_id="a/b")

    client.get("/trunks")


# ---------------------------------------------------------------- argument spec and module glue

ENV_NAMES = {
    "project_id": "SINCH_PROJECT_ID",
    "key_id": "SINCH_KEY_ID",
    "key_secret": "SINCH_KEY_SECRET",
    "access_token": "SINCH_ACCESS_TOKEN",
    "auth_method": "SINCH_AUTH_METHOD",
    "api_url": "SINCH_EST_API_URL",
    "auth_url": "SINCH_AUTH_URL",
    "numbers_api_url": "SINCH_NUMBERS_API_URL",
    "validate_certs": "SINCH_VALIDATE_CERTS",
    "ca_path": "SINCH_CA_PATH",
    "allow_insecure_http": "SINCH_ALLOW_INSECURE_HTTP",
    "timeout": "SINCH_API_TIMEOUT",
    "retries": "SINCH_API_RETRIES",
    "retry_deadline": "SINCH_API_RETRY_DEADLINE",
    "concurrency": "SINCH_API_CONCURRENCY",
}


def test_every_connection_option_falls_back_to_its_environment_variable():
    spec = connection_argument_spec()

    assert set(spec) == set(ENV_NAMES)
    for option, env_name in ENV_NAMES.items():
        assert spec[option]["fallback"][1] == [env_name], option


def test_credentials_are_no_log():
    spec = connection_argument_spec()

    assert spec["key_secret"]["no_log"] is True
    assert spec["access_token"]["no_log"] is True


def test_connection_defaults_are_the_documented_ones():
    spec = connection_argument_spec()

    assert spec["project_id"]["required"] is True
    assert spec["auth_method"]["default"] == "oauth2"
    assert spec["api_url"]["default"] == API
    assert spec["auth_url"]["default"] == "https://auth.sinch.com"
    assert spec["numbers_api_url"]["default"] == NUMBERS
    assert spec["validate_certs"]["default"] is True
    assert spec["allow_insecure_http"]["default"] is False
    assert spec["timeout"]["default"] == 30
    assert spec["retries"]["default"] == 5
    assert spec["retry_deadline"]["default"] == 120


class FailJson(Exception):
    pass


class FakeModule:
    def __init__(self, **params):
        self.params = dict((name, spec.get("default")) for name, spec in connection_argument_spec().items())
        self.params.update(params)
        self.warnings = []
        self.failure = None

    def warn(self, message):
        self.warnings.append(message)

    def fail_json(self, **kwargs):
        self.failure = kwargs
        raise FailJson()


def test_client_from_module_builds_from_params_and_passes_warnings():
    module = FakeModule(project_id=PROJECT, key_id=KEY_ID, key_secret=KEY_SECRET, auth_method="basic", timeout=9.0)

    client = client_from_module(module)

    assert client.project_id == PROJECT
    assert client.timeout == 9.0
    assert len(module.warnings) == 1


def test_client_from_module_fails_naming_the_insecure_url_option():
    module = FakeModule(project_id=PROJECT, key_id=KEY_ID, key_secret=KEY_SECRET, api_url="http://est.example.com")

    with pytest.raises(FailJson):
        client_from_module(module)

    assert module.failure["msg"].startswith("api_url")


def test_client_from_module_fails_with_missing_requests(monkeypatch):
    monkeypatch.setattr(_client, "HAS_REQUESTS", False)
    monkeypatch.setattr(_client, "REQUESTS_IMPORT_ERROR", "Traceback: no requests")
    module = FakeModule(project_id=PROJECT, key_id=KEY_ID, key_secret=KEY_SECRET)

    with pytest.raises(FailJson):
        client_from_module(module)

    assert "requests" in module.failure["msg"]
    assert module.failure["exception"] == "Traceback: no requests"


def test_no_key_and_no_access_token_is_refused_before_any_request(make_client):
    with pytest.raises(EstConfigError) as caught:
        make_client(key_id=None, key_secret=None)

    assert caught.value.option == "key_id"
    assert "access_token" in str(caught.value)


def test_put_answered_500_is_repeated_because_it_is_idempotent(api, make_client):
    add_token(api)
    client = make_client()
    api.add(responses.PUT, BASE + "/trunks/t1", status=500, json={"status": "INTERNAL", "message": "applied, reply lost"})
    api.add(responses.PUT, BASE + "/trunks/t1", status=200, json={"id": "t1", "name": "n"})
    assert client.put("/trunks/t1", {"name": "n"}) == {"id": "t1", "name": "n"}
    assert len(calls_to(api, BASE)) == 2


def test_delete_whose_first_answer_was_lost_succeeds_when_the_retry_finds_it_gone(api, make_client):
    add_token(api)
    client = make_client()
    api.add(responses.DELETE, BASE + "/trunks/t1", status=500, json={"status": "INTERNAL", "message": "applied, reply lost"})
    api.add(responses.DELETE, BASE + "/trunks/t1", status=404, json={"status": "NOT_FOUND", "message": "no trunk t1"})
    assert client.delete("/trunks/t1") is None


def test_delete_of_an_unknown_object_still_fails_with_404(api, make_client):
    add_token(api)
    client = make_client()
    api.add(responses.DELETE, BASE + "/trunks/t1", status=404, json={"status": "NOT_FOUND", "message": "no trunk t1"})
    with pytest.raises(EstApiError) as caught:
        client.delete("/trunks/t1")
    assert caught.value.not_found
