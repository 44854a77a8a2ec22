# Copyright (c) sinch.est maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module is private to the sinch.est collection: its names may change in any release.
# Modules and plugins of this collection use it; nothing outside the collection should.
#
# The one HTTP client of the collection (see CONTRIBUTING.md, "The client contract"). Nothing else
# talks HTTP. It runs inside modules on every Python that ansible-core supports for targets, so it
# keeps to syntax that works at runtime on Python 3.8: annotations are strings (the __future__
# import) and never evaluated.

from __future__ import annotations

import base64
import email.utils
import ipaddress
import random
import time
import traceback
import typing as t

from urllib.parse import quote, urlsplit

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_CORE_VERSION
from ansible.module_utils.basic import env_fallback, missing_required_lib

try:
    import requests
    import requests.exceptions
    from urllib3.exceptions import NewConnectionError
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()  # type: t.Optional[str]
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

if t.TYPE_CHECKING:
    from ansible.module_utils.basic import AnsibleModule

# Kept equal to galaxy.yml's version (a unit test compares them); sent in the User-Agent.
COLLECTION_VERSION = "0.1.0"

DEFAULT_API_URL = "https://elastic-trunking.api.sinch.com"
DEFAULT_AUTH_URL = "https://auth.sinch.com"
DEFAULT_NUMBERS_API_URL = "https://numbers.api.sinch.com"
TOKEN_PATH = "/oauth2/token"

BACKOFF_BASE = 0.5
BACKOFF_CAP = 30.0
RETRYABLE_STATUS = frozenset((429, 502, 503, 504))
# A POST answered with one of these may have been applied before the server failed.
AMBIGUOUS_WRITE_STATUS = frozenset((500, 502, 503, 504))
IDEMPOTENT_METHODS = frozenset(("GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"))
# A write answered 500 may have been applied before the reply failed. Repeating a PUT, PATCH or
# DELETE converges to the same state, so they are retried on 500 as well (a POST never is).
IDEMPOTENT_WRITES = frozenset(("PUT", "DELETE", "PATCH"))
DOWNLOAD_CHUNK_SIZE = 64 * 1024
REDACTED = "********"
# Keys whose values in a request body are never repeated in an error.
SECRET_BODY_KEYS = frozenset(("password", "secret", "key_secret", "keysecret", "token", "access_token"))

CONNECTION_REQUIRED_TOGETHER = [["key_id", "key_secret"]]
CONNECTION_REQUIRED_ONE_OF = [["key_id", "access_token"]]
CONNECTION_REQUIRED_IF = [["auth_method", "basic", ["key_id", "key_secret"]]]


def connection_argument_spec() -> dict:
    """The connection options every module takes (documented in sinch.est.connection)."""
    return dict(
        project_id=dict(type="str", required=True, fallback=(env_fallback, ["SINCH_PROJECT_ID"])),
        key_id=dict(type="str", fallback=(env_fallback, ["SINCH_KEY_ID"])),
        key_secret=dict(type="str", no_log=True, fallback=(env_fallback, ["SINCH_KEY_SECRET"])),
        access_token=dict(type="str", no_log=True, fallback=(env_fallback, ["SINCH_ACCESS_TOKEN"])),
        auth_method=dict(
            type="str",
            choices=["oauth2", "basic"],
            default="oauth2",
            fallback=(env_fallback, ["SINCH_AUTH_METHOD"]),
        ),
        api_url=dict(type="str", default=DEFAULT_API_URL, fallback=(env_fallback, ["SINCH_EST_API_URL"])),
        auth_url=dict(type="str", default=DEFAULT_AUTH_URL, fallback=(env_fallback, ["SINCH_AUTH_URL"])),
        numbers_api_url=dict(
            type="str",
            default=DEFAULT_NUMBERS_API_URL,
            fallback=(env_fallback, ["SINCH_NUMBERS_API_URL"]),
        ),
        validate_certs=dict(type="bool", default=True, fallback=(env_fallback, ["SINCH_VALIDATE_CERTS"])),
        ca_path=dict(type="path", fallback=(env_fallback, ["SINCH_CA_PATH"])),
        allow_insecure_http=dict(
            type="bool",
            default=False,
            fallback=(env_fallback, ["SINCH_ALLOW_INSECURE_HTTP"]),
        ),
        timeout=dict(type="float", default=30.0, fallback=(env_fallback, ["SINCH_API_TIMEOUT"])),
        retries=dict(type="int", default=5, fallback=(env_fallback, ["SINCH_API_RETRIES"])),
        retry_deadline=dict(
            type="float",
            default=120.0,
            fallback=(env_fallback, ["SINCH_API_RETRY_DEADLINE"]),
        ),
    )


