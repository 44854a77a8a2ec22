# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""One HTTP exchange with retries: which failures are worth another attempt, how long to wait, and
when to give up. `EstClient` builds the requests; this sends them.

Waits are capped exponential backoff with full jitter, or the server's `Retry-After`. A 429 holds a
`Gate` that every worker of the module run shares, so concurrent writes slow down together. A
refused connection is rarely transient: retrying it costs at most REFUSED_RETRY_BUDGET seconds per
module run, so a loop against a stopped API fails fast.
"""

from __future__ import annotations

import random
import threading
import time
from typing import Any, Callable, NamedTuple, NoReturn, Optional, Tuple
from urllib.parse import urlsplit

from ansible_collections.sinch.est.plugins.module_utils._connection import ConnectionSettings
from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError
# _failures is imported where an exchange has failed: a task whose requests succeed never loads it.

try:
    import requests
    import requests.exceptions
except ImportError:  # _client reports the missing library
    pass

BACKOFF_BASE = 0.5
BACKOFF_FACTOR = 2
BACKOFF_CAP = 30.0
# Sinch's SDKs back off from a token 429 (which carries no Retry-After) from 1 s, growing x4.
TOKEN_BACKOFF_BASE = 1.0
TOKEN_BACKOFF_FACTOR = 4
REFUSED_RETRY_BUDGET = 1.0
RETRYABLE_STATUS = frozenset((429, 502, 503, 504))
# A POST answered with one of these may have been applied before the server failed.
AMBIGUOUS_WRITE_STATUS = frozenset((500, 502, 503, 504))
IDEMPOTENT_METHODS = frozenset(("GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"))
# A write answered 500 may have been applied before the reply failed. Repeating a PUT, PATCH or
# DELETE converges to the same state, so they are retried on 500 as well (a POST never is).
IDEMPOTENT_WRITES = frozenset(("PUT", "DELETE", "PATCH"))


# Plain classes and a NamedTuple, not dataclasses: a module compiles and runs this file on every
# task, and dataclass creation costs more than these few fields are worth (see the performance guide).
class Timing(NamedTuple):
    """Where the transport takes time from: the real clocks, or a test's fakes."""

    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], float] = time.time  # for Retry-After dates
    jitter: Callable[[], float] = random.random


class Attempts:
    """The bookkeeping of one logical request (shared across a token renewal)."""

    __slots__ = ("started", "count", "retries", "uncertain")

    def __init__(self, started: float) -> None:
        self.started = started
        self.count = 0  # requests sent so far
        self.retries = 0  # of them, the retries
        self.uncertain = False  # a write was answered 5xx or lost after sending: it may have applied


class Exchange:
    """One logical request as the retry steps see it."""

    __slots__ = ("method", "url", "clean", "token_request", "url_path", "repeatable")

    def __init__(self, method: str, url: str, clean: Callable[[Any], Any], token_request: bool = False) -> None:
        self.method = method
        self.url = url
        self.clean = clean
        self.token_request = token_request
        self.url_path = urlsplit(url).path
        # Asking for a token changes nothing on the server, so it is repeated like a GET.
        self.repeatable = token_request or method in IDEMPOTENT_METHODS


