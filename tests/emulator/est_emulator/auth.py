"""Access keys, Basic auth and OAuth2 bearer tokens (JWT-shaped, HS256)."""
# pylint: disable=disallowed-name  # "_" is the throwaway name here (ansible-test reserves it)

import base64
import binascii
import hashlib
import hmac
import json
import os

from .errors import ApiError
from .store import now


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Keys:
    """keyId -> (secret, projects it may reach)."""

    def __init__(self, token_ttl=3599):
        self.keys = {}
        self.token_ttl = token_ttl
        self.signing_key = os.urandom(32)

    def add(self, key_id, secret, project):
        entry = self.keys.setdefault(key_id, {"secret": secret, "projects": []})
        entry["secret"] = secret
        if project not in entry["projects"]:
            entry["projects"].append(project)

    def basic(self, header_value):
        """keyId for a valid `Basic` credential, else None."""
        try:
            raw = base64.b64decode(header_value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
        key_id, sep, secret = raw.partition(":")
        entry = self.keys.get(key_id)
        if not sep or not entry or not hmac.compare_digest(entry["secret"].encode(), secret.encode()):
            return None
        return key_id

    def issue(self, key_id):
        iat = int(now())
        header = {"alg": "HS256", "typ": "JWT"}
        payload = {"iss": "est-emulator", "sub": key_id, "iat": iat, "exp": iat + self.token_ttl,
                   "jti": _b64(os.urandom(9))}
        signing_input = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(payload).encode())
        sig = hmac.new(self.signing_key, signing_input.encode(), hashlib.sha256).digest()
        return signing_input + "." + _b64(sig)

    def bearer(self, token):
        """keyId for a valid token; raises ApiError 401 for bad or expired tokens."""
        parts = token.strip().split(".")
        if len(parts) != 3:
            raise unauthenticated("invalid bearer token", bearer_error="invalid_token")
        signing_input = parts[0] + "." + parts[1]
        expected = hmac.new(self.signing_key, signing_input.encode(), hashlib.sha256).digest()
        try:
            ok = hmac.compare_digest(expected, _unb64(parts[2]))
            payload = json.loads(_unb64(parts[1]))
        except (ValueError, binascii.Error):
            ok = False
        if not ok or not isinstance(payload, dict) or payload.get("sub") not in self.keys:
            raise unauthenticated("invalid bearer token", bearer_error="invalid_token")
        if payload.get("exp", 0) <= now():
            raise ApiError(401, "The access token expired", headers={
                "WWW-Authenticate": 'Bearer error="invalid_token", error_description="token expired"'})
        return payload["sub"]

    def authenticate(self, authorization):
        """(method, keyId) for an Authorization header value; raises 401."""
        if not authorization:
            raise unauthenticated("Missing credentials: use Basic key id/secret or a Bearer token")
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "basic":
            key_id = self.basic(value)
            if not key_id:
                raise unauthenticated("Invalid key id or key secret")
            return "basic", key_id
        if scheme.lower() == "bearer":
            return "bearer", self.bearer(value)
        raise unauthenticated("Unsupported authorization scheme")

    def check_project(self, key_id, project):
        if project not in self.keys[key_id]["projects"]:
            raise ApiError(403, f"The key {key_id} has no access to project {project}")


def unauthenticated(message, bearer_error=None):
    header = 'Basic realm="est", Bearer' + (f' error="{bearer_error}"' if bearer_error else "")
    return ApiError(401, message, headers={"WWW-Authenticate": header})
