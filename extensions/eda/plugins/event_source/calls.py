# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""sinch.est.calls: an ansible-rulebook event source of Sinch Elastic SIP Trunking call records."""

from __future__ import annotations

import asyncio
import datetime
import io
import json
import logging
import math
import os
import sys
from typing import Any, Callable, Dict, List, Optional

DOCUMENTATION = r"""
---
short_description: Events for new Sinch Elastic SIP Trunking calls, or for call quality per trunk
description:
  - An ansible-rulebook event source plugin that polls C(GET /calls) of a Sinch Elastic SIP Trunking (EST)
    project and puts one event per new call, or one summary per trunk per time window, on the queue.
  - Each poll reads only what is new, the calls created since the newest call seen (less O(overlap)),
    in pages of 1000; a call is emitted once, however many pages and polls list it.
  - API errors (429, 5xx, a refused connection, an expired token) never stop the source. The client
    retries each request as the modules do; when a poll still fails, the source logs a warning once,
    waits longer after each failure (up to O(max_backoff)) and then reads everything it missed.
  - Credentials never appear in events or in the log.
  - The C(sinch.est) collection and its Python requirements (ansible-core, requests) must be installed
    where ansible-rulebook runs (in AWX / Automation Controller, in the decision environment).
options:
  project_id:
    description: The Sinch project; defaults to E(SINCH_PROJECT_ID).
    type: str
    required: true
  key_id:
    description: Access key id; defaults to E(SINCH_KEY_ID). Required unless O(access_token) is set.
    type: str
  key_secret:
    description: Access key secret; defaults to E(SINCH_KEY_SECRET). Never logged.
    type: str
  access_token:
    description:
      - An OAuth2 token to use instead of fetching one; defaults to E(SINCH_ACCESS_TOKEN). Never logged.
      - A token expires (after about an hour); without O(key_id) and O(key_secret) the source then cannot
        renew it and logs the failure once. Prefer the access key for a long-running source.
    type: str
  auth_method:
    description: V(oauth2) (default) or V(basic); defaults to E(SINCH_AUTH_METHOD).
    type: str
    choices: [oauth2, basic]
    default: oauth2
  api_url:
    description: Base URL of the EST API; defaults to E(SINCH_EST_API_URL), else V(https://elastic-trunking.api.sinch.com).
    type: str
  auth_url:
    description: Base URL of the OAuth2 token endpoint; defaults to E(SINCH_AUTH_URL), else V(https://auth.sinch.com).
    type: str
  numbers_api_url:
    description: Base URL of the Numbers API (unused here); defaults to E(SINCH_NUMBERS_API_URL).
    type: str
  validate_certs:
    description: Verify TLS certificates; defaults to E(SINCH_VALIDATE_CERTS).
    type: bool
    default: true
  ca_path:
    description: A CA bundle to verify against; defaults to E(SINCH_CA_PATH).
    type: path
  allow_insecure_http:
    description: Allow C(http://) URLs other than loopback; defaults to E(SINCH_ALLOW_INSECURE_HTTP).
    type: bool
    default: false
  timeout:
    description: Seconds to wait for each reply; defaults to E(SINCH_API_TIMEOUT).
    type: float
    default: 30
  retries:
    description: Retries of one request after a 429, 502, 503, 504 or a lost connection; defaults to E(SINCH_API_RETRIES).
    type: int
    default: 5
  retry_deadline:
    description: Seconds one request may spend retrying; defaults to E(SINCH_API_RETRY_DEADLINE).
    type: float
    default: 120
  interval:
    description: Seconds between the end of one poll and the start of the next.
    type: float
    default: 60
  since:
    description:
      - The oldest call to emit, by C(createTime). An ISO 8601 date (V(2024-02-01)) or date-time
        (V(2024-02-01T08:30:00Z); without a zone it is UTC), or a time relative to the start such as
        V(-15m), V(-2h) or V(-1d).
      - By default the time the source starts, so a restart does not emit old calls again.
    type: str
  overlap:
    description:
      - How far (seconds) before the newest call seen each poll reads again, and how long a summary window
        waits after its end before it is summarised.
      - It covers calls whose record is listed later than calls created after them (a record written when
        a long call ends). A call listed more than O(overlap) seconds after its C(createTime) is missed;
        a larger value costs a longer re-read on every poll and later summaries.
    type: float
    default: 300
  max_backoff:
    description: The longest wait (seconds) between polls while the API keeps failing.
    type: float
    default: 300
  state_file:
    description:
      - A file where the source keeps its cursor (the newest call time and the ids of the calls it emitted
        within O(overlap) of it), written after every poll that emitted events (a temporary file, then a
        rename).
      - When the file exists the source resumes from it instead of O(since) - the calls made while it was
        stopped are emitted, and none it emitted before is emitted again, including the calls a resumed read
        lists again within O(overlap), so a record that appears late is emitted once too.
      - Its directory must exist. Only with O(emit=calls) (a summary's open windows are not kept).
      - Without it a restarted source starts from O(since) (by default, the time it starts).
    type: path
  emit:
    description:
      - V(calls) puts one event per new call, oldest first.
      - V(summary) puts one event per trunk per O(window) seconds that had calls, computed with the same code
        as the P(sinch.est.call_stats#filter) filter. Windows follow each other from O(since); a window is
        summarised O(overlap) seconds after it ends.
    type: str
    choices: [calls, summary]
    default: calls
  window:
    description: The length in seconds of a summary window (O(emit=summary)).
    type: float
    default: 300
  from_number:
    description: Only calls whose caller number starts with this prefix (V(+1415)).
    type: str
  to_number:
    description: Only calls whose called number starts with this prefix.
    type: str
  trunk:
    description: Only calls through this trunk, by id or host name (looked up once, when the source starts).
    type: str
  call_result:
    description: Only calls with one of these results (V(COMPLETED), V(NO_ANSWER), V(CANCEL), V(BUSY), V(FAILED); any case).
    type: list
    elements: str
  direction:
    description: Only calls in these directions (V(INBOUND), V(OUTBOUND); any case).
    type: list
    elements: str
  from_country_code:
    description:
      - Only calls from numbers of this country (ISO 3166-1 alpha-2).
      - The current API reference has this filter (and O(to_country_code), O(emergency_only)) on the call
        export only, and a call object carries no country. With any of them each poll also reads the export
        (page by page, with every filter) and emits only the calls whose own export row matches, whether or not
        the server applied the filter, each with C(from_country_code), C(to_country_code) and C(emergency) from
        that row, as M(sinch.est.est_call_info) returns them. An export without one of those columns stops
        the source instead of emitting calls that may not match.
    type: str
  to_country_code:
    description: Only calls to numbers of this country (ISO 3166-1 alpha-2); checked as O(from_country_code) is.
    type: str
  emergency_only:
    description: Only emergency calls; checked as O(from_country_code) is.
    type: bool
    default: false
notes:
  - "A call event is C({sinch_est: {type: call, call: {...}}}), the call with snake_case keys exactly as
    M(sinch.est.est_call_info) returns it."
  - "A summary event is C({sinch_est: {type: summary, trunk_id, window_start, window_end, calls, answered, asr,
    acd, minutes, cost, results}}): C(asr) answered / calls (0 to 1), C(acd) seconds, C(minutes) billed minutes,
    C(results) the number of calls per result."
  - An idle poll costs one request (plus a token request about once an hour with an access key).
"""

