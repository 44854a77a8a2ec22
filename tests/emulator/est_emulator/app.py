"""The ASGI application: routing, auth, request log, faults and error replies."""
# pylint: disable=disallowed-name  # "_" is the throwaway name here (ansible-test reserves it)

import asyncio
import json
import re
import sys
import time
import traceback
import uuid
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import Response

# Imported for their @route registrations.
from . import acls, credentials, numbers, permissions, trunks, calls  # noqa: F401 pylint: disable=unused-import
from .admin import handle_admin
from .sip import admin as sip_admin  # noqa: F401 pylint: disable=unused-import
from .auth import unauthenticated
from .errors import ApiError, error_body, unreadable_body
from .faults import Faults
from .numbers import apply_due
from .routes import match
from .tokens import TOKEN_PATH, TokenBuckets, oauth2_error_body, token_endpoint
from .validation import parse_json

PROJECT_PATH = re.compile(r"^/v1/projects/([^/]+)(/.*)?$")
LOG_LIMIT = 100_000


class Query:
    """The raw query string, parsed without coercion: repeated keys and valueless keys kept."""

    def __init__(self, raw):
        self.pairs = []
        for part in raw.split("&"):
            if not part:
                continue
            key, sep, value = part.partition("=")
            self.pairs.append((unquote(key), unquote(value) if sep else None))
        self.d = {}
        for key, value in self.pairs:
            self.d.setdefault(key, []).append(value)

    def get(self, key, default=None):
        values = self.d.get(key)
        if not values:
            return default
        return values[0] if values[0] is not None else ""

    def all(self, key, split=True):
        out = []
        for value in self.d.get(key, []):
            if value:
                out += [v.strip() for v in value.split(",") if v.strip()] if split else [value]
        return out


class Ctx:
    def __init__(self, state, project, query, body, key_id, api="est"):
        self.store, self.keys = state.store, state.keys
        self.project, self.query, self.raw, self.key_id, self.api = project, query, body, key_id, api

    def json(self):
        """The parsed body; EST answers any body it cannot parse as Spring does."""
        try:
            return parse_json(self.raw)
        except ApiError:
            if self.api == "est":
                raise unreadable_body() from None
            raise

    def object(self):
        """The body as a JSON object: EST cannot bind anything else to its request types (the Numbers API
        names the body in a field violation instead)."""
        body = self.json()
        if self.api == "est" and not isinstance(body, dict):
            raise unreadable_body()
        return body


class State:
    def __init__(self, store, keys, token_buckets=None):
        self.store, self.keys = store, keys
        self.token_buckets = token_buckets or TokenBuckets()
        self.faults = Faults()
        self.log = []
        self.seq = 0
        self.edge = None  # the SIP edge (sip/edge.py) when --sip-port is given


def json_response(status, payload, headers):
    if status == 204 or payload is None:
        return Response(status_code=status, headers=headers)
    if isinstance(payload, tuple):
        media, data, extra = payload
        return Response(data, status_code=status, media_type=media, headers={**headers, **extra})
    return Response(json.dumps(payload), status_code=status, media_type="application/json", headers=headers)


def error_shape(path):
    """The token endpoint answers OAuth2 errors; the Numbers API wraps Sinch's error in `{"error": ...}`."""
    if path.rstrip("/") == TOKEN_PATH:
        return "oauth2"
    return "wrapped" if "/activeNumbers" in path else "sinch"


def error_response(err, request_id, shape="sinch"):
    headers = {"X-Request-Id": request_id, **err.headers}
    if shape == "oauth2":
        body = oauth2_error_body(err)
    else:
        body = error_body(err.code, err.message, request_id, err.violations, shape == "wrapped", err.status, err.details)
    return Response(body, status_code=err.code, media_type="application/json", headers=headers)


def make_app(state):
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        path = scope["path"]
        if path.startswith("/_emulator"):
            response = await handle_admin(state, request, Query(scope["query_string"].decode("latin-1")))
            await response(scope, receive, send)
            return
        await handle_api(state, scope, receive, send, request)

    return app