class Gate:
    """A "not before" time shared by every worker of one module run (set by a 429)."""

    def __init__(self, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._not_before = 0.0
        self.refused_seconds = 0.0  # time spent retrying refused connections, for the whole run

    def hold(self, seconds: float) -> None:
        with self._lock:
            self._not_before = max(self._not_before, self._clock() + seconds)

    def wait(self, longest: float) -> None:
        """Sleeps until the gate opens, at most `longest` seconds."""
        delay = min(self._not_before - self._clock(), longest)
        if delay > 0:
            self._sleep(delay)

    def spend_refused(self, seconds: float) -> float:
        """Takes up to `seconds` from the refused-connection budget; returns what was granted."""
        with self._lock:
            granted = max(0.0, min(seconds, REFUSED_RETRY_BUDGET - self.refused_seconds))
            self.refused_seconds += granted
            return granted


class Transport:
    """Sends one request until a reply that is not worth retrying; one `requests.Session` each."""

    def __init__(self, settings: ConnectionSettings, user_agent: str, clean: Callable[[Any, Any], Any],
                 timing: Timing, gate: Optional[Gate] = None) -> None:
        self.settings = settings
        self.timeout = settings.timeout
        self.retries = settings.retries
        self.retry_deadline = settings.retry_deadline
        self.user_agent = user_agent
        self._clean = clean
        self.timing = timing
        self.gate = gate or Gate(timing.clock, timing.sleep)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.requests_sent = 0

    def sibling(self) -> Transport:
        """A transport for another worker thread: its own session, the same settings and gate."""
        return Transport(self.settings, self.user_agent, self._clean, self.timing, gate=self.gate)

    def start(self) -> Attempts:
        return Attempts(started=self.timing.clock())

    def send(self, method: str, url: str, request_kwargs: dict, attempts: Attempts, body: Any = None,
             token_request: bool = False) -> Any:
        """The first reply not worth retrying; raises EstApiError when the retries run out.

        A request that is not repeatable (a POST) is sent again only when the server certainly did
        not act on it: a 429, or a connection that was never established.
        """
        exchange = Exchange(method, url, lambda value: self._clean(value, body), token_request)
        while True:
            self.gate.wait(max(0.0, self._remaining(attempts)))
            response, exception = self._attempt(exchange, request_kwargs, attempts)
            if response is not None and self._is_final(exchange, response, attempts):
                return response
            if exception is not None:
                self._judge_exception(exchange, exception, attempts)
            self._wait_before_retry(exchange, attempts, response, exception)

    def _remaining(self, attempts: Attempts) -> float:
        return self.retry_deadline - (self.timing.clock() - attempts.started)

    def _attempt(self, exchange: Exchange, request_kwargs: dict,
                 attempts: Attempts) -> Tuple[Any, Optional[BaseException]]:
        attempts.count += 1
        self.requests_sent += 1
        try:
            return self.session.request(exchange.method, exchange.url, timeout=self.timeout,
                                        verify=self.settings.verify, **request_kwargs), None
        except requests.exceptions.RequestException as exc:
            return None, exc

    def _is_final(self, exchange: Exchange, response: Any, attempts: Attempts) -> bool:
        """True for a reply to hand back; raises for a POST whose 5xx leaves its effect unknown."""
        status = response.status_code
        if not exchange.repeatable and status in AMBIGUOUS_WRITE_STATUS:
            from ansible_collections.sinch.est.plugins.module_utils._failures import response_error
            raise response_error(exchange.method, exchange.url, exchange.url_path, response, attempts.count,
                                 exchange.clean, ambiguous=True)
        if exchange.method in IDEMPOTENT_WRITES and status in AMBIGUOUS_WRITE_STATUS:
            attempts.uncertain = True
        return status not in RETRYABLE_STATUS and not (status == 500 and exchange.method in IDEMPOTENT_WRITES)

    def _judge_exception(self, exchange: Exchange, exception: BaseException, attempts: Attempts) -> None:
        """Raises unless the failure may be retried; notes a write that may have reached the server."""
        from ansible_collections.sinch.est.plugins.module_utils._failures import failed_before_sending, is_retryable_exception
        sent = not failed_before_sending(exception)
        if not is_retryable_exception(exception):
            self._raise_exception(exchange, exception, attempts)
        if not exchange.repeatable and sent:
            self._raise_exception(exchange, exception, attempts, ambiguous=True)
        if exchange.method in IDEMPOTENT_WRITES and sent:
            attempts.uncertain = True

    def _raise_exception(self, exchange: Exchange, exception: BaseException, attempts: Attempts,
                         **how: Any) -> NoReturn:
        from ansible_collections.sinch.est.plugins.module_utils._failures import describe_exception, exception_error
        raise exception_error(exchange.method, exchange.url, exchange.url_path, urlsplit(exchange.url).netloc,
                              describe_exception(exception), attempts.count, exchange.clean, **how)

    def _wait_before_retry(self, exchange: Exchange, attempts: Attempts, response: Any,
                           exception: Optional[BaseException]) -> None:
        """Waits for the next attempt, or raises when the retries, the deadline or the budget ran out."""
        attempts.retries += 1
        remaining = self._remaining(attempts)
        delay, stop_reason = self._next_delay(exchange, attempts, response, exception, remaining)
        if stop_reason is not None and response is not None:
            from ansible_collections.sinch.est.plugins.module_utils._failures import response_error
            raise response_error(exchange.method, exchange.url, exchange.url_path, response, attempts.count,
                                 exchange.clean, stop_reason=stop_reason)
        if stop_reason is not None:
            self._raise_exception(exchange, exception, attempts, stop_reason=stop_reason)
        if response is not None:
            response.close()
        # Never sleep past the deadline; the attempt at the deadline is the last one.
        delay = min(delay, remaining)
        if response is not None and response.status_code == 429:
            self.gate.hold(delay)
        elif delay > 0:
            self.timing.sleep(delay)

    def _next_delay(self, exchange: Exchange, attempts: Attempts, response: Any, exception: Optional[BaseException],
                    remaining: float) -> Tuple[float, Optional[str]]:
        """(seconds to wait, None), or (_, why to stop retrying)."""
        delay = self._delay(attempts.retries, response, exchange.token_request)
        if attempts.retries > self.retries:
            return delay, f"gave up after retries={self.retries}"
        if remaining <= 0:
            return delay, f"retry_deadline of {self.retry_deadline:g}s reached"
        from ansible_collections.sinch.est.plugins.module_utils._failures import connection_refused
        if exception is None or not connection_refused(exception):
            return delay, None
        delay = self.gate.spend_refused(min(delay, remaining))
        if delay <= 0:
            return delay, (f"the connection was refused; retrying refused connections is limited to "
                           f"{REFUSED_RETRY_BUDGET:g}s per task")
        return delay, None

    def _delay(self, retry_number: int, response: Any, token_request: bool) -> float:
        if response is not None:
            from ansible_collections.sinch.est.plugins.module_utils._failures import parse_retry_after
            retry_after = parse_retry_after(response.headers.get("Retry-After"), self.timing.wall_clock())
            if retry_after is not None:
                return retry_after
        base, factor = (TOKEN_BACKOFF_BASE, TOKEN_BACKOFF_FACTOR) if token_request else (BACKOFF_BASE, BACKOFF_FACTOR)
        return self.timing.jitter() * min(BACKOFF_CAP, base * factor ** (retry_number - 1))

    def unparsable(self, method: str, url: str, response: Any, attempts: int, body: Any = None) -> EstApiError:
        from ansible_collections.sinch.est.plugins.module_utils._failures import response_error
        return response_error(method, url, urlsplit(url).path, response, attempts,
                              lambda value: self._clean(value, body), force_invalid_json=True)
