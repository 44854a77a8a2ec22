"""Call records: the /calls filters, CSV export and PCAP download."""

import calendar
import csv
import datetime as dt
import io
import json
import re

from .errors import ApiError, not_found
from .pcap import build_pcap
from .routes import route
from .store import envelope, now, page_args

RESULTS = ("COMPLETED", "NO_ANSWER", "CANCEL", "BUSY", "FAILED")
DIRECTIONS = ("INBOUND", "OUTBOUND")
PCAP_RETENTION_DAYS = 10
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(\.\d+)?)?)?)?)?)?"
                     r"(Z|[+-]\d{2}:?\d{2})?$")
CSV_COLUMNS = ["callId", "createTime", "answerTime", "endTime", "direction", "from", "to", "callResult",
               "durationSeconds", "billingDurationSeconds", "pricePerMinute", "price", "currencyCode",
               "trunkId", "pcapId", "projectId", "fromCountryCode", "toCountryCode", "emergency", "sipResponseCode"]
# the final SIP code of a call the edge carried; seeded calls never had one: a typical code for their result
RESULT_CODES = {"COMPLETED": 200, "BUSY": 486, "NO_ANSWER": 480, "CANCEL": 487, "FAILED": 503}


def parse_period(field, text):
    """(start, end) epoch seconds of the period a (partial) date names; end exclusive."""
    m = DATE_RE.match(text.strip())
    if not m:
        raise ApiError(400, f"Invalid argument: {field}: {text!r} is not a date",
                       [(field, "must be an ISO 8601 date or date-time, possibly partial (2021, 2021-02, 2021-02-01T08)")])
    year, month, day, hour, minute, second, frac, tz = m.groups()
    offset = 0
    if tz and tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        digits = tz[1:].replace(":", "")
        offset = sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    try:
        start = dt.datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
                            int(second or 0), tzinfo=dt.timezone.utc)
    except ValueError:
        raise ApiError(400, f"Invalid argument: {field}: {text!r} is not a valid date",
                       [(field, "is not a valid date")]) from None
    base = calendar.timegm(start.timetuple()) - offset + (float(frac) if frac else 0.0)
    if month is None:
        end = calendar.timegm(start.replace(year=start.year + 1).timetuple()) - offset
    elif day is None:
        nxt = start.replace(year=start.year + (start.month == 12), month=start.month % 12 + 1)
        end = calendar.timegm(nxt.timetuple()) - offset
    else:
        step = 86400 if hour is None else 3600 if minute is None else 60 if second is None else 1
        end = calendar.timegm(start.timetuple()) - offset + step
        if frac:
            end = base + 1e-6
    return base, end


def _enum_list(ctx, key, choices):
    values = [v.upper() for v in ctx.query.all(key)]
    bad = [v for v in values if v not in choices]
    if bad:
        raise ApiError(400, f"Invalid argument: {key}: {bad[0]!r}", [(key, "must be one of " + ", ".join(choices))])
    return values


def build_filter(ctx):
    """SQL WHERE clause and args for the /calls and /calls/export filters."""
    where, args = ["project_id = ?"], [ctx.project]
    for key, col in (("from", "from_number"), ("to", "to_number")):
        value = ctx.query.get(key)
        if value:
            alt = "+" + value if value[0].isdigit() else value
            where.append(f"(substr({col}, 1, ?) = ? OR substr({col}, 1, ?) = ?)")
            args += [len(value), value, len(alt), alt]
    if ctx.query.get("trunkId"):
        where.append("trunk_id = ?")
        args.append(ctx.query.get("trunkId"))
    for key, col, choices in (("callResult", "call_result", RESULTS), ("direction", "direction", DIRECTIONS)):
        values = _enum_list(ctx, key, choices)
        if values:
            where.append(f"{col} IN ({','.join('?' * len(values))})")
            args += values
    for key, col in (("fromCountryCode", "from_cc"), ("toCountryCode", "to_cc")):
        value = ctx.query.get(key)
        if value:
            if not re.match(r"^[A-Za-z]{2}$", value):
                raise ApiError(400, f"Invalid argument: {key}", [(key, "must be an ISO 3166-1 alpha-2 code")])
            where.append(f"{col} = ?")
            args.append(value.upper())
    emergency = ctx.query.get("emergencyOnly")
    if emergency:
        if emergency.lower() not in ("true", "false", "null"):
            raise ApiError(400, "Invalid argument: emergencyOnly", [("emergencyOnly", "must be true or false")])
        if emergency.lower() == "true":  # the current document: 'false' includes all calls
            where.append("emergency = 1")
    lo, hi, timed = None, None, False
    for key, value in ctx.query.pairs:
        if not key.startswith("createTime"):
            continue
        rest = key[len("createTime"):]
        strict = False
        if value is None:
            # a bare `createTime>X` / `createTime<X` (no '=' in the pair): strict bound
            if rest[:1] not in ("<", ">") or len(rest) < 2:
                continue
            op, text, strict = rest[0], rest[1:], True
        elif rest in ("", "Start", "End"):
            op, text = {"": "=", "Start": ">", "End": "<"}[rest], value
        elif rest in (">", ">=", "<", "<="):
            # `createTime%3E=%3DX` arrives as key `createTime>` value `=X`; a raw `createTime>=X` as value `X`
            op, text = rest[0], value[1:] if value.startswith("=") else value
        else:
            continue
        if not text:
            continue
        timed = True
        start, end = parse_period("createTime", text)
        if op == "=":
            lo, hi = max(lo or start, start), min(hi or end, end)
        elif op == ">":
            bound = end if strict else start
            lo = bound if lo is None else max(lo, bound)
        else:
            bound = start if strict else end
            hi = bound if hi is None else min(hi, bound)
    if not timed:
        lo = now() - 86400
    if lo is not None:
        where.append("created >= ?")
        args.append(lo)
    if hi is not None:
        where.append("created < ?")
        args.append(hi)
    return " AND ".join(where), args


