"""The operation table: (method, path pattern) -> handler."""

import re

ROUTES = []


def route(method, pattern, api="est"):
    """Register a handler for `/v1/projects/{projectId}` + pattern."""
    regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "/?$")

    def register(func):
        ROUTES.append((method, regex, func, api))
        return func

    return register


def match(method, path):
    """(handler, params, api) or raises LookupError('path'|'method')."""
    found_path = False
    for m, regex, func, api in ROUTES:
        hit = regex.match(path)
        if hit:
            found_path = True
            if m == method:
                return func, hit.groupdict(), api
    raise LookupError("method" if found_path else "path")
