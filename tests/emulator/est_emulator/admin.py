"""The admin API under /_emulator (no auth; never logged; never a plaintext secret)."""

import json

from starlette.responses import JSONResponse

from . import seed as seeding
from .faults import FaultConfigError
from .numbers import active_number, apply_due, est_number
from .permissions import all_permissions
from .routes import match, route
from .store import set_offset
from .validation import E164_RE


def _error(status, message):
    return JSONResponse({"error": message}, status_code=status)


async def _body(request):
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _docs(store, table, project):
    return [json.loads(r[0]) for r in store.q(f"SELECT doc FROM {table} WHERE project_id = ? ORDER BY rid", (project,))]


def dump_state(store, project, with_calls=False):
    """Every object of a project, raw. Calls are many: they are listed only when asked (`?calls=1`),
    each with the emulator's own country and emergency columns, so tests can count any filter."""
    apply_due(store)

    def pairs(table, col, key):
        return [{"trunkId": r[0], key: r[1]} for r in store.q(
            f"SELECT b.trunk_id, b.{col} FROM {table} b JOIN trunks t ON t.id = b.trunk_id "
            "WHERE t.project_id = ? ORDER BY b.rid", (project,))]
    phone_numbers = []
    for row in store.q("SELECT * FROM numbers WHERE project_id = ? ORDER BY rid", (project,)):
        phone_numbers.append({**est_number(row), "voiceConfiguration": active_number(row)["voiceConfiguration"]})
    return {
        "projectId": project,
        "trunks": _docs(store, "trunks", project),
        "endpoints": _docs(store, "endpoints", project),
        "accessControlLists": _docs(store, "acls", project),
        "ipRanges": _docs(store, "ip_ranges", project),
        "trunkAccessControlLists": pairs("trunk_acls", "acl_id", "accessControlListId"),
        "credentialLists": _docs(store, "credential_lists", project),
        "credentials": [{"credentialListId": r[0], "username": r[1], "passwordSha256": r[2]} for r in store.q(
            "SELECT c.cl_id, c.username, c.password_sha256 FROM credentials c JOIN credential_lists l "
            "ON l.id = c.cl_id WHERE l.project_id = ? ORDER BY c.rid", (project,))],
        "trunkCredentialLists": pairs("trunk_credential_lists", "cl_id", "credentialListId"),
        "countryPermissions": all_permissions(store, project),
        "callBlockingRules": _docs(store, "call_blocking_rules", project),
        "phoneNumbers": phone_numbers,
        "callCount": store.one("SELECT count(*) FROM calls WHERE project_id = ?", (project,))[0],
        **({"calls": [dict(json.loads(r[0]), fromCountryCode=r[1], toCountryCode=r[2], emergency=bool(r[3])) for r in store.q(
            "SELECT doc, from_cc, to_cc, emergency FROM calls WHERE project_id = ? ORDER BY created DESC, rid DESC", (project,))]}
           if with_calls else {}),
    }


ADMIN_PREFIX = "/_emulator"


async def handle_admin(state, request, query):
    """Dispatch one admin request through the route table (an unknown path or method answers 404)."""
    path = request.url.path[len(ADMIN_PREFIX):] or "/"
    try:
        handler, params, _api = match(request.method, path, apis=("admin",))
    except LookupError:
        return _error(404, f"no admin operation {request.method} {request.url.path.rstrip('/')}")
    return await handler(state, request, query, **params)


@route("GET", "/health", api="admin")
async def health(state, request, query):
    edge = getattr(state, "edge", None)
    return JSONResponse({"status": "ok", "sip": edge.report() if edge is not None else None})


@route("POST", "/reset", api="admin")
async def reset(state, request, query):
    store = state.store
    body = await _body(request)
    if not isinstance(body, dict):
        return _error(400, "body must be a JSON object")
    project = body.get("project")
    if project is not None and project not in store.projects():
        return _error(404, f"unknown project {project}")
    store.reset(project)
    if state.edge is not None:
        state.edge.reset()
    return JSONResponse({"status": "ok", "projects": [project] if project else store.projects()})


@route("GET", "/state", api="admin")
async def state_dump(state, request, query):
    store = state.store
    project = query.get("project") or store.projects()[0]
    if project not in store.projects():
        return _error(404, f"unknown project {project}")
    return JSONResponse(dump_state(store, project, with_calls=query.get("calls") in ("1", "true")))


@route("GET", "/requests", api="admin")
async def request_log(state, request, query):
    since = query.get("since") or "0"
    try:
        since = int(since)
    except ValueError:
        return _error(400, "since must be an integer")
    return JSONResponse({"requests": [e for e in state.log if e["seq"] > since]})


@route("DELETE", "/requests", api="admin")
async def clear_request_log(state, request, query):
    state.log.clear()
    return JSONResponse({"status": "ok"})


@route("GET", "/faults", api="admin")
async def fault_report(state, request, query):
    return JSONResponse(state.faults.report())


async def _configure_faults(state, body):
    try:
        state.faults.configure(body)
    except FaultConfigError as err:
        return _error(400, str(err))
    return JSONResponse(state.faults.report())


@route("POST", "/faults", api="admin")
async def set_faults(state, request, query):
    return await _configure_faults(state, await _body(request))


@route("DELETE", "/faults", api="admin")
async def clear_faults(state, request, query):
    return await _configure_faults(state, {})


@route("POST", "/seed", api="admin")
async def seed(state, request, query):
    store = state.store
    body = await _body(request)
    if not isinstance(body, dict):
        return _error(400, "body must be a JSON object")
    project = body.get("project") or store.projects()[0]
    counts = {k: body.get(k, 0) for k in ("numbers", "calls")}
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in counts.values()):
        return _error(400, "numbers and calls must be non-negative integers")
    seed_value = body.get("seed")
    if seed_value is not None and (not isinstance(seed_value, int) or isinstance(seed_value, bool)):
        return _error(400, "seed must be an integer")
    phone_numbers = body.get("phone_numbers", [])
    if not isinstance(phone_numbers, list) or not all(isinstance(n, str) and E164_RE.match(n) for n in phone_numbers):
        return _error(400, "phone_numbers must be a list of E.164 numbers")
    store.ensure_project(project)
    return JSONResponse(seeding.seed(store, project, counts["numbers"], counts["calls"], seed_value, phone_numbers))


@route("POST", "/calls", api="admin")
async def add_calls(state, request, query):
    """Explicit calls ("now" unless createTime says otherwise), all or none."""
    store = state.store
    body = await _body(request)
    if not isinstance(body, dict):
        return _error(400, "body must be a JSON object")
    project = body.get("project") or store.projects()[0]
    if project not in store.projects():
        return _error(404, f"unknown project {project}")
    try:
        calls = seeding.add_calls(store, project, body.get("calls"))
    except seeding.CallSpecError as err:
        return _error(400, str(err))
    return JSONResponse({"project": project, "calls": calls})


@route("POST", "/time", api="admin")
async def set_time(state, request, query):
    body = await _body(request)
    offset = body.get("offset_seconds") if isinstance(body, dict) else None
    if not isinstance(offset, (int, float)) or isinstance(offset, bool):
        return _error(400, "offset_seconds must be a number")
    set_offset(offset)
    return JSONResponse({"offset_seconds": offset})
