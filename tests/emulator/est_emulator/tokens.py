"""POST /oauth2/token (client credentials), its per-key rate limit and its OAuth2 error shape."""
# pylint: disable=disallowed-name  # "_" is the throwaway name here (ansible-test reserves it)

import base64
import binascii
import json
import time
from typing import Callable
from urllib.parse import parse_qs

from .errors import ApiError

TOKEN_PATH = "/oauth2/token"
# Sinch's token endpoint: a bucket of 30 requests per key, refilled at 10 a second (live behaviour in the assumptions register)
DEFAULT_BUCKET, DEFAULT_REFILL = 30.0, 10.0
# RFC 6749 section 5.2 names; 429 and 5xx have none there, so these are the emulator's own
OAUTH2_ERRORS = {400: "invalid_request", 401: "invalid_client", 405: "invalid_request", 429: "too_many_requests",
                 503: "temporarily_unavailable"}


class OAuth2Error(ApiError):
    """A token endpoint error with its RFC 6749 `error` code."""

    def __init__(self, code: int, error: str, description: str, headers: dict | None = None):
        super().__init__(code, description, headers=headers)
        self.error = error


def oauth2_error_body(err: ApiError) -> bytes:
    """The token endpoint answers `{error, error_description}`, never Sinch's `{code, status, message}`."""
    error = getattr(err, "error", None) or OAUTH2_ERRORS.get(err.code, "server_error" if err.code >= 500 else "invalid_request")
    return json.dumps({"error": error, "error_description": err.message}).encode()


class TokenBuckets:
    """One token bucket per key id: `capacity` requests at once, refilled at `refill` a second.
    A capacity of 0 turns the limit off; a refill of 0 never refills (a hard cap, for tests)."""

    def __init__(self, capacity: float = DEFAULT_BUCKET, refill: float = DEFAULT_REFILL,
                 clock: Callable[[], float] = time.monotonic):
        self.capacity, self.refill, self.clock = capacity, refill, clock
        self.buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> bool:
        """Spends one request of `key`'s bucket; False when it is empty."""
        if self.capacity <= 0:
            return True
        t = self.clock()
        level, last = self.buckets.get(key, (self.capacity, t))
        level = min(self.capacity, level + (t - last) * self.refill)
        if level < 1:
            self.buckets[key] = (level, t)
            return False
        self.buckets[key] = (level - 1, t)
        return True


def _claimed_key(authz: str) -> str:
    """The key id a request claims, checked or not: the limit counts failed attempts too."""
    scheme, _, value = authz.partition(" ")
    if scheme.lower() != "basic":
        return ""
    try:
        return base64.b64decode(value.strip(), validate=True).decode().partition(":")[0]
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""


def token_endpoint(state, method: str, body: bytes, authz: str):
    if method != "POST":
        raise OAuth2Error(405, "invalid_request", "use POST")
    if not state.token_buckets.take(_claimed_key(authz)):
        # no Retry-After: Sinch's 429 here carries none (live behaviour in the assumptions register)
        raise OAuth2Error(429, "too_many_requests", "too many token requests for this key; slow down")
    scheme, _, value = authz.partition(" ")
    key_id = state.keys.basic(value) if scheme.lower() == "basic" else None
    if not key_id:
        raise OAuth2Error(401, "invalid_client", "send Basic base64(keyId:keySecret) of a valid access key",
                          headers={"WWW-Authenticate": 'Basic realm="oauth2"'})
    form = parse_qs(body.decode("utf-8", "replace"))
    grant = (form.get("grant_type") or [""])[0]
    if not grant:
        raise OAuth2Error(400, "invalid_request", "grant_type is required: use grant_type=client_credentials")
    if grant != "client_credentials":
        raise OAuth2Error(400, "unsupported_grant_type", "use grant_type=client_credentials")
    return 200, {"access_token": state.keys.issue(key_id), "expires_in": state.keys.token_ttl,
                 "scope": "", "token_type": "bearer"}
