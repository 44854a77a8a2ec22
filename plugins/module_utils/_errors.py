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

from typing import Any, Dict, Iterable, Optional, Set

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
