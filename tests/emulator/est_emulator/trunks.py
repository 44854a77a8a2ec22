"""Trunks, endpoints and the trunk <-> ACL / credential list bindings."""
# pylint: disable=disallowed-name  # "_" is the throwaway name here (ansible-test reserves it)

import json
import sqlite3

from .errors import ApiError, not_found
from .routes import route
from .store import envelope, iso, new_id, page_args, paged_docs
from .validation import DOMAIN_RE, HOST_NAME_RE, Fields, id_list, is_ipv4

TLD = ".pstn.sinch.com"


def get_trunk(ctx, trunk_id):
    doc = ctx.store.doc("trunks", trunk_id, ctx.project)
    if doc is None:
        raise not_found("Trunk", trunk_id)
    return doc


def _trunk_fields(body):
    f = Fields(body)
    name = f.str("name", required=True)
    host = f.str("hostName", required=True)
    if isinstance(host, str) and host and not HOST_NAME_RE.match(host):
        f.fail("hostName", "must be a DNS label: 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen")
    caller_name = f.bool("enableCallerName", default=False)
    forward = f.bool("enableCallForward", default=False)
    number = f.str("callForwardNumber", default="")
    f.e164("callForwardNumber", number)
    if forward and not number:
        f.fail("callForwardNumber", "is required when enableCallForward is true")
    f.check()
    return {"name": name, "hostName": host, "enableCallerName": caller_name,
            "enableCallForward": forward, "callForwardNumber": number or ""}


def _host_taken(host):
    return ApiError(409, f"The host name {host} is already taken", [("hostName", "already exists")])


@route("POST", "/trunks")
async def create_trunk(ctx):
    fields = _trunk_fields(ctx.object())
    trunk_id = new_id()
    # `enabled` is in no reference, but every live trunk reply carries it (live behaviour in the assumptions register)
    doc = {"id": trunk_id, **fields, "topLevelDomain": TLD, "domain": fields["hostName"] + TLD,
           "callsPerSecond": 1, "enabled": True, "createTime": iso(), "updateTime": None, "projectId": ctx.project}
    try:
        ctx.store.x("INSERT INTO trunks(id, project_id, host_name, doc) VALUES (?,?,?,?)",
                    (trunk_id, ctx.project, fields["hostName"], json.dumps(doc)))
    except sqlite3.IntegrityError:
        raise _host_taken(fields["hostName"]) from None
    return 201, doc


@route("GET", "/trunks")
async def list_trunks(ctx):
    page, size = page_args(ctx.query)
    where, args = "project_id = ?", [ctx.project]
    domain = ctx.query.get("domain")
    if domain:
        where += " AND instr(lower(host_name) || ?, lower(?)) > 0"
        args += [TLD, domain]
    total = ctx.store.one(f"SELECT count(*) FROM trunks WHERE {where}", args)[0]
    rows = ctx.store.q(f"SELECT doc FROM trunks WHERE {where} ORDER BY rid LIMIT ? OFFSET ?",
                       args + [size, (page - 1) * size])
    return 200, envelope("trunks", [json.loads(r["doc"]) for r in rows], total, page, size)


@route("GET", "/trunks/{trunk_id}")
async def read_trunk(ctx, trunk_id):
    return 200, get_trunk(ctx, trunk_id)


@route("PUT", "/trunks/{trunk_id}")
async def update_trunk(ctx, trunk_id):
    doc = get_trunk(ctx, trunk_id)
    fields = _trunk_fields(ctx.object())
    doc.update(fields, domain=fields["hostName"] + TLD, updateTime=iso())
    try:
        ctx.store.x("UPDATE trunks SET host_name = ?, doc = ? WHERE id = ?",
                    (fields["hostName"], json.dumps(doc), trunk_id))
    except sqlite3.IntegrityError:
        raise _host_taken(fields["hostName"]) from None
    return 200, doc