@route("GET", "/calls")
async def list_calls(ctx):
    page, size = page_args(ctx.query, default=100, maximum=1000)
    where, args = build_filter(ctx)
    total = ctx.store.one(f"SELECT count(*) FROM calls WHERE {where}", args)[0]
    rows = ctx.store.q(f"SELECT doc FROM calls WHERE {where} ORDER BY created DESC, rid DESC LIMIT ? OFFSET ?",
                       args + [size, (page - 1) * size])
    return 200, envelope("calls", [json.loads(r["doc"]) for r in rows], total, page, size)


def csv_row(call, row):
    price = call.get("price") or {}
    ppm = call.get("pricePerMinute") or {}
    return [call["callId"], call["createTime"], call.get("answerTime", ""), call.get("endTime", ""),
            call["direction"], call["from"], call["to"], call["callResult"], call["durationSeconds"],
            call["billingDurationSeconds"], ppm.get("amount", ""), price.get("amount", ""),
            price.get("currencyCode", ""), call["trunkId"], call["pcapId"], call["projectId"],
            row["from_cc"], row["to_cc"], "true" if row["emergency"] else "false",
            row["sip_code"] if row["sip_code"] is not None else RESULT_CODES[call["callResult"]]]


@route("GET", "/calls/export")
async def export_calls(ctx):
    """One page of the export (the document gives it `page` and `size`, default 500, like the other
    lists); every page starts with the header."""
    page, size = page_args(ctx.query)
    where, args = build_filter(ctx)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in ctx.store.q(f"SELECT doc, from_cc, to_cc, emergency, sip_code FROM calls WHERE {where} "
                           "ORDER BY created DESC, rid DESC LIMIT ? OFFSET ?", args + [size, (page - 1) * size]):
        writer.writerow(csv_row(json.loads(row["doc"]), row))
    name = ctx.query.get("fileName") or "calls.csv"
    name = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    # media types as the OpenAPI document declares them (application/csv, application/octet-stream)
    return 200, ("application/csv; charset=utf-8", out.getvalue().encode(), {"Content-Disposition": f'attachment; filename="{name}"'})


@route("GET", "/calls/records/{pcap_id}/pcap")
async def get_pcap(ctx, pcap_id):
    direction = (ctx.query.get("direction") or "").upper()
    if direction and direction not in DIRECTIONS:
        raise ApiError(400, "Invalid argument: direction", [("direction", "must be INBOUND or OUTBOUND")])
    row = ctx.store.one("SELECT doc, created FROM calls WHERE project_id = ? AND pcap_id = ?", (ctx.project, pcap_id))
    if row is None:
        raise not_found("PCAP", pcap_id)
    if row["created"] < now() - PCAP_RETENTION_DAYS * 86400:
        raise ApiError(404, f"PCAP {pcap_id} is no longer available: PCAPs are kept for {PCAP_RETENTION_DAYS} days (retention)")
    call = json.loads(row["doc"])
    data = build_pcap(call, direction or call["direction"])
    return 200, ("application/octet-stream", data,
                 {"Content-Disposition": f'attachment; filename="{pcap_id}.pcap"'})
