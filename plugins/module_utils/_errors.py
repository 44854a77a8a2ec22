# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""The error family of the collection, the messages it shows, and the scrubbing that keeps every
credential out of them.

`EstConfigError`: an unusable connection option, raised before any request.
`EstApiError`: a request failed (an HTTP error, an unusable reply, no reply); `EstAmbiguousWriteError`
when a POST may or may not have been applied. `EstFailure`: a module refuses to go on (bad input, a
guard); raised anywhere and reported once by the module's `execute()`.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Tuple

REDACTED = "********"
# Keys whose values in a request body are never repeated in an error.
SECRET_BODY_KEYS = frozenset(("password", "secret", "key_secret", "keysecret", "token", "access_token"))


class EstConfigError(ValueError):
    """A connection option is unusable; raised before any request. `option` names it."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


class EstFailure(Exception):
    """A module refuses to go on; `result` holds extra result keys (e.g. what was done so far)."""

    def __init__(self, msg: str, **result: Any) -> None:
        super().__init__(msg)
        self.msg = msg
        self.result = result


class EstApiError(Exception):
    """A request failed: an HTTP error, an unusable reply, or no reply at all.

    Every attribute is safe to show: no credential, token or Authorization header ever gets here.
    `step` is what the module was doing ("Creating trunk ..."), set by `EstModule.step()`.
    """

    ambiguous = False

    def __init__(
        self,
        message: str,
        method: Optional[str] = None,
        path: Optional[str] = None,
        url: Optional[str] = None,
        status_code: Optional[int] = None,
        attempts: int = 0,
        api_status: Optional[str] = None,
        api_message: Optional[str] = None,
        details: Optional[list] = None,
        request_id: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.msg = message
        self.method = method
        self.path = path
        self.url = url
        self.status_code = status_code
        self.attempts = attempts
        self.api_status = api_status
        self.api_message = api_message
        self.details = details if details is not None else []
        self.request_id = request_id
        self.step: Optional[str] = None

    def __str__(self) -> str:
        return self.msg

    @property
    def not_found(self) -> bool:
        return self.status_code == 404

    @property
    def conflict(self) -> bool:
        return self.status_code == 409

    def to_failure(self) -> Dict[str, Any]:
        """Keyword arguments for `module.fail_json(**error.to_failure())`."""
        return {
            "msg": f"{self.step}: {self.msg}" if self.step else self.msg,
            "api_error": {
                "method": self.method,
                "path": self.path,
                "url": self.url,
                "status_code": self.status_code,
                "attempts": self.attempts,
                "api_status": self.api_status,
                "api_message": self.api_message,
                "details": self.details,
                "request_id": self.request_id,
                "ambiguous": self.ambiguous,
            },
        }


class EstAmbiguousWriteError(EstApiError):
    """A POST may or may not have been applied (a timeout or 5xx after it was sent).

    It is never repeated blindly: the caller looks the object up by its identity first.
    """

    ambiguous = True


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# ---------------------------------------------------------------------------------- scrubbing

def collect_secret_values(value: Any, found: Set[str]) -> None:
    """Adds the values of secret keys (passwords, tokens) anywhere in a request body to `found`."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.lower() in SECRET_BODY_KEYS and isinstance(item, str) and item:
                found.add(item)
            else:
                collect_secret_values(item, found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            collect_secret_values(item, found)


def scrub(value: Any, secrets: Iterable[str]) -> Any:
    """Replaces every known secret in text (recursively in lists and dicts) with a mask."""
    ordered = sorted((secret for secret in secrets if secret), key=len, reverse=True)
    if not ordered:
        return value

    def clean(item: Any) -> Any:
        if isinstance(item, str):
            for secret in ordered:
                item = item.replace(secret, REDACTED)
            return item
        if isinstance(item, dict):
            return {clean(key): clean(entry) for key, entry in item.items()}
        if isinstance(item, (list, tuple)):
            return [clean(entry) for entry in item]
        return item

    return clean(value)


# ---------------------------------------------------------------------------------- reading error replies

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
