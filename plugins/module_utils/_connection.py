# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""The connection options every module, lookup, inventory and event source takes.

One table produces the module argument spec, the defaults and the `SINCH_*` fallbacks; the doc
fragment `sinch.est.connection` documents the same options (a unit test holds the two together).
`connection_settings()` checks the values the table read (URLs, the authentication combinations,
the numbers) and answers the `ConnectionSettings` an `EstClient` is built from, before any request.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Callable, Dict, NamedTuple, Optional, Tuple, Union
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.sinch.est.plugins.module_utils._errors import EstConfigError

DEFAULT_API_URL = "https://elastic-trunking.api.sinch.com"
DEFAULT_AUTH_URL = "https://auth.sinch.com"
DEFAULT_NUMBERS_API_URL = "https://numbers.api.sinch.com"


class ConnectionOption(NamedTuple):
    name: str
    type: str
    env: str
    default: Any = None
    no_log: bool = False
    choices: Optional[Tuple[str, ...]] = None
    required: bool = False


CONNECTION_TABLE: Tuple[ConnectionOption, ...] = (
    ConnectionOption("project_id", "str", "SINCH_PROJECT_ID", required=True),
    ConnectionOption("key_id", "str", "SINCH_KEY_ID"),
    ConnectionOption("key_secret", "str", "SINCH_KEY_SECRET", no_log=True),
    ConnectionOption("access_token", "str", "SINCH_ACCESS_TOKEN", no_log=True),
    ConnectionOption("auth_method", "str", "SINCH_AUTH_METHOD", "oauth2", choices=("oauth2", "basic")),
    ConnectionOption("api_url", "str", "SINCH_EST_API_URL", DEFAULT_API_URL),
    ConnectionOption("auth_url", "str", "SINCH_AUTH_URL", DEFAULT_AUTH_URL),
    ConnectionOption("numbers_api_url", "str", "SINCH_NUMBERS_API_URL", DEFAULT_NUMBERS_API_URL),
    ConnectionOption("validate_certs", "bool", "SINCH_VALIDATE_CERTS", True),
    ConnectionOption("ca_path", "path", "SINCH_CA_PATH"),
    ConnectionOption("allow_insecure_http", "bool", "SINCH_ALLOW_INSECURE_HTTP", False),
    ConnectionOption("timeout", "float", "SINCH_API_TIMEOUT", 30.0),
    ConnectionOption("retries", "int", "SINCH_API_RETRIES", 5),
    ConnectionOption("retry_deadline", "float", "SINCH_API_RETRY_DEADLINE", 120.0),
    ConnectionOption("concurrency", "int", "SINCH_API_CONCURRENCY", 8),
)

CONNECTION_OPTIONS = tuple(option.name for option in CONNECTION_TABLE)
CONNECTION_DEFAULTS: Dict[str, Any] = {option.name: option.default for option in CONNECTION_TABLE}


def connection_argument_spec() -> Dict[str, dict]:
    """The connection options as an AnsibleModule argument spec."""
    spec: Dict[str, dict] = {}
    for option in CONNECTION_TABLE:
        entry: Dict[str, Any] = {"type": option.type, "fallback": (env_fallback, [option.env])}
        if option.required:
            entry["required"] = True
        if option.default is not None:
            entry["default"] = option.default
        if option.no_log:
            entry["no_log"] = True
        if option.choices:
            entry["choices"] = list(option.choices)
        spec[option.name] = entry
    return spec


def connection_values(get_option: Callable[[str], Any]) -> Dict[str, Any]:
    """Every connection option read with `get_option(name)`; unset or empty takes the default.

    An empty value is how an AWX credential field left blank arrives; an option the caller does not
    declare (get_option raises KeyError) takes its default too.
    """
    values: Dict[str, Any] = {}
    for name in CONNECTION_OPTIONS:
        try:
            value = get_option(name)
        except KeyError:
            value = None
        values[name] = CONNECTION_DEFAULTS[name] if value is None or value == "" else value
    return values


class ConnectionSettings(NamedTuple):
    """The connection options once checked: what an `EstClient` is built from."""

    project_id: str
    key_id: Optional[str]
    key_secret: Optional[str]
    access_token: Optional[str]
    auth_method: str
    api_url: str
    auth_url: str
    numbers_api_url: str
    verify: Union[bool, str]  # False, True, or the CA bundle of ca_path
    timeout: float
    retries: int
    retry_deadline: float
    concurrency: int


