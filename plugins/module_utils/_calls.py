# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""Call records: the `/calls` filters shared by est_call_info, est_call_export and the
sinch.est.calls event source. The module base of the filter modules is `_call_module`; the
download of a file to `dest` is `_downloads`.

The filter options are validated and turned into the query before any request; times are UTC.
The export's pages and the check of calls against its rows (the country and emergency filters the
current document has on the export only) are here too, for the modules and the event source alike.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Tuple

from ansible_collections.sinch.est.plugins.module_utils._errors import EstFailure
from ansible_collections.sinch.est.plugins.module_utils._validation import Problems, check_iso_code

CALL_RESULTS = ("COMPLETED", "NO_ANSWER", "CANCEL", "BUSY", "FAILED")
DIRECTIONS = ("INBOUND", "OUTBOUND")
# The current API document allows 1000 calls per page (the older page said 500). Asking for the
# maximum keeps the number of requests lowest; the page size is then spread evenly over the pages
# max_items needs, so a capped read never fetches more than it returns plus less than one per page.
CALLS_MAX_PAGE_SIZE = 1000
PCAP_RETENTION_DAYS = 10

PREFIX_PATTERN = re.compile(r"^\+?[0-9]{1,15}$")
PARTIAL_DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}))?)?)?$")
DATE_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DATE_TIME_PATTERN = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)
RELATIVE_PATTERN = re.compile(r"^-(\d+)([dhm])$")
RELATIVE_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
WIRE_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def call_filter_argument_spec() -> dict:
    """The `/calls` filter options (documented in each module that takes them)."""
    return dict(
        from_number=dict(type="str"),
        to_number=dict(type="str"),
        trunk=dict(type="str"),
        call_result=dict(type="list", elements="str"),
        direction=dict(type="list", elements="str"),
        from_country_code=dict(type="str"),
        to_country_code=dict(type="str"),
        emergency_only=dict(type="bool", default=False),
        create_time=dict(type="str"),
        created_after=dict(type="str"),
        created_before=dict(type="str"),
    )


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class TimeBound:
    """One end of a time range as sent to the API, and the instants it covers (for checks)."""

    def __init__(self, wire: str, start: datetime.datetime, end: datetime.datetime) -> None:
        self.wire = wire
        self.start = start  # first instant covered
        self.end = end  # first instant no longer covered


def _utc(year: int, month: int = 1, day: int = 1, hour: int = 0, minute: int = 0, second: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=datetime.timezone.utc)


