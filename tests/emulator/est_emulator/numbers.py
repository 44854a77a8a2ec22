"""EST phone numbers (read-only) and the Numbers API activeNumbers with async provisioning."""
# pylint: disable=disallowed-name  # "_" is the throwaway name here (ansible-test reserves it)

import base64
import datetime as dt
import json
import re

from .countries import number_type
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


# The Numbers API's own figures are not the emulator's to know: one monthly price per number type.
MONTHLY_PRICE = {"LOCAL": "1.00", "MOBILE": "2.00", "TOLL_FREE": "3.00"}
CHARGE_PERIOD_SECONDS = 30 * 86400


def _next_charge(create_time: str) -> str:
    """The first 30-day anniversary of the number's creation that is still ahead."""
    created = dt.datetime.strptime(create_time, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc).timestamp()
    periods = max(1, int((now() - created) // CHARGE_PERIOD_SECONDS) + 1)
    return iso(created + periods * CHARGE_PERIOD_SECONDS)


def active_number(row):
    """The Numbers API ActiveNumber, shaped like Sinch's SDK fixtures (live behaviour in the assumptions register)."""
    config = json.loads(row["config"] or "{}")
    kind = number_type(row["phone_number"])
    scheduled = None
    if row["sched_due"] is not None:
        scheduled = {"type": "EST", "trunkId": row["sched_trunk_id"], "status": "WAITING",
                     "lastUpdatedTime": row["sched_time"]}
    return {"phoneNumber": row["phone_number"], "projectId": row["project_id"],
            "displayName": config.get("displayName", ""), "regionCode": row["country_code"], "type": kind,
            "capability": list(CAPABILITIES), "money": {"currencyCode": "USD", "amount": MONTHLY_PRICE[kind]},
            "paymentIntervalMonths": 1, "nextChargeDate": _next_charge(row["create_time"]), "expireAt": None,
            "smsConfiguration": {"servicePlanId": config.get("servicePlanId", ""), "scheduledProvisioning": None,
                                 "campaignId": config.get("campaignId", "")},
            "voiceConfiguration": {"type": "EST", "trunkId": row["sip_trunk_id"],
                                   "lastUpdatedTime": row["voice_updated"],
                                   "scheduledVoiceProvisioning": scheduled},
            "callbackUrl": config.get("callbackUrl", "")}


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


@route("POST", "/phoneNumbers")
async def route_number(ctx):
    """EST's own routing call. It answers 201 even for a number the project does not own, and then
    changes nothing (live behaviour in the assumptions register), so the reply is the same either way: a client confirms
    with a read. For an owned number the change is live at once and replaces any pending Numbers API one."""
    f = Fields(ctx.object())
    trunk_id = f.str("sipTrunkId", default="")
    number = f.str("phoneNumber", required=True)
    f.e164("phoneNumber", number)
    if isinstance(trunk_id, str) and trunk_id and not ctx.store.one(
            "SELECT 1 FROM trunks WHERE id = ? AND project_id = ?", (trunk_id, ctx.project)):
        f.fail("sipTrunkId", f"trunk {trunk_id} not found in project {ctx.project}")
    f.check()
    ctx.store.x("UPDATE numbers SET sip_trunk_id = ?, voice_updated = ?, update_time = ?, sched_trunk_id = NULL, "
                "sched_time = NULL, sched_due = NULL WHERE project_id = ? AND phone_number = ?",
                (trunk_id, iso(), iso(), ctx.project, number))
    return 201, {"sipTrunkId": trunk_id, "phoneNumber": number}


@route("GET", "/phoneNumbers/{number}")
async def read_number(ctx, number):
    return 200, est_number(_get_row(ctx, number))


# -- Numbers API -------------------------------------------------------------

CAPABILITIES = ("SMS", "VOICE")
NUMBER_TYPES = ("MOBILE", "LOCAL", "TOLL_FREE")
SEARCH_PATTERNS = ("START", "CONTAINS", "END")
# Node SDK: "phoneNumber or displayName"; Python SDK: PHONE_NUMBER / DISPLAY_NAME
ORDER_BY = {"phonenumber": "phoneNumber", "displayname": "displayName"}


def _unknown_active_number(number: str) -> ApiError:
    return ApiError(404, f"Active number {number} not found in this project",
                    details=[{"type": "ResourceInfo", "resourceType": "ActiveNumber", "resourceName": number,
                              "owner": "", "description": ""}])


def _active_row(ctx, number):
    try:
        return _get_row(ctx, number)
    except ApiError as err:
        if err.code == 404:
            raise _unknown_active_number(number) from None
        raise


def _choice(ctx, key: str, choices, violations) -> str | None:
    value = ctx.query.get(key)
    if not value:
        return None
    if value.upper() not in choices:
        violations.append((key, "must be one of " + ", ".join(choices)))
        return None
    return value.upper()


def _matches_pattern(number: str, pattern: str, search: str) -> bool:
    # a pattern given without its "+" still matches from the first digit
    candidates = (number, number[1:]) if not pattern.startswith("+") else (number,)
    if search == "START":
        return any(c.startswith(pattern) for c in candidates)
    if search == "END":
        return number.endswith(pattern)
    return pattern in number


@route("GET", "/activeNumbers", api="numbers")
async def list_active(ctx):
    violations = []
    raw_size = ctx.query.get("pageSize") or "100"
    token = ctx.query.get("pageToken") or ""
    offset = size = 0
    try:
        size = int(raw_size)
        if not 1 <= size <= 1000:
            raise ValueError
    except ValueError:
        violations.append(("pageSize", "must be an integer 1..1000"))
    try:
        offset = int(base64.urlsafe_b64decode(token.encode()).decode()) if token else 0
        if offset < 0:
            raise ValueError
    except ValueError:
        violations.append(("pageToken", "is not a token this server issued"))
    region = ctx.query.get("regionCode")
    if region and not re.match(r"^[A-Za-z]{2}$", region):
        violations.append(("regionCode", "must be an ISO 3166-1 alpha-2 country code"))
    kind = _choice(ctx, "type", NUMBER_TYPES, violations)
    pattern = ctx.query.get("numberPattern.pattern") or ""
    # not stated anywhere: without a search pattern the digits may sit anywhere in the number
    search = _choice(ctx, "numberPattern.searchPattern", SEARCH_PATTERNS, violations) or "CONTAINS"
    # the Node SDK sends `capability`, the Python SDK `capabilities`: repeated keys or comma lists
    wanted = [c.upper() for c in ctx.query.all("capability") + ctx.query.all("capabilities")]
    if any(c not in CAPABILITIES for c in wanted):
        violations.append(("capability", "must be SMS or VOICE"))
    order = ctx.query.get("orderBy") or "phoneNumber"
    order_key = ORDER_BY.get(order.replace("_", "").lower())
    if order_key is None:
        violations.append(("orderBy", "must be phoneNumber or displayName"))
    if violations:
        raise ApiError(400, f"Invalid argument: {violations[0][0]}: {violations[0][1]}", violations)
    numbers = [active_number(r) for r in ctx.store.q("SELECT * FROM numbers WHERE project_id = ?", (ctx.project,))]
    numbers = [n for n in numbers
               if (not region or n["regionCode"] == region.upper()) and (not kind or n["type"] == kind)
               and (not pattern or _matches_pattern(n["phoneNumber"], pattern, search))
               and all(c in n["capability"] for c in wanted)]
    numbers.sort(key=lambda n: (n[order_key], n["phoneNumber"]))
    page = numbers[offset:offset + size]
    nxt = base64.urlsafe_b64encode(str(offset + size).encode()).decode() if offset + size < len(numbers) else ""
    return 200, {"activeNumbers": page, "nextPageToken": nxt, "totalSize": len(numbers)}


@route("GET", "/activeNumbers/{number}", api="numbers")
async def read_active(ctx, number):
    return 200, active_number(_active_row(ctx, number))


def _sms_fields(f: Fields, sms: dict | None) -> dict:
    if sms is None:
        return {}
    s = Fields(sms, "smsConfiguration.")
    # an empty servicePlanId unlinks the number from its SMS service
    out = {"servicePlanId": s.str("servicePlanId", required=True, nonempty=False),
           "campaignId": s.str("campaignId", default="")}
    f.violations += s.violations
    return out


def _voice_trunk(ctx, f: Fields, voice: dict | None) -> str | None:
    if voice is None:
        return None
    v = Fields(voice, "voiceConfiguration.")
    kind = v.str("type", required=True)
    if isinstance(kind, str) and kind and kind.upper() != "EST":
        v.fail("type", "only EST voice configuration is emulated")
    trunk_id = v.str("trunkId", required=True, nonempty=False)
    if isinstance(trunk_id, str) and trunk_id and not ctx.store.one(
            "SELECT 1 FROM trunks WHERE id = ? AND project_id = ?", (trunk_id, ctx.project)):
        v.fail("trunkId", f"trunk {trunk_id} not found in project {ctx.project}")
    f.violations += v.violations
    return trunk_id


@route("PATCH", "/activeNumbers/{number}", api="numbers")
async def patch_active(ctx, number):
    """Any subset of displayName, callbackUrl, smsConfiguration and voiceConfiguration, none required,
    validated together and applied together (live behaviour in the assumptions register)."""
    row = _active_row(ctx, number)
    f = Fields(ctx.json())
    settings = {"displayName": f.str("displayName"), "callbackUrl": f.str("callbackUrl")}
    sms = _sms_fields(f, f.obj("smsConfiguration"))
    trunk_id = _voice_trunk(ctx, f, f.obj("voiceConfiguration"))
    f.check()
    config = json.loads(row["config"] or "{}")
    config.update({k: v for k, v in settings.items() if v is not None}, **sms)
    with ctx.store.tx():
        ctx.store.x("UPDATE numbers SET config = ? WHERE rid = ?", (json.dumps(config), row["rid"]))
        if trunk_id is not None:
            ctx.store.x("UPDATE numbers SET sched_trunk_id = ?, sched_time = ?, sched_due = ? WHERE rid = ?",
                        (trunk_id, iso(), now() + PROVISIONING["delay"], row["rid"]))
    if PROVISIONING["delay"] <= 0:
        apply_due(ctx.store)
    return 200, active_number(_active_row(ctx, number))
