"""The operation table: (method, path pattern) -> handler, for every API the emulator serves.

`est` and `numbers` patterns follow `/v1/projects/{projectId}`; `admin` patterns follow `/_emulator`.
"""

import re
from typing import Any, Callable

ROUTES: list[tuple[str, re.Pattern, Callable[..., Any], str]] = []
PROJECT_APIS = ("est", "numbers")


def route(method: str, pattern: str, api: str = "est") -> Callable:
    """Register a handler for `method` on `pattern` (`{name}` segments become keyword arguments)."""
    regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "/?$")

    def register(func):
        ROUTES.append((method, regex, func, api))
        return func

    return register


def match(method: str, path: str, apis: tuple[str, ...] = PROJECT_APIS):
    """(handler, params, api) among the routes of `apis`, or raises LookupError('path'|'method')."""
    found_path = False
    for m, regex, func, api in ROUTES:
        if api not in apis:
            continue
        hit = regex.match(path)
        if hit:
            found_path = True
            if m == method:
                return func, hit.groupdict(), api
    raise LookupError("method" if found_path else "path")
