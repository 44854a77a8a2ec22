"""The edge's admin API under /_emulator: inbound calls, registrations, destinations, a trunk's CPS."""

from __future__ import annotations

import functools
import json

from starlette.responses import JSONResponse

from ..routes import route
from ..validation import E164_RE


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _object(request) -> dict | None:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _with_edge(handler):
    """The handler gets the running edge as its first argument; with the edge off, `409`."""
    @functools.wraps(handler)
    async def wrapper(state, request, query, **params):
        if getattr(state, "edge", None) is None:
            return _error(409, "the SIP edge is off: start the emulator with --sip-port")
        return await handler(state.edge, request, **params)
    return wrapper


@route("POST", "/sip/inbound", api="admin")
@_with_edge
async def inbound_call(edge, request):
    body = await _object(request)
    if body is None:
        return _error(400, "body must be a JSON object")
    for key in ("to", "from"):
        if not isinstance(body.get(key), str) or not E164_RE.match(body[key]):
            return _error(400, f"{key} must be an E.164 number such as +14155550100")
    hold = body.get("hold_ms", 1000)
    if not isinstance(hold, int) or isinstance(hold, bool) or not 0 <= hold <= 600_000:
        return _error(400, "hold_ms must be an integer from 0 to 600000")
    return JSONResponse(await edge.inbound.call(body["from"], body["to"], hold))


@route("GET", "/registrations", api="admin")
@_with_edge
async def registrations(edge, request):
    return JSONResponse({"registrations": edge.registrar.active()})


@route("POST", "/sip/destinations", api="admin")
@_with_edge
async def add_destination(edge, request):
    body = await _object(request)
    if body is None:
        return _error(400, "body must be a JSON object")
    try:
        rule = edge.destinations.add(body)
    except ValueError as err:
        return _error(400, str(err))
    return JSONResponse({"destinations": edge.destinations.listing(), "added": rule})


@route("GET", "/sip/destinations", api="admin")
@_with_edge
async def list_destinations(edge, request):
    return JSONResponse({"destinations": edge.destinations.listing()})


@route("DELETE", "/sip/destinations", api="admin")
@_with_edge
async def clear_destinations(edge, request):
    edge.destinations.clear()
    return JSONResponse({"destinations": []})


@route("PATCH", "/trunks/{trunk_id}", api="admin")
async def patch_trunk(state, request, query, trunk_id):
    """Sets what the API shows read-only: `callsPerSecond` (Sinch support raises it on request)."""
    body = await _object(request)
    if body is None or set(body) - {"callsPerSecond"} or "callsPerSecond" not in body:
        return _error(400, 'body must be {"callsPerSecond": N}')
    cps = body["callsPerSecond"]
    if not isinstance(cps, int) or isinstance(cps, bool) or not 1 <= cps <= 100_000:
        return _error(400, "callsPerSecond must be an integer from 1 to 100000")
    row = state.store.one("SELECT doc FROM trunks WHERE id = ?", (trunk_id,))
    if row is None:
        return _error(404, f"no trunk {trunk_id}")
    doc = json.loads(row["doc"])
    doc["callsPerSecond"] = cps
    state.store.save_doc("trunks", trunk_id, doc)
    return JSONResponse(doc)