def connection_settings(values: Dict[str, Any]) -> ConnectionSettings:
    """Checks connection option values (missing ones take the table's defaults); raises EstConfigError
    naming the option, before any request."""
    values = dict(CONNECTION_DEFAULTS, **values)
    key_id, key_secret = values["key_id"] or None, values["key_secret"] or None
    _check_credentials(values["auth_method"], key_id, key_secret, values["access_token"])
    allow_http = values["allow_insecure_http"]
    urls = {name: _check_url(name, values[name], allow_http, CONNECTION_DEFAULTS[name])
            for name in ("api_url", "auth_url", "numbers_api_url")}
    timeout, retries, retry_deadline = _check_timing(values["timeout"], values["retries"], values["retry_deadline"])
    return ConnectionSettings(
        project_id=values["project_id"] or "", key_id=key_id, key_secret=key_secret,
        access_token=values["access_token"], auth_method=values["auth_method"], **urls,
        verify=(values["ca_path"] or True) if values["validate_certs"] else False,
        timeout=timeout, retries=retries, retry_deadline=retry_deadline,
        concurrency=_check_concurrency(values["concurrency"]))


def _check_credentials(auth_method: str, key_id: Optional[str], key_secret: Optional[str],
                       access_token: Optional[str]) -> None:
    if auth_method not in ("oauth2", "basic"):
        raise EstConfigError("auth_method", f"auth_method must be oauth2 or basic, got {auth_method!r}")
    if key_id and not key_secret:
        raise EstConfigError("key_secret", "key_secret is missing: key_id is set, so set key_secret (or "
                                           "SINCH_KEY_SECRET) too, or use access_token (SINCH_ACCESS_TOKEN) alone")
    if key_secret and not key_id:
        raise EstConfigError("key_id", "key_id is missing: key_secret is set, so set key_id (or SINCH_KEY_ID) too")
    if auth_method == "basic" and not key_id:
        raise EstConfigError("key_id", "auth_method=basic needs key_id and key_secret (SINCH_KEY_ID, SINCH_KEY_SECRET)")
    if not key_id and not access_token:
        raise EstConfigError("key_id", "no credentials: set key_id and key_secret (SINCH_KEY_ID, SINCH_KEY_SECRET), "
                                       "or access_token (SINCH_ACCESS_TOKEN)")


def _is_loopback(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_url(option: str, value: Any, allow_insecure_http: bool, example: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise EstConfigError(option, f"{option} must be an http(s) URL such as https://host, got {value!r}")
    value = value.strip()
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise EstConfigError(option, f"{option} is not a valid URL ({exc}): {value}")
    if parts.scheme not in ("http", "https") or not host:
        raise EstConfigError(option, f"{option} must be an http:// or https:// URL with a host name, got {value!r}")
    _check_url_parts(option, value, parts, example)
    if parts.scheme == "http" and not allow_insecure_http and not _is_loopback(host):
        raise EstConfigError(
            option,
            f"{option} {value} uses plain http:// to a host that is not loopback, so credentials and tokens would "
            "cross the network unencrypted. Use https://, or set allow_insecure_http=true "
            "(SINCH_ALLOW_INSECURE_HTTP) to accept that, e.g. for an emulator on another host.")
    return value.rstrip("/")


def _check_url_parts(option: str, value: str, parts: Any, example: str) -> None:
    """A base URL carries no credentials, query or API path: the collection adds the paths itself."""
    if parts.username is not None or parts.password is not None:
        raise EstConfigError(
            option, f"{option} must not contain a user name or password; use key_id/key_secret or access_token")
    if parts.query or parts.fragment:
        raise EstConfigError(option, f"{option} must not contain a query or fragment, got {value!r}")
    if "/v1/" in parts.path + "/" or parts.path.rstrip("/").endswith("/oauth2/token"):
        raise EstConfigError(
            option, f"{option} {value!r} includes an API path; give the service's base URL only, such as {example}: "
                    "the collection adds /v1/projects/<project_id>/... (and /oauth2/token) itself")


def _check_timing(timeout: Any, retries: Any, retry_deadline: Any) -> Tuple[float, int, float]:
    try:
        timeout, retries, retry_deadline = float(timeout), int(retries), float(retry_deadline)
    except (TypeError, ValueError) as exc:
        raise EstConfigError("timeout", f"timeout, retries and retry_deadline must be numbers: {exc}")
    if timeout <= 0:
        raise EstConfigError("timeout", f"timeout must be more than 0 seconds, got {timeout:g}")
    if retries < 0:
        raise EstConfigError("retries", f"retries must be 0 or more, got {retries}")
    if retry_deadline < 0:
        raise EstConfigError("retry_deadline", f"retry_deadline must be 0 or more seconds, got {retry_deadline:g}")
    return timeout, retries, retry_deadline


def _check_concurrency(concurrency: Any) -> int:
    try:
        workers = int(concurrency)
    except (TypeError, ValueError):
        workers = 0
    if workers < 1:
        raise EstConfigError("concurrency", f"concurrency must be 1 or more, got {concurrency!r}")
    return workers