EXAMPLES = r"""
- name: React to failed calls on one trunk
  hosts: all
  sources:
    - sinch.est.calls:
        trunk: acme-prod
        call_result: [failed, busy]
        interval: 30

- name: Watch the answer-seizure ratio per trunk over 5-minute windows
  hosts: all
  sources:
    - sinch.est.calls:
        emit: summary
        window: 300
        overlap: 120
  rules:
    - name: Low ASR
      condition: event.sinch_est.calls >= 20 and event.sinch_est.asr < 0.4
      action:
        debug:
"""


def _make_collection_importable() -> None:
    """ansible-rulebook runs this file by path (runpy), outside any package: put the directory that
    holds ansible_collections/ on sys.path so the collection's own client and call code import."""
    parts = os.path.abspath(__file__).split(os.sep)  # not realpath: the collection may be a symlink
    if len(parts) > 8 and parts[-8:-5] == ["ansible_collections", "sinch", "est"]:
        root = os.sep.join(parts[:-8])
        if root not in sys.path:
            sys.path.insert(0, root)


_make_collection_importable()

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict  # noqa: E402
from ansible.module_utils.parsing.convert_bool import boolean  # noqa: E402

from ansible_collections.sinch.est.plugins.module_utils._call_stats import (  # noqa: E402
    call_stats,
    group_key,
    parse_time,
)
from ansible_collections.sinch.est.plugins.module_utils import _paths as paths  # noqa: E402
from ansible_collections.sinch.est.plugins.module_utils import _trunks as trunks  # noqa: E402
from ansible_collections.sinch.est.plugins.module_utils._calls import (  # noqa: E402
    CALLS_MAX_PAGE_SIZE,
    WIRE_TIME_FORMAT,
    call_query,
    calls_query,
    export_matches,
    export_page_query,
    export_pages,
    needs_export,
    parse_time_bound,
    utc_now,
)
from ansible_collections.sinch.est.plugins.module_utils._client import client_from_options  # noqa: E402
from ansible_collections.sinch.est.plugins.module_utils._connection import CONNECTION_TABLE  # noqa: E402
from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError, EstFailure  # noqa: E402
from ansible_collections.sinch.est.plugins.module_utils._validation import Problems  # noqa: E402

