"""Request body and query validation; every failure names its field."""

import ipaddress
import json
import re

from .errors import ApiError, unreadable_body

# The first label of <hostName>.pstn.sinch.com: a DNS label (RFC 1035 2.3.1; RFC 1123 allows a leading digit).
HOST_NAME_RE = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
# ITU-T E.164: a country code never starts with 0; at most 15 digits; 7 is the shortest in service (Niue).
E164_RE = re.compile(r"^\+[1-9][0-9]{6,14}$")
ISO_RE = re.compile(r"^([A-Za-z]{2}|\*)$")
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
PREFIX_RE = re.compile(r"^\+?[0-9]{1,15}$")


def parse_json(raw, required=True):
    if not raw or not raw.strip():
        if required:
            raise ApiError(400, "Request body is required", [("body", "a JSON body is required")])
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Request body is not valid JSON", [("body", "not valid JSON")]) from None


def is_ipv4(value):
    try:
        ipaddress.IPv4Address(value)
        return True
    except (ValueError, TypeError):
        return False


class Fields:
    """Reads typed fields from a JSON object, collecting violations."""

    def __init__(self, body, prefix=""):
        self.prefix = prefix
        self.violations = []
        self.invalid = not isinstance(body, dict)
        if self.invalid:
            self.violations.append((prefix.rstrip(".") or "body", "must be a JSON object"))
            body = {}
        self.body = body

    def fail(self, field, description):
        self.violations.append((self.prefix + field, description))

    def _get(self, field, kind, type_ok, required, default):
        if self.invalid:
            return default
        if field not in self.body or self.body[field] is None:
            if required:
                self.fail(field, "is required")
            return default
        value = self.body[field]
        if not type_ok(value):
            self.fail(field, f"must be {kind}")
            return default
        return value

    def str(self, field, required=False, default=None, nonempty=None):
        value = self._get(field, "a string", lambda v: isinstance(v, str), required, default)
        if (nonempty if nonempty is not None else required) and isinstance(value, str) and not value.strip() and field in self.body:
            self.fail(field, "must not be empty")
        return value

    def bool(self, field, required=False, default=None):
        return self._get(field, "a boolean", lambda v: isinstance(v, bool), required, default)

    def int(self, field, required=False, default=None, minimum=None, maximum=None):
        value = self._get(field, "an integer", lambda v: isinstance(v, int) and not isinstance(v, bool), required, default)
        if isinstance(value, int) and field in self.body:
            if minimum is not None and value < minimum:
                self.fail(field, f"must be >= {minimum}")
            elif maximum is not None and value > maximum:
                self.fail(field, f"must be <= {maximum}")
        return value

    def list(self, field, required=False, default=None):
        return self._get(field, "an array", lambda v: isinstance(v, list), required, default)

    def obj(self, field, required=False):
        return self._get(field, "an object", lambda v: isinstance(v, dict), required, None)

    def enum(self, field, choices, required=False, default=None):
        value = self.str(field, required, default)
        if isinstance(value, str) and field in self.body:
            if value.upper() not in choices:
                self.fail(field, "must be one of " + ", ".join(choices))
                return default
            return value.upper()
        return value

    def e164(self, field, value):
        if isinstance(value, str) and value and not E164_RE.match(value):
            self.fail(field, "must be an E.164 number: '+' then 7 to 15 digits, the first not 0")

    def iso(self, field, value):
        if isinstance(value, str) and value and not ISO_RE.match(value):
            self.fail(field, "must be an ISO 3166-1 alpha-2 country code or '*'")

    def check(self):
        if self.violations:
            first = self.violations[0]
            raise ApiError(400, f"Invalid argument: {first[0]}: {first[1]}", self.violations)


def id_list(body, key, allow_bare):
    """A list of string ids from `{key: [...]}` or (when allowed) a bare array."""
    if allow_bare and isinstance(body, list):
        items, name = body, key
    elif not isinstance(body, dict):
        raise unreadable_body()
    else:
        f = Fields(body)
        items = f.list(key, required=True)
        f.check()
        name = key
    bad = [(f"{name}[{i}]", "must be a string") for i, v in enumerate(items) if not isinstance(v, str) or not v]
    if bad:
        raise ApiError(400, f"Invalid argument: {bad[0][0]}: must be a string", bad)
    seen = []
    for v in items:
        if v not in seen:
            seen.append(v)
    return seen
