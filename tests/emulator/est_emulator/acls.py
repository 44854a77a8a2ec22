"""Access control lists and their IP ranges."""
# pylint: disable=disallowed-name  # "_" is the throwaway name here (ansible-test reserves it)

import json

from .errors import not_found, unreadable_body
from .routes import route
from .store import iso, new_id, paged_docs
from .trunks import counted, refuse_delete, trunks_bound_to
from .validation import Fields, is_ipv4


def get_acl(ctx, acl_id):
    doc = ctx.store.doc("acls", acl_id, ctx.project)
    if doc is None:
        raise not_found("Access control list", acl_id)
    return doc


def full_acl(store, doc):
    ranges = [json.loads(r["doc"]) for r in store.q("SELECT doc FROM ip_ranges WHERE acl_id = ? ORDER BY rid", (doc["id"],))]
    trunks = [r[0] for r in store.q("SELECT trunk_id FROM trunk_acls WHERE acl_id = ? ORDER BY rid", (doc["id"],))]
    return {**doc, "ipRanges": ranges, "trunks": trunks}


def range_fields(body, prefix=""):
    f = Fields(body, prefix)
    address = f.str("ipAddress", required=True)
    if isinstance(address, str) and address and not is_ipv4(address):
        f.fail("ipAddress", "must be an IPv4 address")
    out = {"ipAddress": address, "range": f.int("range", default=32, minimum=1, maximum=32),
           "description": f.str("description", default="")}
    return f, out


def _ranges(f, body_list):
    out = []
    for i, item in enumerate(body_list or []):
        if not isinstance(item, dict):
            # a CIDR string such as "203.0.113.10/32" cannot bind to an IpRange (live behaviour in the assumptions register)
            raise unreadable_body()
        sub, fields = range_fields(item, f"ipRanges[{i}].")
        f.violations += sub.violations
        out.append(fields)
    return out


def _range_list(f):
    """`ipRanges` as sent, None when absent; anything but an array cannot bind (live behaviour in the assumptions register)."""
    ranges = f.body.get("ipRanges")
    if ranges is not None and not isinstance(ranges, list):
        raise unreadable_body()
    return ranges


def _insert_range(ctx, acl_id, fields):
    range_id = new_id()
    doc = {"id": range_id, **fields, "accessControlListId": acl_id, "projectId": ctx.project,
           "createTime": iso(), "updateTime": None}
    ctx.store.x("INSERT INTO ip_ranges(id, project_id, acl_id, doc) VALUES (?,?,?,?)",
                (range_id, ctx.project, acl_id, json.dumps(doc)))
    return doc


@route("POST", "/accessControlLists")
async def create_acl(ctx):
    f = Fields(ctx.object())
    name = f.str("name", required=True)
    enabled = f.bool("enabled", required=True)
    ranges = _range_list(f)
    if ranges is None:
        f.fail("ipRanges", "is required")
    if isinstance(ranges, list) and not ranges:
        f.fail("ipRanges", "must contain at least one IP range")
    ranges = _ranges(f, ranges)
    f.check()
    acl_id = new_id()
    doc = {"id": acl_id, "name": name, "enabled": enabled, "createTime": iso(), "updateTime": None,
           "projectId": ctx.project}
    with ctx.store.tx():
        ctx.store.x("INSERT INTO acls(id, project_id, doc) VALUES (?,?,?)", (acl_id, ctx.project, json.dumps(doc)))
        for r in ranges:
            _insert_range(ctx, acl_id, r)
    return 200, full_acl(ctx.store, doc)


@route("GET", "/accessControlLists")
async def list_acls(ctx):
    return paged_docs(ctx, "acls", "project_id", ctx.project, "accessControlLists", expand=full_acl)


@route("GET", "/accessControlLists/{acl_id}")
async def read_acl(ctx, acl_id):
    return 200, full_acl(ctx.store, get_acl(ctx, acl_id))


@route("PUT", "/accessControlLists/{acl_id}")
async def update_acl(ctx, acl_id):
    doc = get_acl(ctx, acl_id)
    f = Fields(ctx.object())
    name = f.str("name", required=True)
    enabled = f.bool("enabled", default=True)
    ranges = _range_list(f)
    new_ranges = _ranges(f, ranges) if ranges is not None else None
    f.check()
    doc.update(name=name, enabled=enabled, updateTime=iso())
    with ctx.store.tx():
        ctx.store.save_doc("acls", acl_id, doc)
        if new_ranges is not None:
            ctx.store.x("DELETE FROM ip_ranges WHERE acl_id = ?", (acl_id,))
            for r in new_ranges:
                _insert_range(ctx, acl_id, r)
    return 200, full_acl(ctx.store, doc)


@route("DELETE", "/accessControlLists/{acl_id}")
async def delete_acl(ctx, acl_id):
    get_acl(ctx, acl_id)
    trunks = [r[0] for r in ctx.store.q("SELECT trunk_id FROM trunk_acls WHERE acl_id = ? ORDER BY rid", (acl_id,))]
    if trunks:
        raise refuse_delete(f"Access control list {acl_id}",
                            [f"{counted(len(trunks), 'bound trunk', 'bound trunks')} ({', '.join(trunks)})"],
                            "Unbind it from every trunk first (DELETE /trunks/{id}/accessControlLists/{aclId}).")
    ctx.store.x("DELETE FROM acls WHERE id = ?", (acl_id,))
    return 204, None


@route("GET", "/accessControlLists/{acl_id}/trunks")
async def acl_trunks(ctx, acl_id):
    get_acl(ctx, acl_id)
    return trunks_bound_to(ctx, "accessControlLists", acl_id)


@route("POST", "/accessControlLists/{acl_id}/ipRanges")
async def create_range(ctx, acl_id):
    get_acl(ctx, acl_id)
    f, fields = range_fields(ctx.object())
    f.check()
    return 200, _insert_range(ctx, acl_id, fields)


@route("GET", "/accessControlLists/{acl_id}/ipRanges")
async def list_ranges(ctx, acl_id):
    get_acl(ctx, acl_id)
    return paged_docs(ctx, "ip_ranges", "acl_id", acl_id, "ipRanges")


def _get_range(ctx, acl_id, range_id):
    get_acl(ctx, acl_id)
    row = ctx.store.one("SELECT doc FROM ip_ranges WHERE id = ? AND acl_id = ?", (range_id, acl_id))
    if row is None:
        raise not_found("IP range", range_id)
    return json.loads(row["doc"])


@route("PUT", "/accessControlLists/{acl_id}/ipRanges/{range_id}")
async def update_range(ctx, acl_id, range_id):
    doc = _get_range(ctx, acl_id, range_id)
    f, fields = range_fields(ctx.object())
    f.check()
    doc.update(fields, updateTime=iso())
    ctx.store.save_doc("ip_ranges", range_id, doc)
    return 200, doc


@route("DELETE", "/accessControlLists/{acl_id}/ipRanges/{range_id}")
async def delete_range(ctx, acl_id, range_id):
    _get_range(ctx, acl_id, range_id)
    ctx.store.x("DELETE FROM ip_ranges WHERE id = ?", (range_id,))
    return 204, None
