# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""The connection options every module, lookup, inventory and event source takes.

One table produces the module argument spec, the defaults and the `SINCH_*` fallbacks; the doc
fragment `sinch.est.connection` documents the same options (a unit test holds the two together).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, NamedTuple, Optional, Tuple

from ansible.module_utils.basic import env_fallback

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