def parse_time_bound(option: str, value: str, now: datetime.datetime) -> Tuple[Optional[TimeBound], Optional[str]]:
    """`created_after`/`created_before`: an ISO 8601 date or date-time, or `-7d`, `-12h`, `-30m` (UTC).

    A date is sent as is (the API covers the whole day: after = from its start, before = through
    its end); a date-time is converted to UTC and sent to the second; a relative form is resolved
    against `now`. Returns (bound, None) or (None, problem).
    """
    text = value.strip()
    try:
        relative = RELATIVE_PATTERN.match(text)
        if relative:
            moment = now.astimezone(datetime.timezone.utc).replace(microsecond=0)
            moment -= datetime.timedelta(**{RELATIVE_UNITS[relative.group(2)]: int(relative.group(1))})
            return TimeBound(moment.strftime(WIRE_TIME_FORMAT), moment, moment + datetime.timedelta(seconds=1)), None
        date = DATE_PATTERN.match(text)
        if date:
            start = _utc(*(int(part) for part in date.groups()))
            return TimeBound(text, start, start + datetime.timedelta(days=1)), None
        date_time = DATE_TIME_PATTERN.match(text)
        if date_time:
            year, month, day, hour, minute, second, zone = date_time.groups()
            moment = _utc(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
            if zone and zone.upper() != "Z":
                sign = 1 if zone[0] == "+" else -1
                digits = zone[1:].replace(":", "")
                moment -= sign * datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            return TimeBound(moment.strftime(WIRE_TIME_FORMAT), moment, moment + datetime.timedelta(seconds=1)), None
    except (ValueError, OverflowError) as error:
        return None, f"{option}: {value!r} is not a valid date or time ({error})"
    return None, (f"{option}: {value!r} is neither an ISO 8601 date or date-time (2024-02-01, 2024-02-01T08:30:00Z, "
                  "2024-02-01T09:30:00+01:00) nor a relative time such as -7d, -12h or -30m")


def parse_partial_date(option: str, value: str) -> Optional[str]:
    """`create_time`: a year, month, day or hour (`2024`, `2024-02`, `2024-02-01`, `2024-02-01T08`)."""
    match = PARTIAL_DATE_PATTERN.match(value.strip())
    if not match:
        return (f"{option}: {value!r} is not a partial date: give a year, month, day or hour such as 2024, 2024-02, "
                "2024-02-01 or 2024-02-01T08 (UTC); use created_after/created_before for other ranges")
    year, month, day, hour = match.groups()
    try:
        _utc(int(year), int(month or 1), int(day or 1), int(hour or 0))
    except ValueError as error:
        return f"{option}: {value!r} is not a valid date ({error})"
    return None


def _enum_list(option: str, values: Optional[List[str]], choices: Tuple[str, ...], problems: Problems) -> Optional[str]:
    """A list option as the API's comma-separated upper-case value (duplicates dropped), or None."""
    wanted: List[str] = []
    for value in values or []:
        upper = str(value).strip().upper()
        if upper not in choices:
            problems.add(f"{option}: {value!r} is not one of {', '.join(choices)} (any case)")
        elif upper not in wanted:
            wanted.append(upper)
    return ",".join(wanted) or None


def call_query(params: dict, now: datetime.datetime, problems: Problems) -> Dict[str, str]:
    """The `/calls` (and `/calls/export`) query for the filter options; problems name the option.

    `trunk` is not in it: it needs a lookup (see CallFilterModule.trunk_query).
    Range bounds use the query keys `createTime>` and `createTime<` (the API's `createTime>=`
    and `createTime<=`, whose `=` is the key/value separator): on the wire `createTime%3E=2024-02-01`.
    """
    query: Dict[str, str] = {}
    _number_filters(params, query, problems)
    for option, key, choices in (("call_result", "callResult", CALL_RESULTS), ("direction", "direction", DIRECTIONS)):
        value = _enum_list(option, params.get(option), choices, problems)
        if value:
            query[key] = value
    _country_filters(params, query, problems)
    if params.get("emergency_only"):
        query["emergencyOnly"] = "true"
    _time_filters(params, now, query, problems)
    return query


def _number_filters(params: dict, query: Dict[str, str], problems: Problems) -> None:
    for option, key in (("from_number", "from"), ("to_number", "to")):
        value = params.get(option)
        if value is None:
            continue
        if not PREFIX_PATTERN.match(value):
            problems.add(f"{option}: {value!r} is not a number prefix (an optional '+' and 1 to 15 digits, e.g. +1415)")
        else:
            query[key] = value


def _country_filters(params: dict, query: Dict[str, str], problems: Problems) -> None:
    for option, key in (("from_country_code", "fromCountryCode"), ("to_country_code", "toCountryCode")):
        value = params.get(option)
        if value is None:
            continue
        error = check_iso_code(option, value)
        if error:
            problems.add(error)
        else:
            query[key] = value.upper()


def _time_filters(params: dict, now: datetime.datetime, query: Dict[str, str], problems: Problems) -> None:
    if params.get("create_time") is not None:
        problem = parse_partial_date("create_time", params["create_time"])
        problems.add(problem)
        if not problem:
            query["createTime"] = params["create_time"].strip()
    bounds = {}
    for option, key in (("created_after", "createTime>"), ("created_before", "createTime<")):
        if params.get(option) is None:
            continue
        bound, problem = parse_time_bound(option, params[option], now)
        problems.add(problem)
        if bound is not None:
            bounds[option] = bound
            query[key] = bound.wire
    if len(bounds) == 2 and bounds["created_after"].start >= bounds["created_before"].end:
        problems.add(f"created_after ({params['created_after']}) is not before created_before ({params['created_before']}): "
                     "no call can match")


def page_size_for(max_items: int, maximum: int) -> int:
    """The page size that reads `max_items` in the fewest requests without fetching pages past it.

    0 (all) reads at the maximum; otherwise the pages needed share the items evenly (1500 at a
    maximum of 1000 is two pages of 750), so at most one item per page is read and dropped.
    """
    if max_items <= 0:
        return maximum
    pages = -(-max_items // maximum)
    return -(-max_items // pages)


# The filters the current API document has on the export only, and the export column each is checked on.
EXPORT_ONLY = {"fromCountryCode": "fromCountryCode", "toCountryCode": "toCountryCode", "emergencyOnly": "emergency"}
EXPORT_OPTIONS = {"fromCountryCode": "from_country_code", "toCountryCode": "to_country_code",
                  "emergency": "emergency_only"}
# The export's pages: the document's default (and largest) size, and a bound on the pages read.
EXPORT_PAGE_SIZE = 500
EXPORT_MAX_PAGES = 10000


def needs_export(query: Dict[str, str]) -> bool:
    """Whether the query has a filter only the export takes (its calls are then checked against the export)."""
    return any(key in query for key in EXPORT_ONLY)


def calls_query(query: Dict[str, str]) -> Dict[str, str]:
    """The query without the export-only filters (what `GET /calls` is sent)."""
    return {key: value for key, value in query.items() if key not in EXPORT_ONLY}


def export_page_query(query: Dict[str, str], number: int) -> Dict[str, str]:
    return dict(query, page=str(number), size=str(EXPORT_PAGE_SIZE))


class ExportPage:
    """One page of `GET /calls/export`: its bytes, header record, data records and the bytes after
    the header line."""

    def __init__(self, number: int, body: bytes) -> None:
        self.number = number
        self.body = body
        text = body.decode("utf-8-sig", errors="replace")
        records = [record for record in csv.reader(io.StringIO(text, newline="")) if record]
        self.header: Optional[List[str]] = records[0] if records else None
        self.records: List[List[str]] = records[1:]
        newline = body.find(b"\n")
        self.rows_bytes = body[newline + 1:] if newline >= 0 else b""


def export_pages(read_page: Callable[[int], bytes]) -> Iterator[ExportPage]:
    """Every page of the export (`read_page(number)` reads one, see export_page_query) until a short or
    empty one; a page that only repeats rows already read (a server ignoring `page`) ends it too. More
    pages than EXPORT_MAX_PAGES fail: the caller never takes a truncated export for a whole one."""
    seen: set = set()
    for number in range(1, EXPORT_MAX_PAGES + 1):
        page = ExportPage(number, read_page(number))
        keys = {tuple(record) for record in page.records}
        if page.header is None or (number > 1 and keys and keys <= seen):
            return
        yield page
        seen |= keys
        if len(page.records) != EXPORT_PAGE_SIZE:
            return  # a short page ends the export; a longer one is a server that does not page
    raise EstFailure(f"the call export has more than {EXPORT_MAX_PAGES} pages of {EXPORT_PAGE_SIZE} rows; narrow the "
                     "filters (created_after, created_before)")


def export_matches(pages: Iterable[ExportPage], query: Dict[str, str]) -> Dict[str, dict]:
    """{callId: its country and emergency columns} of the exported rows whose own columns match the
    export-only filters of `query`, whether or not the server applied them. An export without a column
    to check fails (EstFailure) rather than let through calls that may not match."""
    wanted = {column: query[key].upper() for key, column in EXPORT_ONLY.items() if key in query}
    matches: Dict[str, dict] = {}
    for page in pages:
        index = {name.strip().casefold(): position for position, name in enumerate(page.header or [])}
        missing = [column for column in ["callId", *wanted] if column.casefold() not in index]
        if missing:
            raise EstFailure(f"the call export has no {', '.join(missing)} column, so the calls cannot be checked "
                             f"against {', '.join(EXPORT_OPTIONS[column] for column in wanted)}; nothing is returned "
                             "rather than calls that may not match")
        for record in page.records:
            values = _export_columns(record, index)
            if all(values.get(column, "").upper() == value for column, value in wanted.items()):
                matches[record[index["callid"]]] = {
                    "fromCountryCode": values.get("fromCountryCode"), "toCountryCode": values.get("toCountryCode"),
                    "emergency": values["emergency"].upper() == "TRUE" if "emergency" in values else None}
    return matches


def _export_columns(record: List[str], index: Dict[str, int]) -> Dict[str, str]:
    """The country and emergency columns a row has (a short row lacks the ones past its end)."""
    return {column: record[index[column.casefold()]].strip() for column in EXPORT_ONLY.values()
            if index.get(column.casefold(), len(record)) < len(record)}
