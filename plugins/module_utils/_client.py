# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""The one client of the EST API and the Numbers API (see CONTRIBUTING.md, "The client contract").

Nothing else builds requests: `EstClient` turns paths into URLs, authenticates (OAuth2 token once
per run, renewed once on expiry; or Basic), reads JSON, pages through lists and streams downloads.
Sending with retries is `_transport`; the options come from the `_connection` table; every failure
is an error of `_errors`.
"""

from __future__ import annotations

import base64
import copy
import threading
import traceback
from typing import IO, Any, Callable, Dict, Iterator, Optional, Sequence, Set, Tuple, Union
from urllib.parse import urlsplit

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_CORE_VERSION
from ansible.module_utils.basic import missing_required_lib

from ansible_collections.sinch.est.plugins.module_utils._connection import (
    ConnectionSettings,
    connection_settings,
    connection_values,
)
from ansible_collections.sinch.est.plugins.module_utils._errors import (
    EstApiError,
    EstConfigError,
    collect_secret_values,
    plural,
    scrub,
)
from ansible_collections.sinch.est.plugins.module_utils._paths import Route, path_segment
# _failures is imported where a request has failed: a task whose requests succeed never loads it.

try:
    import requests
    import requests.exceptions
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR: Optional[str] = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
    from ansible_collections.sinch.est.plugins.module_utils._transport import Timing, Transport

# Kept equal to galaxy.yml's version (a unit test compares them); sent in the User-Agent.
COLLECTION_VERSION = "0.1.0"
TOKEN_PATH = "/oauth2/token"
DOWNLOAD_CHUNK_SIZE = 64 * 1024


def _as_int(value: Any) -> Optional[int]:
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


class _Token:
    """The bearer token of one module run, shared by its worker clients."""

    def __init__(self, given: Optional[str]) -> None:
        self.value = given
        self.given = bool(given)  # the user's access_token, not one fetched with key_id
        self.lock = threading.Lock()


class EstClient:
    """A session with the EST API (and the Numbers API) for one module run or one lookup."""

    def __init__(self, settings: ConnectionSettings, warn: Optional[Callable[[str], None]] = None,
                 timing: Optional[Timing] = None) -> None:
        if not HAS_REQUESTS:
            raise ImportError("the sinch.est collection needs the Python library requests")
        self.settings = settings
        self.project_id = settings.project_id
        self.auth_method = settings.auth_method
        self.api_url, self.auth_url, self.numbers_api_url = settings.api_url, settings.auth_url, settings.numbers_api_url
        self.concurrency = settings.concurrency
        self.verify = settings.verify
        self._key_id, self._key_secret = settings.key_id, settings.key_secret
        self._token = _Token(settings.access_token)
        user_agent = f"sinch.est/{COLLECTION_VERSION} (ansible-core {ANSIBLE_CORE_VERSION}) python-requests/{requests.__version__}"
        self.transport = Transport(settings, user_agent, self._clean, timing or Timing())
        if settings.auth_method == "basic" and warn:
            warn("auth_method=basic: Sinch documents Basic authentication as for testing only and rate "
                 "limits it heavily; use the default auth_method=oauth2 in production.")

    def __repr__(self) -> str:
        return f"EstClient(project_id={self.project_id!r}, api_url={self.api_url!r}, auth_method={self.auth_method!r})"

    @property
    def timeout(self) -> float:
        return self.transport.timeout

    @property
    def session(self) -> Any:
        return self.transport.session

    @property
    def requests_sent(self) -> int:
        """Requests this client sent (token requests and retries included), for tests and benchmarks."""
        return self.transport.requests_sent

    def worker(self) -> EstClient:
        """A client for another thread: its own session; the token and the 429 gate are shared."""
        clone = copy.copy(self)
        clone.transport = self.transport.sibling()
        return clone

    # ------------------------------------------------------------------ public API

    def get(self, path: str, params: Optional[dict] = None, api: str = "est") -> Any:
        return self._json_request("GET", path, params=params, api=api)

    def post(self, path: str, body: Any = None, api: str = "est") -> Any:
        return self._json_request("POST", path, body=body, api=api)

    def put(self, path: str, body: Any = None, api: str = "est") -> Any:
        return self._json_request("PUT", path, body=body, api=api)

    def patch(self, path: str, body: Any = None, api: str = "est") -> Any:
        return self._json_request("PATCH", path, body=body, api=api)

    def delete(self, path: str, api: str = "est") -> None:
        self._json_request("DELETE", path, api=api)

    def list_all(self, route: Route, params: Optional[dict] = None, page_size: Optional[int] = None,
                 **ids: Any) -> Iterator[Any]:
        """Every item of the list at `route` (`ids` fill its placeholders): the one way to read a list.

        Paged the way the route's API pages (page/size, or the Numbers API's tokens); `page_size`
        left out takes that paging's default.
        """
        path = route.path(**ids)
        sized = {} if page_size is None else {"page_size": page_size}
        if route.paging == "token":
            return self.paginate_tokens(path, route.items_key[0], params=params, api=route.api, **sized)
        return self.paginate(path, route.items_key, params=params, api=route.api, **sized)

    def paginate(self, path: str, items_key: Union[str, Sequence[str]], params: Optional[dict] = None,
                 page_size: int = 500, max_pages: int = 10000, api: str = "est") -> Iterator[Any]:
        """Every item of a paged list, one at a time; stops asking when the caller stops reading.

        Stop rule (the API's echoed page size is not trusted): an empty page, or the items fetched
        reach `totalItems`. A bare JSON array is a complete list. Hitting `max_pages` is an error,
        never a silent truncation.
        """
        keys = (items_key,) if isinstance(items_key, str) else tuple(items_key)
        fetched = 0
        for page in range(1, max_pages + 1):
            body = self.get(path, params=dict(params or {}, page=page, size=page_size), api=api)
            items, total = self._page_items(body, keys, page, fetched, path, api)
            yield from items
            fetched += len(items)
            if isinstance(body, list) or not items or (total is not None and fetched >= total):
                return
        raise self._plain_error(
            "GET", path, api,
            f"stopped at the page limit of {max_pages} pages ({fetched} items of size {page_size}) before the end of "
            "the list; the list is longer than expected or the server keeps returning pages")

    def _page_items(self, body: Any, keys: Tuple[str, ...], page: int, fetched: int, path: str,
                    api: str) -> Tuple[list, Optional[int]]:
        """The items of one page and the reply's `totalItems`; a bare JSON array is a whole list."""
        wanted = " or ".join(keys)
        if isinstance(body, list):
            return body, None
        if not isinstance(body, dict):
            raise self._plain_error("GET", path, api, f"expected a list of {wanted}, got {type(body).__name__}")
        total = _as_int(body.get("totalItems"))
        key = next((key for key in keys if key in body), None)
        if key is None:
            # An empty list may be left out of the reply entirely.
            if total is None or fetched >= total:
                return [], total
            raise self._plain_error("GET", path, api, f"the reply for page {page} has no {wanted} list but "
                                                      f"totalItems is {total}")
        items = body[key]
        if not isinstance(items, list):
            raise self._plain_error("GET", path, api, f"{key} in the reply is a {type(items).__name__}, not a list")
        return items, total

    def paginate_tokens(self, path: str, items_key: str, params: Optional[dict] = None, page_size: int = 1000,
                        max_pages: int = 10000, api: str = "numbers") -> Iterator[Any]:
        """Every item of a list paged by token (the Numbers API: `pageSize`, `pageToken` ->
        `nextPageToken`); stops at an empty token or page. Hitting `max_pages` is an error."""
        token = ""
        for _page in range(max_pages):
            query = dict(params or {}, pageSize=page_size)
            if token:
                query["pageToken"] = token
            body = self.get(path, params=query, api=api)
            items = body.get(items_key) if isinstance(body, dict) else None
            if items is None and isinstance(body, dict) and not body.get("nextPageToken"):
                return
            if not isinstance(items, list):
                raise self._plain_error("GET", path, api, f"expected a list of {items_key}, got {type(body).__name__}")
            yield from items
            token = body.get("nextPageToken") or ""
            if not items or not token:
                return
        raise self._plain_error("GET", path, api, f"stopped at the page limit of {max_pages} pages before the end of "
                                                  "the list; the server keeps returning pages")

    def download(self, path: str, params: Optional[dict], fileobj: IO[bytes], api: str = "est") -> int:
        """Stream a response body (CSV export, PCAP) into `fileobj`; returns the bytes written."""
        url = self._url(path, api)
        response, attempts = self._request("GET", url, params=params, stream=True, accept="*/*")
        try:
            return self._write_body(url, response, attempts, fileobj)
        finally:
            response.close()

    def _write_body(self, url: str, response: Any, attempts: int, fileobj: IO[bytes]) -> int:
        written = 0
        try:
            for chunk in response.iter_content(chunk_size=DOWNLOAD_CHUNK_SIZE):
                fileobj.write(chunk)
                written += len(chunk)
        except (requests.exceptions.RequestException, OSError) as exc:
            # Not retried: part of the body is already written.
            from ansible_collections.sinch.est.plugins.module_utils._failures import describe_exception
            url_path = urlsplit(url).path
            raise EstApiError(
                self._clean(f"GET {url_path} failed after {written} bytes: {describe_exception(exc)}"),
                method="GET", path=url_path, url=self._clean(url), status_code=response.status_code, attempts=attempts)
        return written

    def token(self) -> str:
        """The OAuth2 access token this client sends (fetched on first use, then reused)."""
        with self._token.lock:
            if self._token.value is None:
                self._token.value = self._fetch_token()
            return self._token.value

    # ------------------------------------------------------------------ internals

    def _url(self, path: str, api: str) -> str:
        if api == "est":
            base = self.api_url
        elif api == "numbers":
            base = self.numbers_api_url
        else:
            raise ValueError(f"api must be 'est' or 'numbers', got {api!r}")
        if not self.project_id:
            raise EstConfigError("project_id", "project_id is required (or set SINCH_PROJECT_ID)")
        if path and not path.startswith("/"):
            path = "/" + path
        return f"{base}/v1/projects/{path_segment(self.project_id)}{path}"

    def _secrets(self, body: Any = None) -> Set[str]:
        found = {secret for secret in (self._key_secret, self._token.value) if secret}
        if self._key_id and self._key_secret:
            found.add(base64.b64encode(f"{self._key_id}:{self._key_secret}".encode()).decode())
        collect_secret_values(body, found)
        return found

    def _clean(self, value: Any, body: Any = None) -> Any:
        return scrub(value, self._secrets(body))

    def _plain_error(self, method: str, path: str, api: str, problem: str) -> EstApiError:
        url = self._url(path, api)
        url_path = urlsplit(url).path
        return EstApiError(self._clean(f"{method} {url_path} failed: {problem}"), method=method, path=url_path,
                           url=self._clean(url), attempts=0, api_message=self._clean(problem))

    def _json_request(self, method: str, path: str, params: Optional[dict] = None, body: Any = None,
                      api: str = "est") -> Any:
        url = self._url(path, api)
        response, attempts = self._request(method, url, params=params, body=body)
        return self._parse_json(method, url, response, body, attempts)

    def _parse_json(self, method: str, url: str, response: Any, body: Any = None, attempts: int = 1) -> Any:
        """The JSON reply; None for 204 or an empty body; an EstApiError for anything unparsable."""
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise self.transport.unparsable(method, url, response, attempts, body)

    def _request(self, method: str, url: str, params: Optional[dict] = None, body: Any = None,
                 stream: bool = False, accept: str = "application/json") -> Tuple[Any, int]:
        """Send with auth, token renewal and retries; return a 2xx response and the attempts made."""
        renewed = False
        attempts = self.transport.start()
        while True:
            request_kwargs, sent_token = self._request_kwargs(params, body, stream, accept)
            response = self.transport.send(method, url, request_kwargs, attempts, body=body)
            if response.status_code != 401:
                break
            expired = "expired" in response.headers.get("WWW-Authenticate", "").lower()
            if renewed or not (self.auth_method == "oauth2" and expired and self._key_id):
                raise self._unauthenticated_error(method, url, response, attempts.count, expired, renewed)
            # The Sinch SDKs' rule: renew an expired token once and repeat the request once.
            response.close()
            self._forget_token(sent_token)
            renewed = True
        if response.status_code == 404 and method == "DELETE" and attempts.uncertain:
            # An earlier attempt was answered 5xx or lost after it was sent: it deleted the object.
            return response, attempts.count
        if response.status_code >= 400:
            from ansible_collections.sinch.est.plugins.module_utils._failures import response_error
            raise response_error(method, url, urlsplit(url).path, response, attempts.count,
                                 lambda value: self._clean(value, body))
        return response, attempts.count

    def _request_kwargs(self, params: Optional[dict], body: Any, stream: bool,
                        accept: str) -> Tuple[Dict[str, Any], Optional[str]]:
        """The arguments of one request with its authentication; the bearer token sent, if any."""
        headers = {"Accept": accept}
        request_kwargs: Dict[str, Any] = dict(params=params, headers=headers, stream=stream)
        sent_token = None
        if self.auth_method == "basic":
            request_kwargs["auth"] = (self._key_id, self._key_secret)
        else:
            sent_token = self.token()
            headers["Authorization"] = f"Bearer {sent_token}"
        if body is not None:
            request_kwargs["json"] = body
        return request_kwargs, sent_token

    def _forget_token(self, sent_token: Optional[str]) -> None:
        with self._token.lock:
            if self._token.value == sent_token:  # another worker may have renewed it already
                self._token.value = None
                self._token.given = False

    def _fetch_token(self) -> str:
        url = self.auth_url + TOKEN_PATH
        url_path = urlsplit(url).path
        request_kwargs = dict(
            data={"grant_type": "client_credentials"},
            auth=(self._key_id, self._key_secret),
            headers={"Accept": "application/json"},
        )
        attempts = self.transport.start()
        response = self.transport.send("POST", url, request_kwargs, attempts, token_request=True)
        if response.status_code in (400, 401, 403):
            raise self._unauthenticated_error("POST", url, response, attempts.count, False, False,
                                              token_endpoint=True)
        if response.status_code >= 400:
            from ansible_collections.sinch.est.plugins.module_utils._failures import response_error
            raise response_error("POST", url, url_path, response, attempts.count, self._clean)
        payload = self._parse_json("POST", url, response, attempts=attempts.count)
        token = payload.get("access_token") if isinstance(payload, dict) else None
        if not isinstance(token, str) or not token:
            raise EstApiError(
                f"POST {url_path} failed: HTTP {response.status_code} but the reply has no access_token "
                f"[{plural(attempts.count, 'attempt')}]",
                method="POST", path=url_path, url=url, status_code=response.status_code, attempts=attempts.count,
                api_message="no access_token in the token response")
        return token

    def _unauthenticated_error(self, method: str, url: str, response: Any, attempts: int, expired: bool,
                               renewed: bool, token_endpoint: bool = False) -> EstApiError:
        from ansible_collections.sinch.est.plugins.module_utils._failures import response_error
        error = response_error(method, url, urlsplit(url).path, response, attempts, self._clean)
        host = urlsplit(url).netloc
        if token_endpoint:
            advice = (f"the token endpoint {url} rejected key_id {self._key_id!r} (HTTP {response.status_code}); "
                      "check key_id/key_secret (SINCH_KEY_ID/SINCH_KEY_SECRET) and that the access key is active")
        elif expired and renewed:
            advice = "the access token expired again right after it was renewed; check the clock and auth_url"
        elif expired and not self._key_id:
            advice = ("the access_token has expired; fetch a new one (the sinch.est.token lookup) or set "
                      "key_id/key_secret so the token can be renewed")
        elif self.auth_method == "basic":
            advice = (f"{host} rejected key_id {self._key_id!r} with Basic authentication; check key_id/key_secret "
                      f"and that the key belongs to project {self.project_id}")
        elif self._token.given:
            advice = (f"{host} rejected the access_token (SINCH_ACCESS_TOKEN); check that it is current and was "
                      f"issued for project {self.project_id}")
        else:
            advice = (f"{host} rejected the token issued for key_id {self._key_id!r}; check key_id/key_secret, that "
                      f"the key belongs to project {self.project_id}, and that auth_url matches api_url")
        error.msg = self._clean(f"UNAUTHENTICATED: {advice}. {error.msg}")
        error.args = (error.msg,)
        if not error.api_status:
            error.api_status = "UNAUTHENTICATED"
        return error


def client_from_values(values: Dict[str, Any], warn: Optional[Callable[[str], None]] = None,
                       timing: Optional[Timing] = None) -> EstClient:
    """An EstClient from connection option values (left out: the table's default)."""
    return EstClient(connection_settings(values), warn=warn, timing=timing)


def client_from_options(get_option: Callable[[str], Any], warn: Optional[Callable[[str], None]] = None) -> EstClient:
    """An EstClient from connection options read by `get_option(name)` (module params, plugin options)."""
    return client_from_values(connection_values(get_option), warn=warn)


def client_from_module(module: Any) -> EstClient:
    """An EstClient from the connection options of `module`; fails the module on a bad option."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    try:
        return client_from_options(module.params.get, warn=module.warn)
    except EstConfigError as exc:
        module.fail_json(msg=str(exc), option=exc.option)
        raise  # fail_json exits; this keeps type checkers and mocked modules honest
