# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""Call records: the `/calls` filters shared by est_call_info and est_call_export, and the
download of a file (CSV export, PCAP) to a `dest` path shared by est_call_export and est_call_pcap.

The filter options are validated and turned into the query before any request; times are UTC.
"""

from __future__ import annotations

import csv
import datetime
import filecmp
import io
import os
import re
import tempfile
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._module import EstModule
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
    for option, key in (("from_number", "from"), ("to_number", "to")):
        value = params.get(option)
        if value is not None:
            if not PREFIX_PATTERN.match(value):
                problems.add(f"{option}: {value!r} is not a number prefix (an optional '+' and 1 to 15 digits, e.g. +1415)")
            else:
                query[key] = value
    for option, key, choices in (("call_result", "callResult", CALL_RESULTS), ("direction", "direction", DIRECTIONS)):
        value = _enum_list(option, params.get(option), choices, problems)
        if value:
            query[key] = value
    for option, key in (("from_country_code", "fromCountryCode"), ("to_country_code", "toCountryCode")):
        value = params.get(option)
        if value is not None:
            error = check_iso_code(option, value)
            if error:
                problems.add(error)
            else:
                query[key] = value.upper()
    if params.get("emergency_only"):
        query["emergencyOnly"] = "true"
    if params.get("create_time") is not None:
        problem = parse_partial_date("create_time", params["create_time"])
        problems.add(problem)
        if not problem:
            query["createTime"] = params["create_time"].strip()
    bounds = {}
    for option, key in (("created_after", "createTime>"), ("created_before", "createTime<")):
        if params.get(option) is not None:
            bound, problem = parse_time_bound(option, params[option], now)
            problems.add(problem)
            if bound is not None:
                bounds[option] = bound
                query[key] = bound.wire
    if len(bounds) == 2 and bounds["created_after"].start >= bounds["created_before"].end:
        problems.add(f"created_after ({params['created_after']}) is not before created_before ({params['created_before']}): "
                     "no call can match")
    return query


def page_size_for(max_items: int, maximum: int) -> int:
    """The page size that reads `max_items` in the fewest requests without fetching pages past it.

    0 (all) reads at the maximum; otherwise the pages needed share the items evenly (1500 at a
    maximum of 1000 is two pages of 750), so at most one item per page is read and dropped.
    """
    if max_items <= 0:
        return maximum
    pages = -(-max_items // maximum)
    return -(-max_items // pages)


class CallFilterModule(EstModule):
    """A module that takes the `/calls` filters: validates them into `self.query` before any request."""

    noun = "call"

    def __init__(self, module: Any) -> None:
        super().__init__(module)
        self.query: Dict[str, str] = {}

    def validate(self, problems: Problems) -> None:
        self.query = call_query(self.params, utc_now(), problems)

    def trunk_query(self) -> Dict[str, str]:
        """`trunkId` for the `trunk` option (see EstModule.trunk_filter)."""
        value = self.params.get("trunk")
        return {"trunkId": self.trunk_filter(value)} if value else {}


# The export's pages: the document's default (and largest) size, and a bound on the pages read.
EXPORT_PAGE_SIZE = 500
EXPORT_MAX_PAGES = 10000


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


def export_pages(est: EstModule, query: Dict[str, str]) -> Iterator[ExportPage]:
    """Every page of the export (page/size, like the other lists) until a short or empty one; a page
    that only repeats rows already read (a server ignoring `page`) ends it too. More pages than
    EXPORT_MAX_PAGES fail: the caller never takes a truncated export for a whole one."""
    seen: set = set()
    for number in range(1, EXPORT_MAX_PAGES + 1):
        buffer = io.BytesIO()
        with est.step(f"Reading page {number} of the call export"):
            est.client.download(paths.CALLS_EXPORT.path(), dict(query, page=str(number), size=str(EXPORT_PAGE_SIZE)),
                                buffer)
        page = ExportPage(number, buffer.getvalue())
        keys = {tuple(record) for record in page.records}
        if page.header is None or (number > 1 and keys and keys <= seen):
            return
        yield page
        seen |= keys
        if len(page.records) != EXPORT_PAGE_SIZE:
            return  # a short page ends the export; a longer one is a server that does not page
    est.fail(f"the call export has more than {EXPORT_MAX_PAGES} pages of {EXPORT_PAGE_SIZE} rows; narrow the filters "
             "(created_after, created_before)")


def count_csv_rows(path: str) -> int:
    """Data rows of a CSV file (the header excluded); quoted fields may hold line breaks."""
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as handle:
        records = sum(1 for record in csv.reader(handle) if record)
    return max(0, records - 1)


def download_to_dest(est: EstModule, route: paths.Route, params: Optional[dict], dest: str, force: bool, mode: Any,
                     measure: Callable[[str], Any], fetch: Optional[Callable[[Any], Any]] = None,
                     **ids: Any) -> Tuple[bool, Any]:
    """Streams a GET into `dest` the way get_url does it; returns (changed, measure(final file)).

    The body goes to a temporary file first (never half a file at `dest`), is compared with
    `dest`, and replaces it atomically only when it differs and `dest` is new or `force` is set.
    `measure` (rows, size) is taken of the file `dest` holds at the end, or would hold in check
    mode, which downloads (a read) to tell the truth about `changed` and writes nothing.
    `fetch(fileobj)`, when given, writes the body instead of one GET (the paged export); whatever
    it raises leaves `dest` as it was.
    """
    module = est.module
    if os.path.isdir(dest):
        est.fail(f"dest: {dest} is a directory; give the path of a file")
    directory = os.path.dirname(dest) or "."
    if not os.path.isdir(directory):
        est.fail(f"dest: directory {directory} does not exist")
    handle, temporary = tempfile.mkstemp(prefix="sinch-est-", dir=module.tmpdir)
    try:
        with os.fdopen(handle, "wb") as fileobj:
            if fetch is not None:
                fetch(fileobj)
            else:
                est.client.download(route.path(**ids), params, fileobj)
        exists = os.path.exists(dest)
        if exists and filecmp.cmp(temporary, dest, shallow=False):
            changed, final = False, dest
        elif exists and not force:
            module.warn(f"dest {dest} exists and differs from what the API returned now; it was left as it is. "
                        "Set force=true to replace it.")
            changed, final = False, dest
        else:
            changed, final = True, temporary
        measured = measure(final)
        if changed and not module.check_mode:
            module.atomic_move(temporary, dest)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    if mode is not None and os.path.exists(dest):
        changed = module.set_mode_if_different(dest, mode, changed)
    return changed, measured