async def handle_api(state, scope, receive, send, request):
    started = time.perf_counter()
    method, path = scope["method"], scope["path"]
    raw_query = scope["query_string"].decode("latin-1")
    request_id = uuid.uuid4().hex
    authz = request.headers.get("authorization", "")
    scheme = authz.partition(" ")[0].lower()
    entry = {"method": method, "path": path, "query": unquote(raw_query),
             "auth": scheme if scheme in ("basic", "bearer") else "none", "project": None}
    m = PROJECT_PATH.match(path)
    if m:
        entry["project"] = unquote(m.group(1))
    shape = error_shape(path)
    decision = None
    faults = state.faults
    if faults.active and faults.applies(method, path):
        if faults.config["latency_ms"]:
            await asyncio.sleep(faults.config["latency_ms"] / 1000)
        decision = faults.decide(method)
    if decision == "reset":
        _log(state, entry, 0, started)
        await _abort(send)
    if isinstance(decision, tuple):
        code = decision[1]
        headers = {}
        if code == 429 and faults.config["retry_after"] is not None:
            headers["Retry-After"] = str(faults.config["retry_after"])
        response = error_response(ApiError(code, f"Injected fault: HTTP {code}", headers=headers), request_id, shape)
    else:
        body = await request.body()
        try:
            status, payload = await dispatch(state, method, path, raw_query, body, authz, entry)
            response = json_response(status, payload, {"X-Request-Id": request_id})
        except ApiError as err:
            response = error_response(err, request_id, shape)
        except Exception:  # noqa: BLE001 - every bug answers a Sinch-shaped 500
            traceback.print_exc(file=sys.stderr)
            response = error_response(ApiError(500, "Internal error"), request_id, shape)
        if decision == "after_commit" and response.status_code < 400:
            response = error_response(ApiError(500, "Injected fault: the change was applied, then the reply failed"),
                                      request_id, shape)
    _log(state, entry, response.status_code, started)
    if state.edge is not None and method not in ("GET", "HEAD"):
        state.edge.view.changed()  # the edge sees any write (an injected 500 may follow one) --edge-delay later
    await response(scope, receive, send)


async def dispatch(state, method, path, raw_query, body, authz, entry):
    if path.rstrip("/") == TOKEN_PATH:
        return token_endpoint(state, method, body, authz)
    m = PROJECT_PATH.match(path)
    if not m:
        raise ApiError(404, f"No such path: {path}")
    project, sub = unquote(m.group(1)), m.group(2) or "/"
    _, key_id = state.keys.authenticate(authz)
    state.keys.check_project(key_id, project)
    state.store.ensure_project(project)
    apply_due(state.store)
    try:
        handler, params, api = match(method, sub)
    except LookupError as miss:
        if miss.args[0] == "method":
            raise ApiError(405, f"Method {method} is not allowed on {sub}") from None
        raise ApiError(404, f"No such operation: {method} {sub}") from None
    ctx = Ctx(state, project, Query(raw_query), body, key_id, api)
    return await handler(ctx, **params)


class ConnectionReset(Exception):
    """Raised after a partial response so uvicorn closes the connection (filtered from its log)."""


async def _abort(send):
    """Best-effort connection reset: headers promising a body, part of it, then the connection is closed."""
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")]})
    await send({"type": "http.response.body", "body": b'{"partial":', "more_body": True})
    raise ConnectionReset()


def _log(state, entry, status, started):
    state.seq += 1
    entry.update(seq=state.seq, time=time.time(), status=status,
                 duration_ms=round((time.perf_counter() - started) * 1000, 3))
    state.log.append(entry)
    if len(state.log) > LOG_LIMIT:
        del state.log[: len(state.log) - LOG_LIMIT]


__all__ = ["make_app", "State", "Query", "unauthenticated"]