CONNECTION_OPTIONS = tuple(connection_argument_spec())


def path_segment(value: t.Any) -> str:
    """Quote one id, E.164 number or user name for use as a single path segment.

    Everything outside unreserved characters is escaped, `/` and `+` included (`+` must reach the
    server as `%2B`, or `+15551234567` becomes ` 15551234567`).
    """
    text = str(value)
    if not text:
        # An empty id would turn `/trunks/{id}` into the collection `/trunks/`.
        raise ValueError("an empty value cannot be used as a path segment")
    return quote(text, safe="")


class EstConfigError(ValueError):
    """A connection option is unusable; raised before any request. `option` names it."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


class EstApiError(Exception):
    """A request failed: an HTTP error, an unusable reply, or no reply at all.

    Every attribute is safe to show: no credential, token or Authorization header ever gets here.
    """

    ambiguous = False

    def __init__(
        self,
        message: str,
        method: t.Optional[str] = None,
        path: t.Optional[str] = None,
        url: t.Optional[str] = None,
        status_code: t.Optional[int] = None,
        attempts: int = 0,
        api_status: t.Optional[str] = None,
        api_message: t.Optional[str] = None,
        details: t.Optional[list] = None,
        request_id: t.Optional[str] = None,
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

    def __str__(self) -> str:
        return self.msg

    @property
    def not_found(self) -> bool:
        return self.status_code == 404

    @property
    def conflict(self) -> bool:
        return self.status_code == 409

    def to_failure(self) -> dict:
        """Keyword arguments for `module.fail_json(**error.to_failure())`."""
        return {
            "msg": self.msg,
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


def _is_loopback(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_url(option: str, value: t.Any, allow_insecure_http: bool) -> str:
    if not isinstance(value, str) or not value.strip():
        raise EstConfigError(option, "%s must be an http(s) URL such as https://host, got %r" % (option, value))
    value = value.strip()
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise EstConfigError(option, "%s is not a valid URL (%s): %s" % (option, exc, value))
    if parts.scheme not in ("http", "https") or not host:
        raise EstConfigError(
            option, "%s must be an http:// or https:// URL with a host name, got %r" % (option, value)
        )
    if parts.username is not None or parts.password is not None:
        raise EstConfigError(
            option,
            "%s must not contain a user name or password; use key_id/key_secret or access_token" % option,
        )
    if parts.query or parts.fragment:
        raise EstConfigError(option, "%s must not contain a query or fragment, got %r" % (option, value))
    if parts.scheme == "http" and not allow_insecure_http and not _is_loopback(host):
        raise EstConfigError(
            option,
            "%s %s uses plain http:// to a host that is not loopback, so credentials and tokens would "
            "cross the network unencrypted. Use https://, or set allow_insecure_http=true "
            "(SINCH_ALLOW_INSECURE_HTTP) to accept that, e.g. for an emulator on another host."
            % (option, value),
        )
    return value.rstrip("/")


def _as_int(value: t.Any) -> t.Optional[int]:
    """`totalItems` as a number, whether it came as a number or a string; None if neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def _parse_retry_after(value: t.Optional[str], now_epoch: float) -> t.Optional[float]:
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


