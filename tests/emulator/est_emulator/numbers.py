"""EST phone numbers (read-only) and the Numbers API activeNumbers with async provisioning."""
# pylint: disable=disallowed-name  # "_" is the throwaway name here (ansible-test reserves it)

import base64

from .errors import ApiError, not_found
from .routes import route
from .store import envelope, iso, now, page_args
from .validation import E164_RE, Fields

SORTABLE = {"phoneNumber": "phone_number", "createTime": "create_time", "updateTime": "update_time",
            "countryCode": "country_code", "sipTrunkId": "sip_trunk_id", "id": "rid"}
PROVISIONING = {"delay": 0.5}


def apply_due(store):
    """Make scheduled voice provisioning whose delay has passed live."""
    t = now()
    if store.one("SELECT 1 FROM numbers WHERE sched_due IS NOT NULL AND sched_due <= ? LIMIT 1", (t,)):
        store.x("UPDATE numbers SET sip_trunk_id = sched_trunk_id, voice_updated = ?, update_time = ?, "
                "sched_trunk_id = NULL, sched_time = NULL, sched_due = NULL "
                "WHERE sched_due IS NOT NULL AND sched_due <= ?", (iso(), iso(), t))


def est_number(row):
    return {"id": row["id"], "sipTrunkId": row["sip_trunk_id"], "phoneNumber": row["phone_number"],
            "countryCode": row["country_code"], "createTime": row["create_time"], "updateTime": row["update_time"]}


def active_number(row):
    scheduled = None
    if row["sched_due"] is not None:
        scheduled = {"type": "EST", "trunkId": row["sched_trunk_id"], "status": "WAITING",
                     "lastUpdatedTime": row["sched_time"]}
    return {"phoneNumber": row["phone_number"], "projectId": row["project_id"], "displayName": "",
            "regionCode": row["country_code"], "type": "LOCAL", "capability": ["SMS", "VOICE"],
            "voiceConfiguration": {"type": "EST", "trunkId": row["sip_trunk_id"],
                                   "lastUpdatedTime": row["voice_updated"],
                                   "scheduledVoiceProvisioning": scheduled}}


def _number_path(value):
    if not E164_RE.match(value):
        raise ApiError(400, f"Invalid argument: phoneNumber: {value!r} is not E.164",
                       [("phoneNumber", "must be an E.164 number: '+' then 8 to 15 digits")])
    return value


def _get_row(ctx, number):
    row = ctx.store.one("SELECT * FROM numbers WHERE project_id = ? AND phone_number = ?",
                        (ctx.project, _number_path(number)))
    if row is None:
        raise not_found("Phone number", number)
    return row


def _order(query):
    parts = []
    for spec in query.all("sort", split=False):
        prop, _, direction = spec.partition(",")
        if prop not in SORTABLE or direction.lower() not in ("", "asc", "desc", "ascending", "descending"):
            raise ApiError(400, f"Invalid argument: sort: {spec!r}",
                           [("sort", "must be property[,asc|desc] with property one of " + ", ".join(SORTABLE))])
        parts.append(SORTABLE[prop] + (" DESC" if direction.lower().startswith("desc") else " ASC"))
    return ", ".join(parts + ["rid"])


@route("GET", "/phoneNumbers")
async def list_numbers(ctx):
    page, size = page_args(ctx.query)
    where, args = "project_id = ?", [ctx.project]
    if ctx.query.get("sipTrunkId"):
        where += " AND sip_trunk_id = ?"
        args.append(ctx.query.get("sipTrunkId"))
    if ctx.query.get("filter"):
        where += " AND instr(phone_number, ?) > 0"
        args.append(ctx.query.get("filter"))
    order = _order(ctx.query)
    total = ctx.store.one(f"SELECT count(*) FROM numbers WHERE {where}", args)[0]
    rows = ctx.store.q(f"SELECT * FROM numbers WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                       args + [size, (page - 1) * size])
    return 200, envelope("phoneNumbers", [est_number(r) for r in rows], total, page, size)


@route("GET", "/phoneNumbers/{number}")
async def read_number(ctx, number):
    return 200, est_number(_get_row(ctx, number))


# -- Numbers API -------------------------------------------------------------

@route("GET", "/activeNumbers", api="numbers")
async def list_active(ctx):
    raw_size = ctx.query.get("pageSize") or "100"
    token = ctx.query.get("pageToken") or ""
    try:
        size = int(raw_size)
        if not 1 <= size <= 1000:
            raise ValueError
    except ValueError:
        raise ApiError(400, "Invalid argument: pageSize", [("pageSize", "must be an integer 1..1000")]) from None
    try:
        offset = int(base64.urlsafe_b64decode(token.encode()).decode()) if token else 0
    except ValueError:
        raise ApiError(400, "Invalid argument: pageToken", [("pageToken", "is not a token this server issued")]) from None
    total = ctx.store.one("SELECT count(*) FROM numbers WHERE project_id = ?", (ctx.project,))[0]
    rows = ctx.store.q("SELECT * FROM numbers WHERE project_id = ? ORDER BY rid LIMIT ? OFFSET ?",
                       (ctx.project, size, offset))
    nxt = base64.urlsafe_b64encode(str(offset + size).encode()).decode() if offset + size < total else ""
    return 200, {"activeNumbers": [active_number(r) for r in rows], "nextPageToken": nxt, "totalSize": total}


@route("GET", "/activeNumbers/{number}", api="numbers")
async def read_active(ctx, number):
    return 200, active_number(_get_row(ctx, number))


@route("PATCH", "/activeNumbers/{number}", api="numbers")
async def patch_active(ctx, number):
    row = _get_row(ctx, number)
    f = Fields(ctx.json())
    voice = f.obj("voiceConfiguration", required=True)
    f.check()
    if voice is None:
        return 200, active_number(row)
    v = Fields(voice, "voiceConfiguration.")
    kind = v.str("type", required=True)
    if isinstance(kind, str) and kind and kind.upper() != "EST":
        v.fail("type", "only EST voice configuration is emulated")
    trunk_id = v.str("trunkId", required=True, nonempty=False)
    if isinstance(trunk_id, str) and trunk_id and not ctx.store.one(
            "SELECT 1 FROM trunks WHERE id = ? AND project_id = ?", (trunk_id, ctx.project)):
        v.fail("trunkId", f"trunk {trunk_id} not found in project {ctx.project}")
    v.check()
    due = now() + PROVISIONING["delay"]
    ctx.store.x("UPDATE numbers SET sched_trunk_id = ?, sched_time = ?, sched_due = ? WHERE rid = ?",
                (trunk_id, iso(), due, row["rid"]))
    if PROVISIONING["delay"] <= 0:
        apply_due(ctx.store)
    return 200, active_number(_get_row(ctx, number))