def counted(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def refuse_delete(what: str, remaining: list[str], advice: str) -> ApiError:
    """The 400 Sinch answers while dependents remain (live behaviour in the assumptions register: deletes never cascade)."""
    return ApiError(400, f"{what} cannot be deleted: it still has {', '.join(remaining)}. {advice}")


def _trunk_dependents(ctx, trunk_id: str) -> list[str]:
    store = ctx.store
    endpoints = store.one("SELECT count(*) FROM endpoints WHERE trunk_id = ?", (trunk_id,))[0]
    acls = store.one("SELECT count(*) FROM trunk_acls WHERE trunk_id = ?", (trunk_id,))[0]
    lists = store.one("SELECT count(*) FROM trunk_credential_lists WHERE trunk_id = ?", (trunk_id,))[0]
    # a number whose routing to this trunk is still provisioning counts too: it is about to arrive
    numbers = store.one("SELECT count(*) FROM numbers WHERE project_id = ? AND (sip_trunk_id = ? OR sched_trunk_id = ?)",
                        (ctx.project, trunk_id, trunk_id))[0]
    remaining = [(endpoints, "endpoint", "endpoints"), (acls, "access control list", "access control lists"),
                 (lists, "credential list", "credential lists"), (numbers, "phone number", "phone numbers")]
    return [counted(n, one, many) for n, one, many in remaining if n]


@route("DELETE", "/trunks/{trunk_id}")
async def delete_trunk(ctx, trunk_id):
    get_trunk(ctx, trunk_id)
    remaining = _trunk_dependents(ctx, trunk_id)
    if remaining:
        raise refuse_delete(f"Trunk {trunk_id}", remaining, "Move its phone numbers to another trunk, delete its "
                            "endpoints and unbind its access control lists and credential lists first.")
    ctx.store.x("DELETE FROM trunks WHERE id = ?", (trunk_id,))
    return 204, None


# -- endpoints ---------------------------------------------------------------

def get_endpoint(ctx, trunk_id, endpoint_id):
    get_trunk(ctx, trunk_id)
    row = ctx.store.one("SELECT doc FROM endpoints WHERE id = ? AND trunk_id = ?", (endpoint_id, trunk_id))
    if row is None:
        raise not_found("Endpoint", endpoint_id)
    return json.loads(row["doc"])


def _endpoint_fields(ctx, trunk_id, body):
    f = Fields(body)
    out = {"name": f.str("name", required=True),
           "priority": f.int("priority", required=True, minimum=1),
           "transport": f.enum("transport", ("UDP", "TCP", "TLS"), default="UDP"),
           "enabled": f.bool("enabled", default=True)}
    registered = f.bool("isRegistered", default=False)
    if registered:
        username = f.str("credentialUsername", required=True)
        # any list of the project will do, bound to this trunk or not: Sinch does not check the binding
        # (live behaviour in the assumptions register), though such an endpoint can never register
        if isinstance(username, str) and username and not ctx.store.one(
                "SELECT 1 FROM credentials c JOIN credential_lists l ON l.id = c.cl_id "
                "WHERE l.project_id = ? AND c.username = ?", (ctx.project, username)):
            f.fail("credentialUsername", "must be a username in a credential list of the project")
        out.update(isRegistered=True, credentialUsername=username)
    else:
        address = f.str("address", required=True)
        if isinstance(address, str) and address and not (is_ipv4(address) or (
                DOMAIN_RE.match(address) and not address.replace(".", "").isdigit())):
            f.fail("address", "must be an IPv4 address or a domain name")
        out.update(address=address, port=f.int("port", default=5060, minimum=1, maximum=65535))
    f.check()
    return out


@route("POST", "/trunks/{trunk_id}/endpoints")
async def create_endpoint(ctx, trunk_id):
    get_trunk(ctx, trunk_id)
    fields = _endpoint_fields(ctx, trunk_id, ctx.object())
    endpoint_id = new_id()
    doc = {"id": endpoint_id, "sipTrunkId": trunk_id, **fields, "createTime": iso(), "updateTime": None}
    ctx.store.x("INSERT INTO endpoints(id, project_id, trunk_id, doc) VALUES (?,?,?,?)",
                (endpoint_id, ctx.project, trunk_id, json.dumps(doc)))
    return 201, doc


@route("GET", "/trunks/{trunk_id}/endpoints")
async def list_endpoints(ctx, trunk_id):
    get_trunk(ctx, trunk_id)
    return paged_docs(ctx, "endpoints", "trunk_id", trunk_id, "endpoints")


@route("GET", "/trunks/{trunk_id}/endpoints/{endpoint_id}")
async def read_endpoint(ctx, trunk_id, endpoint_id):
    return 200, get_endpoint(ctx, trunk_id, endpoint_id)


@route("PUT", "/trunks/{trunk_id}/endpoints/{endpoint_id}")
async def update_endpoint(ctx, trunk_id, endpoint_id):
    old = get_endpoint(ctx, trunk_id, endpoint_id)
    fields = _endpoint_fields(ctx, trunk_id, ctx.object())
    doc = {"id": endpoint_id, "sipTrunkId": trunk_id, **fields, "createTime": old["createTime"], "updateTime": iso()}
    ctx.store.save_doc("endpoints", endpoint_id, doc)
    return 200, doc


@route("DELETE", "/trunks/{trunk_id}/endpoints/{endpoint_id}")
async def delete_endpoint(ctx, trunk_id, endpoint_id):
    get_endpoint(ctx, trunk_id, endpoint_id)
    ctx.store.x("DELETE FROM endpoints WHERE id = ?", (endpoint_id,))
    return 204, None


# -- bindings ----------------------------------------------------------------

BINDINGS = {
    "accessControlLists": ("trunk_acls", "acl_id", "acls", "accessControlListIds", "Access control list"),
    "credentialLists": ("trunk_credential_lists", "cl_id", "credential_lists", "credentialListIds", "Credential list"),
}


def bound_ids(store, kind, trunk_id):
    table, col = BINDINGS[kind][:2]
    return [r[0] for r in store.q(f"SELECT {col} FROM {table} WHERE trunk_id = ? ORDER BY rid", (trunk_id,))]


def _check_targets(ctx, kind, ids):
    _, _, target, key, _ = BINDINGS[kind]
    missing = [(f"{key}[{i}]", f"{v} not found") for i, v in enumerate(ids)
               if not ctx.store.one(f"SELECT 1 FROM {target} WHERE id = ? AND project_id = ?", (v, ctx.project))]
    if missing:
        raise ApiError(400, f"Invalid argument: {missing[0][0]}: {missing[0][1]}", missing)


def _bind(ctx, kind, trunk_id, ids, replace):
    """POST appends, PUT replaces the whole set; either reply echoes only the ids sent, never the
    trunk's full set (live behaviour in the assumptions register): a client reads the set with GET."""
    table, col, _, key, _ = BINDINGS[kind]
    _check_targets(ctx, kind, ids)
    with ctx.store.tx():
        if replace:
            ctx.store.x(f"DELETE FROM {table} WHERE trunk_id = ?", (trunk_id,))
        for v in ids:
            ctx.store.x(f"INSERT OR IGNORE INTO {table}(trunk_id, {col}) VALUES (?,?)", (trunk_id, v))
    return 200, {key: ids}


def _binding_routes(kind):
    key = BINDINGS[kind][3]

    @route("GET", f"/trunks/{{trunk_id}}/{kind}")
    async def list_bound(ctx, trunk_id):
        get_trunk(ctx, trunk_id)
        page, size = page_args(ctx.query)
        ids = bound_ids(ctx.store, kind, trunk_id)
        reply = envelope(key, ids[(page - 1) * size:page * size], len(ids), page, size)
        if kind == "credentialLists":  # the document's key, and the one Sinch's Node SDK reads
            reply["credentialLists"] = reply[key]
        return 200, reply

    @route("POST", f"/trunks/{{trunk_id}}/{kind}")
    async def add_bound(ctx, trunk_id):
        get_trunk(ctx, trunk_id)
        return _bind(ctx, kind, trunk_id, id_list(ctx.json(), key, allow_bare=False), replace=False)

    @route("PUT", f"/trunks/{{trunk_id}}/{kind}")
    async def replace_bound(ctx, trunk_id):
        get_trunk(ctx, trunk_id)
        return _bind(ctx, kind, trunk_id, id_list(ctx.json(), key, allow_bare=True), replace=True)

    @route("DELETE", f"/trunks/{{trunk_id}}/{kind}/{{target_id}}")
    async def remove_bound(ctx, trunk_id, target_id):
        get_trunk(ctx, trunk_id)
        table, col, _, _, what = BINDINGS[kind]
        cur = ctx.store.x(f"DELETE FROM {table} WHERE trunk_id = ? AND {col} = ?", (trunk_id, target_id))
        if cur.rowcount == 0:
            raise not_found(what, f"{target_id} on trunk {trunk_id}")
        return 204, None


_binding_routes("accessControlLists")
_binding_routes("credentialLists")


def trunks_bound_to(ctx, kind, target_id):
    """Paged envelope of the trunks bound to an ACL or credential list."""
    table, col = BINDINGS[kind][:2]
    page, size = page_args(ctx.query)
    total = ctx.store.one(f"SELECT count(*) FROM {table} WHERE {col} = ?", (target_id,))[0]
    rows = ctx.store.q(f"SELECT t.doc FROM {table} b JOIN trunks t ON t.id = b.trunk_id WHERE b.{col} = ? "
                       "ORDER BY b.rid LIMIT ? OFFSET ?", (target_id, size, (page - 1) * size))
    return 200, envelope("trunks", [json.loads(r["doc"]) for r in rows], total, page, size)
