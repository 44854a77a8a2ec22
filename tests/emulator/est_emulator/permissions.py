"""Country permissions, call blocking rules and addProjects."""

import json

from .countries import BY_ISO
from .errors import ApiError, not_found
from .routes import route
from .store import iso, new_id, paged_docs
from .validation import ISO_RE, PREFIX_RE, Fields


def _permission(row):
    return {**BY_ISO[row["iso_code"]], "enabled": bool(row["enabled"])}


def all_permissions(store, project):
    rows = store.q("SELECT iso_code, enabled FROM country_permissions WHERE project_id = ? ORDER BY ord", (project,))
    return [_permission(r) for r in rows]


def _iso_path(code):
    if not ISO_RE.match(code):
        raise ApiError(400, f"Invalid argument: isoCode: {code!r} is not an ISO code or '*'",
                       [("isoCode", "must be an ISO 3166-1 alpha-2 code or '*'")])
    return code.upper()


@route("GET", "/countryPermissions")
async def list_permissions(ctx):
    return 200, {"countryPermissions": all_permissions(ctx.store, ctx.project)}


@route("PUT", "/countryPermissions")
async def bulk_permissions(ctx):
    body = ctx.json()
    items = body if isinstance(body, list) else None
    f = Fields(body if isinstance(body, dict) else {"countryPermissions": items})
    items = f.list("countryPermissions", required=True) or []
    wanted = {}
    for i, item in enumerate(items):
        sub = Fields(item, f"countryPermissions[{i}].")
        code = sub.str("isoCode", required=True)
        enabled = sub.bool("enabled", default=True)
        if isinstance(code, str) and code:
            if not ISO_RE.match(code):
                sub.fail("isoCode", "must be an ISO 3166-1 alpha-2 code or '*'")
            elif code.upper() not in BY_ISO:
                sub.fail("isoCode", f"{code} is not a known country")
            else:
                wanted[code.upper()] = enabled
        f.violations += sub.violations
    f.check()
    with ctx.store.tx():
        ctx.store.x("UPDATE country_permissions SET enabled = 0 WHERE project_id = ?", (ctx.project,))
        for code, enabled in wanted.items():
            ctx.store.x("UPDATE country_permissions SET enabled = ? WHERE project_id = ? AND iso_code = ?",
                        (int(enabled), ctx.project, code))
    return 200, {"countryPermissions": all_permissions(ctx.store, ctx.project)}


def _get_permission(ctx, code):
    code = _iso_path(code)
    row = ctx.store.one("SELECT iso_code, enabled FROM country_permissions WHERE project_id = ? AND iso_code = ?",
                        (ctx.project, code))
    if row is None:
        raise not_found("Country permission", code)
    return row


@route("GET", "/countryPermissions/{code}")
async def read_permission(ctx, code):
    return 200, _permission(_get_permission(ctx, code))


@route("PUT", "/countryPermissions/{code}")
async def update_permission(ctx, code):
    row = _get_permission(ctx, code)
    f = Fields(ctx.object())
    enabled = f.bool("enabled", required=True)
    f.check()
    ctx.store.x("UPDATE country_permissions SET enabled = ? WHERE project_id = ? AND iso_code = ?",
                (int(enabled), ctx.project, row["iso_code"]))
    return 200, _permission(_get_permission(ctx, code))


# -- call blocking rules -------------------------------------------------------

def _rule_fields(body):
    f = Fields(body)
    out = {"name": f.str("name", default=""),
           "direction": f.enum("direction", ("INBOUND", "OUTBOUND"), required=True)}
    for key in ("callerCountry", "calleeCountry"):
        value = f.str(key, default="")
        f.iso(key, value)
        out[key] = value.upper() if isinstance(value, str) else ""
    for key in ("callerMatch", "calleeMatch"):
        value = f.str(key, default="")
        if isinstance(value, str) and value and not PREFIX_RE.match(value):
            f.fail(key, "must be a number prefix: digits, optionally after '+'")
        out[key] = value or ""
    f.check()
    return out


def _get_rule(ctx, rule_id):
    doc = ctx.store.doc("call_blocking_rules", rule_id, ctx.project)
    if doc is None:
        raise not_found("Call blocking rule", rule_id)
    return doc


@route("POST", "/callBlockingRules")
async def create_rule(ctx):
    fields = _rule_fields(ctx.object())
    rule_id = new_id()
    doc = {"id": rule_id, **fields, "createTime": iso(), "updateTime": None, "projectId": ctx.project}
    ctx.store.x("INSERT INTO call_blocking_rules(id, project_id, doc) VALUES (?,?,?)",
                (rule_id, ctx.project, json.dumps(doc)))
    return 200, doc


@route("GET", "/callBlockingRules")
async def list_rules(ctx):
    return paged_docs(ctx, "call_blocking_rules", "project_id", ctx.project, "callBlockingRules")


@route("GET", "/callBlockingRules/{rule_id}")
async def read_rule(ctx, rule_id):
    return 200, _get_rule(ctx, rule_id)


@route("PUT", "/callBlockingRules/{rule_id}")
async def update_rule(ctx, rule_id):
    doc = _get_rule(ctx, rule_id)
    doc.update(_rule_fields(ctx.object()), updateTime=iso())
    ctx.store.save_doc("call_blocking_rules", rule_id, doc)
    return 200, doc


@route("DELETE", "/callBlockingRules/{rule_id}")
async def delete_rule(ctx, rule_id):
    _get_rule(ctx, rule_id)
    ctx.store.x("DELETE FROM call_blocking_rules WHERE id = ?", (rule_id,))
    return 204, None


# -- projects ------------------------------------------------------------------

@route("POST", "/addProjects")
async def add_projects(ctx):
    f = Fields(ctx.object())
    ids = f.list("projectIds", required=True) or []
    for i, v in enumerate(ids):
        if not isinstance(v, str) or not v.strip():
            f.fail(f"projectIds[{i}]", "must be a non-empty string")
    f.check()
    added = []
    for project in ids:
        # "If you list a project ID which EST is already aware of, it will be ignored": the reply
        # lists only the projects this request added
        if ctx.store.ensure_project(project) and project not in added:
            added.append(project)
        ctx.keys.add(ctx.key_id, ctx.keys.keys[ctx.key_id]["secret"], project)
    return 200, {"addedProjects": added}