logger = logging.getLogger("sinch.est.calls")

FILTER_OPTIONS = ("from_number", "to_number", "trunk", "call_result", "direction", "from_country_code",
                  "to_country_code", "emergency_only")
LIST_FILTERS = ("call_result", "direction")
SOURCE_DEFAULTS: Dict[str, Any] = {"interval": 60.0, "since": None, "overlap": 300.0, "max_backoff": 300.0,
                                   "emit": "calls", "window": 300.0, "state_file": None}
STATE_VERSION = 1
EMIT_CHOICES = ("calls", "summary")


class SourceConfigError(ValueError):
    """The source's arguments cannot work; raised before any request."""


def _redact(text: str, secrets: List[str]) -> str:
    # The client already scrubs its errors; this also covers anything else that is logged.
    for secret in secrets:
        text = text.replace(secret, "********")
    return text


def _convert(name: str, kind: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    try:
        if kind == "bool":
            return boolean(value, strict=True)
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
    except (TypeError, ValueError):
        raise SourceConfigError(f"{name}: {value!r} is not a valid {kind}") from None
    if kind == "path":
        return os.path.expanduser(str(value))
    return str(value)


def connection_options(args: Dict[str, Any], environ: Dict[str, str]) -> Dict[str, Any]:
    """The connection options from the arguments, else the SINCH_* variables the modules fall back to."""
    options = {}
    for option in CONNECTION_TABLE:
        value = args.get(option.name)
        if value is None or value == "":
            value = environ.get(option.env)
        options[option.name] = _convert(option.name, option.type, value)
    if not options["project_id"]:
        raise SourceConfigError("project_id is required (or set SINCH_PROJECT_ID)")
    return options


class Settings:
    """Every argument of the source, checked before the first request."""

    def __init__(self, args: Dict[str, Any], environ: Dict[str, str], now: datetime.datetime) -> None:
        # ansible-rulebook adds its own arguments (eda_feedback_queue, ...): they are not the user's.
        own = {key: value for key, value in args.items() if not key.startswith("eda_")}
        known = {option.name for option in CONNECTION_TABLE} | set(FILTER_OPTIONS) | set(SOURCE_DEFAULTS)
        unknown = sorted(set(own) - known)
        if unknown:
            raise SourceConfigError(f"unknown arguments {', '.join(unknown)}; the source takes {', '.join(sorted(known))}")
        self.connection = connection_options(own, environ)
        self.secrets = [str(self.connection[name]) for name in ("key_secret", "access_token") if self.connection[name]]
        values = dict(SOURCE_DEFAULTS, **{key: value for key, value in own.items() if key in SOURCE_DEFAULTS})
        self.interval = self._seconds("interval", values["interval"], minimum=0.0, strict=True)
        self.overlap = self._seconds("overlap", values["overlap"], minimum=0.0)
        self.max_backoff = max(self.interval, self._seconds("max_backoff", values["max_backoff"], minimum=0.0))
        self.window = self._seconds("window", values["window"], minimum=0.0, strict=True)
        self.emit = str(values["emit"]).lower()
        if self.emit not in EMIT_CHOICES:
            raise SourceConfigError(f"emit: {values['emit']!r} is not one of {', '.join(EMIT_CHOICES)}")
        self.since = self._since(values["since"], now)
        self.filters = self._filters(own)
        self.state_file = self._state_file(values["state_file"], self.emit)

    @staticmethod
    def _state_file(value: Any, emit: str) -> Optional[str]:
        path = _convert("state_file", "path", value)
        if path is None:
            return None
        if emit != "calls":
            raise SourceConfigError("state_file: only with emit=calls (a summary's open windows are not kept)")
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise SourceConfigError(f"state_file: directory {directory} does not exist")
        return os.path.abspath(path)

    @staticmethod
    def _seconds(name: str, value: Any, minimum: float, strict: bool = False) -> float:
        number = _convert(name, "float", value)
        if number is None or not math.isfinite(number) or number < minimum or (strict and number == minimum):
            raise SourceConfigError(f"{name}: {value!r} must be a number of seconds {'above' if strict else 'of at least'} {minimum:g}")
        return number

    @staticmethod
    def _since(value: Any, now: datetime.datetime) -> datetime.datetime:
        if value is None or value == "":
            return now.replace(microsecond=0)
        bound, problem = parse_time_bound("since", str(value), now)
        if bound is None:
            raise SourceConfigError(problem)
        return bound.start

    @staticmethod
    def _filters(args: Dict[str, Any]) -> Dict[str, Any]:
        filters = {name: args[name] for name in FILTER_OPTIONS if args.get(name) not in (None, "")}
        for name in LIST_FILTERS:
            if isinstance(filters.get(name), str):
                filters[name] = [part for part in filters[name].split(",") if part.strip()]
        if "emergency_only" in filters:
            filters["emergency_only"] = _convert("emergency_only", "bool", filters["emergency_only"])
        problems = Problems()
        call_query(filters, utc_now(), problems)
        if problems:
            raise SourceConfigError("; ".join(problems.messages))
        return filters


class CallCursor:
    """What polling remembers: the newest createTime seen and the ids of the calls near it.

    Each read asks for the calls created at or after lower_bound(); a call whose id is remembered is
    not taken again. Ids older than the bound are forgotten: the next read cannot list them.
    """

    def __init__(self, since: datetime.datetime, overlap: float) -> None:
        self.since = since
        self.overlap = datetime.timedelta(seconds=overlap)
        self.newest = since
        self.seen: Dict[str, datetime.datetime] = {}

    def lower_bound(self) -> datetime.datetime:
        # Whole seconds: the API's time filter and createTime both have a resolution of one second.
        return max(self.since, self.newest - self.overlap).replace(microsecond=0)

    def take(self, calls: List[dict]) -> List[dict]:
        """The calls of one complete read (newest first, as listed) not taken before, oldest first."""
        fresh = []
        for call in reversed(calls):
            created = parse_time(call.get("createTime")) or self.newest
            if created < self.since:
                continue
            key = call.get("callId") or json.dumps(call, sort_keys=True)
            if key in self.seen:
                continue
            self.seen[key] = created
            fresh.append((created, call))
            self.newest = max(self.newest, created)
        bound = self.lower_bound()
        self.seen = {key: created for key, created in self.seen.items() if created >= bound}
        fresh.sort(key=lambda item: item[0])
        return [call for created, call in fresh]

    def to_state(self, project_id: str) -> Dict[str, Any]:
        return {"version": STATE_VERSION, "project_id": project_id, "since": self.since.isoformat(),
                "newest": self.newest.isoformat(),
                "emitted": {key: created.isoformat() for key, created in sorted(self.seen.items())}}

    def restore(self, state: Dict[str, Any]) -> None:
        """Resumes from a state `to_state` wrote (the caller checked its version and project)."""
        self.since = datetime.datetime.fromisoformat(state["since"])
        self.newest = datetime.datetime.fromisoformat(state["newest"])
        self.seen = {str(key): datetime.datetime.fromisoformat(created) for key, created in state["emitted"].items()}


def load_state(path: str, project_id: str) -> Optional[Dict[str, Any]]:
    """The cursor state in `path`, None when there is none yet; anything else fails the start."""
    try:
        with open(path, encoding="utf-8") as handle:
            state = json.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise SourceConfigError(f"state_file: {path} cannot be read as this source's state ({error})") from None
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION or not isinstance(state.get("emitted"), dict):
        raise SourceConfigError(f"state_file: {path} is not a state this source wrote (version {STATE_VERSION})")
    if state.get("project_id") != project_id:
        raise SourceConfigError(f"state_file: {path} holds the cursor of project {state.get('project_id')!r}, "
                                f"not {project_id!r}; give each source its own file")
    return state


def save_state(path: str, state: Dict[str, Any]) -> None:
    """Writes `state` to a temporary file beside `path`, then renames it over `path` (never half a file)."""
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(state, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _iso(moment: datetime.datetime) -> str:
    return moment.strftime(WIRE_TIME_FORMAT)


def summary_events(calls: List[dict], start: datetime.datetime, end: datetime.datetime) -> List[dict]:
    """One summary event per trunk of `calls` (snake_case), by trunk id."""
    by_trunk: Dict[str, List[dict]] = {}
    for call in calls:
        by_trunk.setdefault(group_key(call, "trunk"), []).append(call)
    events = []
    for trunk_id in sorted(by_trunk):
        stats = call_stats(by_trunk[trunk_id], group_by="result")
        events.append({"sinch_est": {
            "type": "summary", "trunk_id": trunk_id, "window_start": _iso(start), "window_end": _iso(end),
            "calls": stats["total"], "answered": stats["answered"], "asr": stats["asr"], "acd": stats["acd_seconds"],
            "minutes": stats["minutes"], "cost": stats["cost"],
            "results": {result: group["total"] for result, group in stats["by"].items()},
        }})
    return events


class Windows:
    """Calls kept per summary window until the window is over and O(overlap) has passed."""

    def __init__(self, start: datetime.datetime, width: float, overlap: float) -> None:
        self.start = start
        self.width = width
        self.overlap = overlap
        self.pending: Dict[int, List[dict]] = {}
        self.first_open = 0
        self.late = 0

    def add(self, call: dict, created: datetime.datetime) -> None:
        index = math.floor((created - self.start).total_seconds() / self.width)
        if index < self.first_open:
            self.late += 1
        else:
            self.pending.setdefault(index, []).append(call)

    def close(self, horizon: datetime.datetime) -> List[dict]:
        """The summaries of every window that ended O(overlap) or more before `horizon`."""
        limit = math.floor(((horizon - self.start).total_seconds() - self.overlap) / self.width)
        events = []
        for index in sorted(index for index in self.pending if index < limit):
            start = self.start + datetime.timedelta(seconds=index * self.width)
            events += summary_events(self.pending.pop(index), start, start + datetime.timedelta(seconds=self.width))
        self.first_open = max(self.first_open, limit)
        return events


class CallSource:
    """The polling loop: reads off the event loop (the client is synchronous), puts events on the queue."""

    def __init__(self, settings: Settings, clock: Callable[[], datetime.datetime] = utc_now) -> None:
        self.settings = settings
        self.clock = clock
        self.cursor = CallCursor(settings.since, settings.overlap)
        if settings.state_file:
            state = load_state(settings.state_file, settings.connection["project_id"])
            if state is not None:
                self.cursor.restore(state)
                logger.info("sinch.est.calls: resuming from %s (calls since %s, %d emitted ids kept)",
                            settings.state_file, state["newest"], len(state["emitted"]))
        self.windows = Windows(settings.since, settings.window, settings.overlap)
        self.client: Any = None
        self.trunk_query: Optional[Dict[str, str]] = None
        self.polls = 0
        self.failures = 0
        self.saved = False

    def _client(self) -> Any:
        if self.client is None:
            self.client = client_from_options(self.settings.connection.__getitem__, warn=logger.warning)
        return self.client

    def read(self) -> List[dict]:
        """Every call created since the cursor's lower bound, newest first (runs in a worker thread)."""
        client = self._client()
        if self.trunk_query is None:
            trunk = self.settings.filters.get("trunk")
            try:
                # est_call_info's rule: a host name is resolved to its trunk id, a typo refused.
                self.trunk_query = {"trunkId": trunks.filter_id(client, trunk)} if trunk else {}
            except EstFailure as failure:
                raise SourceConfigError(failure.msg) from None
        params = dict(self.settings.filters, created_after=_iso(self.cursor.lower_bound()))
        query = dict(call_query(params, utc_now(), Problems()), **self.trunk_query)
        # The country and emergency filters are the export's: the calls are checked against its rows
        verified = self.export_rows(client, query) if needs_export(query) else None
        listed = client.list_all(paths.CALLS, params=calls_query(query), page_size=CALLS_MAX_PAGE_SIZE)
        if verified is None:
            return [call for call in listed if isinstance(call, dict)]
        return [dict(call, **verified[call.get("callId")]) for call in listed
                if isinstance(call, dict) and call.get("callId") in verified]

    @staticmethod
    def export_rows(client: Any, query: Dict[str, str]) -> Dict[str, dict]:
        """{callId: its country and emergency columns} of the export rows that match (as est_call_info)."""

        def read_page(number: int) -> bytes:
            buffer = io.BytesIO()
            client.download(paths.CALLS_EXPORT.path(), export_page_query(query, number), buffer)
            return buffer.getvalue()

        try:
            return export_matches(export_pages(read_page), query)
        except EstFailure as failure:
            raise SourceConfigError(failure.msg) from None

    def events(self, listed: List[dict], started: datetime.datetime) -> List[dict]:
        """The events that one complete read gives."""
        fresh = self.cursor.take(listed)
        if self.settings.emit == "calls":
            return [{"sinch_est": {"type": "call", "call": camel_dict_to_snake_dict(call)}} for call in fresh]
        late = self.windows.late
        for call in fresh:
            self.windows.add(camel_dict_to_snake_dict(call), parse_time(call.get("createTime")) or self.cursor.newest)
        if self.windows.late > late:
            logger.warning("sinch.est.calls: %d calls were listed after their window was summarised; they are in no "
                           "summary (raise overlap above %gs)", self.windows.late - late, self.settings.overlap)
        return self.windows.close(max(started, self.cursor.newest))

    async def poll(self, queue: Any) -> float:
        """One poll; the seconds to wait before the next one."""
        started = self.clock()
        try:
            listed = await asyncio.to_thread(self.read)
        except EstApiError as error:
            self.failures += 1
            message = _redact(str(error), self.settings.secrets)
            if self.failures == 1:
                logger.warning("sinch.est.calls: polling failed; retrying with backoff until it works, then catching "
                               "up: %s", message)
            else:
                logger.debug("sinch.est.calls: poll failed again (%d in a row): %s", self.failures, message)
            if error.status_code == 401:
                self.client = None  # the next attempt starts with a new token
            return min(self.settings.max_backoff, self.settings.interval * 2 ** self.failures)
        if self.failures:
            logger.warning("sinch.est.calls: polling works again after %d failed polls; catching up", self.failures)
            self.failures = 0
        self.polls += 1
        events = self.events(listed, started)
        for event in events:
            await queue.put(event)
        if self.settings.state_file and (events or not self.saved):
            self.save()  # the first poll too: a restart then resumes from this start, not from its own
        return self.settings.interval

    def save(self) -> None:
        """Persists the cursor once its events are on the queue; a failed write is logged, not fatal
        (the events are out; a restart before the next good write may emit them again)."""
        try:
            save_state(self.settings.state_file, self.cursor.to_state(self.settings.connection["project_id"]))
            self.saved = True
        except OSError as error:
            logger.warning("sinch.est.calls: cannot write state_file %s: %s", self.settings.state_file, error)

    async def run(self, queue: Any) -> None:
        while True:
            await asyncio.sleep(await self.poll(queue))


async def main(queue: asyncio.Queue, args: Dict[str, Any]) -> None:
    """Poll the calls of a Sinch EST project and put events on `queue` (runs until cancelled)."""
    settings = Settings(args, dict(os.environ), utc_now())
    await CallSource(settings).run(queue)


if __name__ == "__main__":
    # `python calls.py` with the SINCH_* variables set prints the events of new calls.

    class MockQueue:
        async def put(self, event: Dict[str, Any]) -> None:
            print(json.dumps(event))  # noqa: T201

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(MockQueue(), {"interval": 10}))  # type: ignore[arg-type]
