# Copyright (c) sinch.est maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import base64
import os

import pytest
import responses

from ansible.errors import AnsibleError
from ansible.plugins.loader import lookup_loader

AUTH = "https://auth.sinch.com/oauth2/token"
KEY_ID = "key-id-1"
KEY_SECRET = "s3cr3t-key-secret-value"
TOKEN = "tok-aaaaaaaaaaaaaaaaaaaa"


@pytest.fixture(scope="module")
def token_lookup():
    # ansible-test units (or tests/unit/conftest.py under plain pytest) installed the collection loader.
    lookup = lookup_loader.get("sinch.est.token")
    assert lookup is not None, "the collection loader does not resolve sinch.est.token"
    return lookup


@pytest.fixture(autouse=True)
def no_sinch_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("SINCH_"):
            monkeypatch.delenv(name)


@pytest.fixture
def api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def test_lookup_returns_one_token_for_the_key(api, token_lookup):
    api.add(responses.POST, AUTH, json={"access_token": TOKEN, "expires_in": 3599, "token_type": "bearer"})

    result = token_lookup.run([], {}, key_id=KEY_ID, key_secret=KEY_SECRET)

    assert result == [TOKEN]
    expected = base64.b64encode((KEY_ID + ":" + KEY_SECRET).encode()).decode()
    assert api.calls[0].request.headers["Authorization"] == "Basic " + expected
    assert api.calls[0].request.body == "grant_type=client_credentials"


def test_lookup_reads_the_key_and_auth_url_from_the_environment(api, token_lookup, monkeypatch):
    monkeypatch.setenv("SINCH_KEY_ID", KEY_ID)
    monkeypatch.setenv("SINCH_KEY_SECRET", KEY_SECRET)
    monkeypatch.setenv("SINCH_AUTH_URL", "http://127.0.0.1:8765")
    monkeypatch.setenv("SINCH_API_TIMEOUT", "7")
    api.add(responses.POST, "http://127.0.0.1:8765/oauth2/token", json={"access_token": TOKEN})

    assert token_lookup.run([], {}) == [TOKEN]
    assert api.calls[0].request.req_kwargs["timeout"] == 7.0


def test_lookup_with_a_wrong_key_fails_once_without_the_secret(api, token_lookup):
    api.add(responses.POST, AUTH, status=401, json={"error": "invalid_client", "error_description": "unknown key"})

    with pytest.raises(AnsibleError) as caught:
        token_lookup.run([], {}, key_id=KEY_ID, key_secret=KEY_SECRET)

    assert len(api.calls) == 1
    assert "UNAUTHENTICATED" in str(caught.value)
    assert KEY_ID in str(caught.value)
    assert KEY_SECRET not in str(caught.value)


def test_lookup_refuses_plain_http_to_a_remote_auth_url(api, token_lookup):
    with pytest.raises(AnsibleError) as caught:
        token_lookup.run([], {}, key_id=KEY_ID, key_secret=KEY_SECRET, auth_url="http://auth.example.com")

    assert "auth_url" in str(caught.value)
    assert len(api.calls) == 0


def test_lookup_allows_plain_http_to_a_remote_auth_url_when_told(api, token_lookup):
    api.add(responses.POST, "http://auth.example.com/oauth2/token", json={"access_token": TOKEN})

    result = token_lookup.run([], {}, key_id=KEY_ID, key_secret=KEY_SECRET, auth_url="http://auth.example.com",
                              allow_insecure_http=True)

    assert result == [TOKEN]


def test_lookup_refuses_terms(token_lookup):
    with pytest.raises(AnsibleError):
        token_lookup.run(["something"], {}, key_id=KEY_ID, key_secret=KEY_SECRET)


def test_lookup_without_a_key_fails_naming_key_id(token_lookup):
    with pytest.raises(AnsibleError) as caught:
        token_lookup.run([], {})

    assert "key_id" in str(caught.value)
