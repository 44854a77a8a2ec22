# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""What a failed exchange means: the `EstApiError` of a failed reply (what was asked, what the API
said: a bare Sinch error, an envelope, an OAuth2 error; how often) or of an exception; whether an
exception may be retried, or certainly never reached the server; how long `Retry-After` asks to wait.

Apart from `_errors` and `_transport`, and imported where an exchange has failed (a reply not worth
handing back, an exception): a task whose requests succeed never compiles it."""

from __future__ import annotations

import email.utils
from typing import Any, Callable, Iterator, List, Optional, Tuple

from ansible_collections.sinch.est.plugins.module_utils._errors import EstAmbiguousWriteError, EstApiError, plural

try:
    import requests
    import requests.exceptions
    from urllib3.exceptions import NewConnectionError
except ImportError:  # _client reports the missing library
    pass


def error_fields(body: Any) -> Tuple[Optional[str], Optional[str], list]:
    """`status`, `message`, `details` from a bare Sinch error, an `{"error": {...}}` envelope or an
    OAuth2 error (`{"error": "invalid_client", "error_description": "..."}`)."""
    if not isinstance(body, dict):
        return None, None, []
    inner = body.get("error")
    if isinstance(inner, dict):
        body = inner
    elif isinstance(inner, str):
        description = body.get("error_description")
        return inner, description if isinstance(description, str) else None, []
    status = body.get("status")
    message = body.get("message")
    details = body.get("details")
    return (
        status if isinstance(status, str) else (str(status) if status is not None else None),
        message if isinstance(message, str) else (str(message) if message is not None else None),
        details if isinstance(details, list) else ([details] if details else []),
    )


def request_id_from(details: list, headers: Any) -> Optional[str]:
    for detail in details:
        if isinstance(detail, dict) and detail.get("requestId"):
            return str(detail["requestId"])
    if headers is not None:
        for name in ("X-Request-Id", "X-Request-ID", "X-Correlation-Id"):
            value = headers.get(name)
            if value:
                return str(value)
    return None


def field_violations(details: list) -> List[str]:
    violations = []
    for detail in details:
        if not isinstance(detail, dict):
            continue
        for violation in detail.get("fieldViolations") or []:
            if isinstance(violation, dict):
                violations.append(f"field {violation.get('field')}: {violation.get('description')}")
    return violations


def response_error(method: str, url: str, url_path: str, response: Any, attempts: int, clean: Callable[[Any], Any],
                   ambiguous: bool = False, stop_reason: Optional[str] = None,
                   force_invalid_json: bool = False) -> EstApiError:
    """The error for an HTTP reply that failed: what was asked, what the API said, how often."""
    api_status, api_message, details, invalid_json = _error_body(response, force_invalid_json)
    request_id = request_id_from(details, response.headers)
    reason = _reason(response, api_status, api_message, details, invalid_json)
    notes = []
    if request_id:
        notes.append(f"request id {request_id}")
    notes.append(plural(attempts, "attempt"))
    if stop_reason:
        notes.append(stop_reason)
    if ambiguous:
        message = (f"{method} {url_path}: outcome unknown after {reason}; the server may have applied it, "
                   f"so it was not repeated [{'; '.join(notes)}]")
    else:
        message = f"{method} {url_path} failed: {reason} [{'; '.join(notes)}]"
    error_class = EstAmbiguousWriteError if ambiguous else EstApiError
    return error_class(clean(message), method=method, path=url_path, url=clean(response.url or url),
                       status_code=response.status_code, attempts=attempts, api_status=clean(api_status),
                       api_message=clean(api_message), details=clean(details), request_id=request_id)


def _error_body(response: Any, force_invalid_json: bool) -> Tuple[Optional[str], Optional[str], list, bool]:
    """(api_status, api_message, details, invalid_json) of a failed reply's body."""
    api_status = api_message = None
    details: list = []
    invalid_json = force_invalid_json
    if not invalid_json and response.content:
        try:
            api_status, api_message, details = error_fields(response.json())
        except ValueError:
            invalid_json = True
    if invalid_json:
        snippet = response.text[:200].strip().replace("\n", " ")
        content_type = response.headers.get("Content-Type", "no content type")
        api_message = (f"invalid JSON in response (HTTP {response.status_code}, {content_type}, "
                       f"{len(response.content)} bytes): {snippet}")
    return api_status, api_message, details, invalid_json


def _reason(response: Any, api_status: Optional[str], api_message: Optional[str], details: list,
            invalid_json: bool) -> str:
    reason = f"HTTP {response.status_code}"
    if api_status:
        reason += " " + api_status
    elif response.reason and not invalid_json:
        reason += " " + str(response.reason)
    if api_message:
        reason += ": " + api_message
    violations = field_violations(details)
    if violations:
        reason += f" ({'; '.join(violations)})"
    return reason


def exception_error(method: str, url: str, url_path: str, host: str, problem: str, attempts: int, clean: Callable[[Any], Any],
                    stop_reason: Optional[str] = None, ambiguous: bool = False) -> EstApiError:
    """The error for a request that got no usable reply (`problem` says why)."""
    notes = [plural(attempts, "attempt")]
    if stop_reason:
        notes.append(stop_reason)
    if ambiguous:
        message = (f"{method} {url_path}: outcome unknown, {problem} after the request was sent to {host}; "
                   f"it was not repeated [{'; '.join(notes)}]")
    else:
        message = f"{method} {url_path} failed: {problem} talking to {host} [{'; '.join(notes)}]"
    error_class = EstAmbiguousWriteError if ambiguous else EstApiError
    return error_class(clean(message), method=method, path=url_path, url=clean(url), attempts=attempts,
                       api_message=clean(problem))


# ---------------------------------------------------------------------------------- exceptions

def parse_retry_after(value: Optional[str], now_epoch: float) -> Optional[float]:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now_epoch)


def describe_exception(exc: BaseException) -> str:
    if isinstance(exc, requests.exceptions.SSLError):
        return f"TLS error ({exc}); set ca_path to your CA bundle, or validate_certs=false for testing"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return f"timed out connecting ({exc})"
    if isinstance(exc, requests.exceptions.Timeout):
        return f"no reply within the timeout ({exc})"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return f"connection failed ({exc})"
    return f"{type(exc).__name__}: {exc}"


def _causes(exc: BaseException) -> Iterator[Any]:
    """The exception and everything it wraps (args, causes, contexts, urllib3 reasons)."""
    seen = set()
    pending: list = [exc]
    while pending:
        item = pending.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        if isinstance(item, BaseException):
            pending.extend(item.args)
            pending.extend((item.__cause__, item.__context__, getattr(item, "reason", None)))


def failed_before_sending(exc: BaseException) -> bool:
    """True when the request certainly never reached the server (so even a POST may be repeated)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if not isinstance(exc, requests.exceptions.ConnectionError):
        return False
    return any(isinstance(item, NewConnectionError) for item in _causes(exc))


def connection_refused(exc: BaseException) -> bool:
    return isinstance(exc, requests.exceptions.ConnectionError) and any(
        isinstance(item, ConnectionRefusedError) or (isinstance(item, str) and "Connection refused" in item)
        or (isinstance(item, BaseException) and "Connection refused" in str(item))
        for item in _causes(exc))


def is_retryable_exception(exc: BaseException) -> bool:
    if isinstance(exc, requests.exceptions.SSLError):
        # A certificate problem does not go away by asking again.
        return False
    return isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout))