def _plural(count: int, word: str) -> str:
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def _collect_secret_values(value: t.Any, found: t.Set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.lower() in SECRET_BODY_KEYS and isinstance(item, str) and item:
                found.add(item)
            else:
                _collect_secret_values(item, found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _collect_secret_values(item, found)


def _scrub(value: t.Any, secrets: t.Iterable[str]) -> t.Any:
    """Replace every known secret in text (recursively in lists and dicts) with a mask."""
    secrets = sorted((s for s in secrets if s), key=len, reverse=True)
    if not secrets:
        return value

    def scrub(item: t.Any) -> t.Any:
        if isinstance(item, str):
            for secret in secrets:
                if secret in item:
                    item = item.replace(secret, REDACTED)
            return item
        if isinstance(item, dict):
            return dict((scrub(k), scrub(v)) for k, v in item.items())
        if isinstance(item, (list, tuple)):
            return [scrub(v) for v in item]
        return item

    return scrub(value)


def _error_fields(body: t.Any) -> t.Tuple[t.Optional[str], t.Optional[str], list]:
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


def _request_id_from(details: list, headers: t.Any) -> t.Optional[str]:
    for detail in details:
        if isinstance(detail, dict) and detail.get("requestId"):
            return str(detail["requestId"])
    if headers is not None:
        for name in ("X-Request-Id", "X-Request-ID", "X-Correlation-Id"):
            value = headers.get(name)
            if value:
                return str(value)
    return None


def _field_violations(details: list) -> t.List[str]:
    violations = []
    for detail in details:
        if not isinstance(detail, dict):
            continue
        for violation in detail.get("fieldViolations") or []:
            if isinstance(violation, dict):
                violations.append("field %s: %s" % (violation.get("field"), violation.get("description")))
    return violations


def _describe_exception(exc: BaseException) -> str:
    if HAS_REQUESTS:
        if isinstance(exc, requests.exceptions.SSLError):
            return "TLS error (%s); set ca_path to your CA bundle, or validate_certs=false for testing" % exc
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return "timed out connecting (%s)" % exc
        if isinstance(exc, requests.exceptions.Timeout):
            return "no reply within the timeout (%s)" % exc
        if isinstance(exc, requests.exceptions.ConnectionError):
            return "connection failed (%s)" % exc
    return "%s: %s" % (type(exc).__name__, exc)


def _failed_before_sending(exc: BaseException) -> bool:
    """True when the request certainly never reached the server (so even a POST may be repeated)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if not isinstance(exc, requests.exceptions.ConnectionError):
        return False
    seen = set()
    pending = [exc]  # type: t.List[t.Any]
    while pending:
        item = pending.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, NewConnectionError):
            return True
        if isinstance(item, BaseException):
            pending.extend(item.args)
            pending.append(item.__cause__)
            pending.append(item.__context__)
            pending.append(getattr(item, "reason", None))
    return False


def _is_retryable_exception(exc: BaseException) -> bool:
    if isinstance(exc, requests.exceptions.SSLError):
        # A certificate problem does not go away by asking again.
        return False
    return isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout))


class EstClient:
    """A session with the EST API (and the Numbers API) for one module run or one lookup."""

    def __init__(
        self,
        project_id: t.Optional[str],
        key_id: t.Optional[str] = None,
        key_secret: t.Optional[str] = None,
        access_token: t.Optional[str] = None,
        auth_method: str = "oauth2",
        api_url: str = DEFAULT_API_URL,
        auth_url: str = DEFAULT_AUTH_URL,
        numbers_api_url: str = DEFAULT_NUMBERS_API_URL,
        validate_certs: bool = True,
        ca_path: t.Optional[str] = None,
        allow_insecure_http: bool = False,
        timeout: float = 30.0,
        retries: int = 5,
        retry_deadline: float = 120.0,
        warn: t.Optional[t.Callable[[str], None]] = None,
        sleep: t.Callable[[float], None] = time.sleep,
        clock: t.Callable[[], float] = time.monotonic,
        wall_clock: t.Callable[[], float] = time.time,
        jitter: t.Callable[[], float] = random.random,
    ) -> None:
        if not HAS_REQUESTS:
            raise ImportError("the sinch.est collection needs the Python library requests")
        self.project_id = project_id or ""
        self._key_id = key_id or None
        self._key_secret = key_secret or None
        self._access_token = access_token or None
        if auth_method not in ("oauth2", "basic"):
            raise EstConfigError("auth_method", "auth_method must be oauth2 or basic, got %r" % (auth_method,))
        self.auth_method = auth_method
        if bool(self._key_id) != bool(self._key_secret):
            raise EstConfigError(
                "key_id" if not self._key_id else "key_secret",
                "key_id and key_secret go together: set both (SINCH_KEY_ID, SINCH_KEY_SECRET) or neither",
            )
        if auth_method == "basic" and not self._key_id:
            raise EstConfigError(
                "key_id", "auth_method=basic needs key_id and key_secret (SINCH_KEY_ID, SINCH_KEY_SECRET)"
            )
        if not self._key_id and not self._access_token:
            raise EstConfigError(
                "key_id",
                "no credentials: set key_id and key_secret (SINCH_KEY_ID, SINCH_KEY_SECRET), "
                "or access_token (SINCH_ACCESS_TOKEN)",
            )
        self.api_url = _check_url("api_url", api_url, allow_insecure_http)
        self.auth_url = _check_url("auth_url", auth_url, allow_insecure_http)
        self.numbers_api_url = _check_url("numbers_api_url", numbers_api_url, allow_insecure_http)
        try:
            self.timeout = float(timeout)
            self.retries = int(retries)
            self.retry_deadline = float(retry_deadline)
        except (TypeError, ValueError) as exc:
            raise EstConfigError("timeout", "timeout, retries and retry_deadline must be numbers: %s" % exc)
        if self.timeout <= 0:
            raise EstConfigError("timeout", "timeout must be more than 0 seconds, got %s" % timeout)
        if self.retries < 0:
            raise EstConfigError("retries", "retries must be 0 or more, got %s" % retries)
        if self.retry_deadline < 0:
            raise EstConfigError("retry_deadline", "retry_deadline must be 0 or more seconds, got %s" % retry_deadline)
        self.verify = (ca_path or True) if validate_certs else False  # type: t.Union[bool, str]
        self._warn = warn or (lambda message: None)
        self._sleep = sleep
        self._clock = clock
        self._wall_clock = wall_clock
        self._jitter = jitter
        self._token = self._access_token  # type: t.Optional[str]
        self.requests_sent = 0
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "sinch.est/%s (ansible-core %s) python-requests/%s" % (
            COLLECTION_VERSION,
            ANSIBLE_CORE_VERSION,
            requests.__version__,
        )
        if auth_method == "basic":
            self._warn(
                "auth_method=basic: Sinch documents Basic authentication as for testing only and rate "
                "limits it heavily; use the default auth_method=oauth2 in production."
            )

    def __repr__(self) -> str:
        return "EstClient(project_id=%r, api_url=%r, auth_method=%r)" % (
            self.project_id,
            self.api_url,
            self.auth_method,
        )

    # ------------------------------------------------------------------ public API

    def get(self, path: str, params: t.Optional[dict] = None, api: str = "est") -> t.Any:
        return self._json_request("GET", path, params=params, api=api)

    def post(self, path: str, body: t.Any = None, api: str = "est") -> t.Any:
        return self._json_request("POST", path, body=body, api=api)

    def put(self, path: str, body: t.Any = None, api: str = "est") -> t.Any:
        return self._json_request("PUT", path, body=body, api=api)

    def patch(self, path: str, body: t.Any = None, api: str = "est") -> t.Any:
        return self._json_request("PATCH", path, body=body, api=api)

    def delete(self, path: str, api: str = "est") -> None:
        self._json_request("DELETE", path, api=api)
        return None

    def paginate(
        self,
        path: str,
        items_key: t.Union[str, t.Sequence[str]],
        params: t.Optional[dict] = None,
        page_size: int = 500,
        max_pages: int = 10000,
        api: str = "est",
    ) -> t.Iterator[t.Any]:
        """Every item of a paged list, one at a time; stops asking when the caller stops reading.

        Stop rule (the API's echoed page size is not trusted): an empty page, or the items fetched
        reach `totalItems`. A bare JSON array is a complete list. Hitting `max_pages` is an error,
        never a silent truncation.
        """
        keys = (items_key,) if isinstance(items_key, str) else tuple(items_key)
        fetched = 0
        for page in range(1, max_pages + 1):
            query = dict(params or {})
            query["page"] = page
            query["size"] = page_size
            body = self.get(path, params=query, api=api)
            if isinstance(body, list):
                yield from body
                return
            if not isinstance(body, dict):
                raise self._plain_error("GET", path, api, "expected a list of %s, got %s" % (
                    " or ".join(keys), type(body).__name__))
            total = _as_int(body.get("totalItems"))
            items = None
            for key in keys:
                if key in body:
                    items = body[key]
                    break
            if items is None:
                # An empty list may be left out of the reply entirely.
                if total is None or fetched >= total:
                    return
                raise self._plain_error("GET", path, api, "the reply for page %d has no %s list but "
                                        "totalItems is %d" % (page, " or ".join(keys), total))
            if not isinstance(items, list):
                raise self._plain_error("GET", path, api, "%s in the reply is a %s, not a list" % (
                    key, type(items).__name__))
            if not items:
                return
            yield from items
            fetched += len(items)
            if total is not None and fetched >= total:
                return
        raise self._plain_error(
            "GET",
            path,
            api,
            "stopped at the page limit of %d pages (%d items of size %d) before the end of the list; "
            "the list is longer than expected or the server keeps returning pages" % (max_pages, fetched, page_size),
        )

    def download(self, path: str, params: t.Optional[dict], fileobj: t.IO[bytes], api: str = "est") -> int:
        """Stream a response body (CSV export, PCAP) into `fileobj`; returns the bytes written."""
        url = self._url(path, api)
        response, attempts = self._request("GET", url, params=params, stream=True, accept="*/*")
        written = 0
        try:
            for chunk in response.iter_content(chunk_size=DOWNLOAD_CHUNK_SIZE):
                if chunk:
                    fileobj.write(chunk)
                    written += len(chunk)
        except (requests.exceptions.RequestException, OSError) as exc:
            # Not retried: part of the body is already written.
            raise EstApiError(
                self._clean("GET %s failed after %d bytes: %s" % (urlsplit(url).path, written, _describe_exception(exc))),
                method="GET",
                path=urlsplit(url).path,
                url=self._clean(url),
                status_code=response.status_code,
                attempts=attempts,
            )
        finally:
            response.close()
        return written

    def token(self) -> str:
        """The OAuth2 access token this client sends (fetched on first use, then reused)."""
        if self._token is None:
            self._token = self._fetch_token()
        return self._token

    # ------------------------------------------------------------------ internals

    def _url(self, path: str, api: str) -> str:
        if api == "est":
            base = self.api_url
        elif api == "numbers":
            base = self.numbers_api_url
        else:
            raise ValueError("api must be 'est' or 'numbers', got %r" % (api,))
        if not self.project_id:
            raise EstConfigError("project_id", "project_id is required (or set SINCH_PROJECT_ID)")
        if path and not path.startswith("/"):
            path = "/" + path
        return "%s/v1/projects/%s%s" % (base, path_segment(self.project_id), path)

    def _secrets(self, body: t.Any = None) -> t.Set[str]:
        found = set(s for s in (self._key_secret, self._access_token, self._token) if s)
        if self._key_id and self._key_secret:
            found.add(base64.b64encode(("%s:%s" % (self._key_id, self._key_secret)).encode()).decode())
        _collect_secret_values(body, found)
        return found

    def _clean(self, value: t.Any, body: t.Any = None) -> t.Any:
        return _scrub(value, self._secrets(body))

    def _plain_error(self, method: str, path: str, api: str, problem: str) -> EstApiError:
        url = self._url(path, api)
        url_path = urlsplit(url).path
        return EstApiError(
            self._clean("%s %s failed: %s" % (method, url_path, problem)),
            method=method,
            path=url_path,
            url=self._clean(url),
            attempts=0,
            api_message=self._clean(problem),
        )

    def _json_request(self, method: str, path: str, params: t.Optional[dict] = None, body: t.Any = None,
                      api: str = "est") -> t.Any:
        url = self._url(path, api)
        response, attempts = self._request(method, url, params=params, body=body)
        return self._parse_json(method, url, response, body, attempts)

    def _parse_json(self, method: str, url: str, response: t.Any, body: t.Any = None, attempts: int = 1) -> t.Any:
        """The JSON reply; None for 204 or an empty body; an EstApiError for anything unparsable."""
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise self._response_error(method, url, response, attempts, body, force_invalid_json=True)

    def _request(self, method: str, url: str, params: t.Optional[dict] = None, body: t.Any = None,
                 stream: bool = False, accept: str = "application/json") -> t.Tuple[t.Any, int]:
        """Send with auth, token renewal and retries; return a 2xx response and the attempts made."""
        renewed = False
        state = {"attempts": 0, "started": self._clock()}
        while True:
            headers = {"Accept": accept}
            request_kwargs = dict(params=params, headers=headers, stream=stream)  # type: t.Dict[str, t.Any]
            if self.auth_method == "basic":
                request_kwargs["auth"] = (self._key_id, self._key_secret)
            else:
                headers["Authorization"] = "Bearer %s" % self.token()
            if body is not None:
                request_kwargs["json"] = body
            response = self._send_with_retries(
                method, url, request_kwargs, state, repeatable=method in IDEMPOTENT_METHODS, body=body
            )
            if response.status_code == 401:
                expired = "expired" in response.headers.get("WWW-Authenticate", "").lower()
                if self.auth_method == "oauth2" and expired and not renewed and self._key_id:
                    # The Sinch SDKs' rule: renew an expired token once and repeat the request once.
                    response.close()
                    self._token = None
                    renewed = True
                    continue
                raise self._unauthenticated_error(method, url, response, state["attempts"], expired, renewed)
            if response.status_code == 404 and method == "DELETE" and state.get("uncertain"):
                # An earlier attempt was answered 5xx or lost after it was sent: it deleted the object.
                return response, state["attempts"]
            if response.status_code >= 400:
                raise self._response_error(method, url, response, state["attempts"], body)
            return response, state["attempts"]

    def _send_with_retries(self, method: str, url: str, request_kwargs: dict, state: dict, repeatable: bool,
                           body: t.Any = None) -> t.Any:
        """Send until a reply that is not worth retrying; `state` counts attempts across renewals.

        A request that is not `repeatable` (a POST) is sent again only when the server certainly did
        not act on it: a 429, or a connection that was never established.
        """
        retry_number = 0
        while True:
            state["attempts"] += 1
            self.requests_sent += 1
            response = None
            exception = None  # type: t.Optional[BaseException]
            try:
                response = self.session.request(
                    method, url, timeout=self.timeout, verify=self.verify, **request_kwargs
                )
            except requests.exceptions.RequestException as exc:
                exception = exc
            if response is not None:
                status = response.status_code
                if not repeatable and status in AMBIGUOUS_WRITE_STATUS:
                    raise self._response_error(method, url, response, state["attempts"], body, ambiguous=True)
                if method in IDEMPOTENT_WRITES and status in AMBIGUOUS_WRITE_STATUS:
                    state["uncertain"] = True
                if status not in RETRYABLE_STATUS and not (status == 500 and method in IDEMPOTENT_WRITES):
                    return response
            else:
                if not _is_retryable_exception(exception):
                    raise self._exception_error(method, url, exception, state["attempts"], body)
                if not repeatable and not _failed_before_sending(exception):
                    raise self._exception_error(method, url, exception, state["attempts"], body, ambiguous=True)
                if method in IDEMPOTENT_WRITES and not _failed_before_sending(exception):
                    state["uncertain"] = True
            retry_number += 1
            remaining = self.retry_deadline - (self._clock() - state["started"])
            stop_reason = None
            if retry_number > self.retries:
                stop_reason = "gave up after retries=%d" % self.retries
            elif remaining <= 0:
                stop_reason = "retry_deadline of %gs reached" % self.retry_deadline
            if stop_reason is not None:
                if response is not None:
                    raise self._response_error(method, url, response, state["attempts"], body,
                                               stop_reason=stop_reason)
                raise self._exception_error(method, url, exception, state["attempts"], body,
                                            stop_reason=stop_reason)
            retry_after = None
            if response is not None:
                retry_after = _parse_retry_after(response.headers.get("Retry-After"), self._wall_clock())
                response.close()
            if retry_after is None:
                # Capped exponential backoff with full jitter.
                delay = self._jitter() * min(BACKOFF_CAP, BACKOFF_BASE * (2 ** (retry_number - 1)))
            else:
                delay = retry_after
            # Never sleep past the deadline; the attempt at the deadline is the last one.
            delay = min(delay, remaining)
            if delay > 0:
                self._sleep(delay)

    def _fetch_token(self) -> str:
        url = self.auth_url + TOKEN_PATH
        state = {"attempts": 0, "started": self._clock()}
        request_kwargs = dict(
            data={"grant_type": "client_credentials"},
            auth=(self._key_id, self._key_secret),
            headers={"Accept": "application/json"},
        )
        # Asking for a token changes nothing on the server, so it is retried like a GET.
        response = self._send_with_retries("POST", url, request_kwargs, state, repeatable=True)
        if response.status_code in (400, 401, 403):
            raise self._unauthenticated_error("POST", url, response, state["attempts"], False, False,
                                              token_endpoint=True)
        if response.status_code >= 400:
            raise self._response_error("POST", url, response, state["attempts"])
        payload = self._parse_json("POST", url, response, attempts=state["attempts"])
        token = payload.get("access_token") if isinstance(payload, dict) else None
        if not isinstance(token, str) or not token:
            url_path = urlsplit(url).path
            raise EstApiError(
                "POST %s failed: HTTP %d but the reply has no access_token [%s]"
                % (url_path, response.status_code, _plural(state["attempts"], "attempt")),
                method="POST",
                path=url_path,
                url=url,
                status_code=response.status_code,
                attempts=state["attempts"],
                api_message="no access_token in the token response",
            )
        return token

    # ------------------------------------------------------------------ error shaping

    def _response_error(self, method: str, url: str, response: t.Any, attempts: int, body: t.Any = None,
                        ambiguous: bool = False, stop_reason: t.Optional[str] = None,
                        force_invalid_json: bool = False) -> EstApiError:
        api_status = api_message = None
        details = []  # type: list
        parsed = None
        invalid_json = force_invalid_json
        if not invalid_json and response.content:
            try:
                parsed = response.json()
            except ValueError:
                invalid_json = True
        if invalid_json:
            snippet = response.text[:200].strip().replace("\n", " ")
            api_message = "invalid JSON in response (HTTP %d, %s, %d bytes): %s" % (
                response.status_code,
                response.headers.get("Content-Type", "no content type"),
                len(response.content),
                snippet,
            )
        else:
            api_status, api_message, details = _error_fields(parsed)
        request_id = _request_id_from(details, response.headers)
        url_path = urlsplit(url).path
        reason = "HTTP %d" % response.status_code
        if api_status:
            reason += " " + api_status
        elif response.reason and not invalid_json:
            reason += " " + str(response.reason)
        if api_message:
            reason += ": " + api_message
        violations = _field_violations(details)
        if violations:
            reason += " (%s)" % "; ".join(violations)
        notes = []
        if request_id:
            notes.append("request id %s" % request_id)
        notes.append(_plural(attempts, "attempt"))
        if stop_reason:
            notes.append(stop_reason)
        if ambiguous:
            message = (
                "%s %s: outcome unknown after %s; the server may have applied it, so it was not repeated [%s]"
                % (method, url_path, reason, "; ".join(notes))
            )
        else:
            message = "%s %s failed: %s [%s]" % (method, url_path, reason, "; ".join(notes))
        error_class = EstAmbiguousWriteError if ambiguous else EstApiError
        return error_class(
            self._clean(message, body),
            method=method,
            path=url_path,
            url=self._clean(response.url or url, body),
            status_code=response.status_code,
            attempts=attempts,
            api_status=self._clean(api_status, body),
            api_message=self._clean(api_message, body),
            details=self._clean(details, body),
            request_id=request_id,
        )

    def _exception_error(self, method: str, url: str, exc: BaseException, attempts: int, body: t.Any = None,
                         stop_reason: t.Optional[str] = None, ambiguous: bool = False) -> EstApiError:
        url_path = urlsplit(url).path
        host = urlsplit(url).netloc
        problem = _describe_exception(exc)
        notes = [_plural(attempts, "attempt")]
        if stop_reason:
            notes.append(stop_reason)
        if ambiguous:
            message = "%s %s: outcome unknown, %s after the request was sent to %s; it was not repeated [%s]" % (
                method, url_path, problem, host, "; ".join(notes))
        else:
            message = "%s %s failed: %s talking to %s [%s]" % (method, url_path, problem, host, "; ".join(notes))
        error_class = EstAmbiguousWriteError if ambiguous else EstApiError
        return error_class(
            self._clean(message, body),
            method=method,
            path=url_path,
            url=self._clean(url, body),
            attempts=attempts,
            api_message=self._clean(problem, body),
        )

    def _unauthenticated_error(self, method: str, url: str, response: t.Any, attempts: int, expired: bool,
                               renewed: bool, token_endpoint: bool = False) -> EstApiError:
        error = self._response_error(method, url, response, attempts)
        if token_endpoint:
            advice = (
                "the token endpoint %s rejected key_id %r (HTTP %d); check key_id/key_secret "
                "(SINCH_KEY_ID/SINCH_KEY_SECRET) and that the access key is active"
                % (url, self._key_id, response.status_code)
            )
        elif expired and renewed:
            advice = "the access token expired again right after it was renewed; check the clock and auth_url"
        elif expired and not self._key_id:
            advice = ("the access_token has expired; fetch a new one (the sinch.est.token lookup) or set "
                      "key_id/key_secret so the token can be renewed")
        elif self.auth_method == "basic":
            advice = ("%s rejected key_id %r with Basic authentication; check key_id/key_secret and that the key "
                      "belongs to project %s" % (urlsplit(url).netloc, self._key_id, self.project_id))
        elif self._key_id:
            advice = ("%s rejected the token issued for key_id %r; check key_id/key_secret, that the key belongs "
                      "to project %s, and that auth_url matches api_url"
                      % (urlsplit(url).netloc, self._key_id, self.project_id))
        else:
            advice = ("%s rejected the access_token; check that it is current and issued for project %s"
                      % (urlsplit(url).netloc, self.project_id))
        error.msg = self._clean("UNAUTHENTICATED: %s. %s" % (advice, error.msg))
        error.args = (error.msg,)
        if not error.api_status:
            error.api_status = "UNAUTHENTICATED"
        return error


# The value an option takes when it is unset or empty (an AWX credential field left blank).
_OPTION_DEFAULTS = {
    "auth_method": "oauth2",
    "api_url": DEFAULT_API_URL,
    "auth_url": DEFAULT_AUTH_URL,
    "numbers_api_url": DEFAULT_NUMBERS_API_URL,
    "validate_certs": True,
    "allow_insecure_http": False,
    "timeout": 30.0,
    "retries": 5,
    "retry_deadline": 120.0,
}


def client_from_options(get_option: t.Callable[[str], t.Any], warn: t.Optional[t.Callable[[str], None]] = None) -> EstClient:
    """An EstClient from connection options read by `get_option(name)`.

    Serves modules (module.params.get), lookups and inventory plugins (plugin.get_option); an
    option the caller does not declare (get_option raises KeyError) takes its default.
    """
    options = {}  # type: t.Dict[str, t.Any]
    for name in CONNECTION_OPTIONS:
        try:
            value = get_option(name)
        except KeyError:
            value = None
        if value is None or value == "":
            value = _OPTION_DEFAULTS.get(name)
        options[name] = value
    return EstClient(warn=warn, **options)


def client_from_module(module: AnsibleModule) -> EstClient:
    """An EstClient from the connection options of `module`; fails the module on a bad option."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    try:
        return client_from_options(module.params.get, warn=module.warn)
    except EstConfigError as exc:
        module.fail_json(msg=str(exc), option=exc.option)
        raise  # fail_json exits; this keeps type checkers and mocked modules honest
