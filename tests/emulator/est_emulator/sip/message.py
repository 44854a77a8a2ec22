"""SIP message syntax (RFC 3261 section 7, 20, 25): a small strict parser and serialiser.

Why not a library: the PyPI SIP packages either stopped long ago (aiosip, last release 2017), are
alpha and need Python 3.11 while this package supports 3.10 (aiosipua), or are softphone clients
rather than message codecs (PySIPio). The edge needs only requests/responses, header lists, name-
addr and URI parameters and Digest parameters, which fit in this file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

COMPACT = {"v": "Via", "f": "From", "t": "To", "i": "Call-ID", "m": "Contact", "l": "Content-Length",
           "c": "Content-Type", "k": "Supported", "s": "Subject", "e": "Content-Encoding", "o": "Event"}
CANONICAL = {n.lower(): n for n in ("Via", "From", "To", "Call-ID", "CSeq", "Contact", "Content-Length",
                                    "Content-Type", "Max-Forwards", "Route", "Record-Route", "Expires",
                                    "Authorization", "Proxy-Authorization", "WWW-Authenticate",
                                    "Proxy-Authenticate", "User-Agent", "Server", "Allow", "Supported")}
# headers whose comma-separated values are separate header fields (RFC 3261 section 7.3.1)
MULTI = {"via", "route", "record-route", "contact", "allow", "supported"}
MAX_MESSAGE = 65535
REQUEST_LINE = re.compile(r"^([A-Z]+) (\S+) SIP/2\.0$")
STATUS_LINE = re.compile(r"^SIP/2\.0 ([1-6]\d\d) (.*)$")
TOKEN = re.compile(r"^[A-Za-z0-9.!%*_+`'~-]+$")


class ParseError(ValueError):
    """The bytes are not one well-formed SIP message."""


def canonical(name: str) -> str:
    low = name.lower()
    low = COMPACT.get(low, name).lower() if len(low) == 1 else low
    return CANONICAL.get(low, "-".join(p.capitalize() for p in low.split("-")))


def split_commas(value: str) -> list[str]:
    """Comma-separated values, ignoring commas inside quotes and <...>."""
    out, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(value):
        if ch == '"' and (i == 0 or value[i - 1] != "\\"):
            quoted = not quoted
        elif not quoted and ch == "<":
            depth += 1
        elif not quoted and ch == ">":
            depth -= 1
        elif not quoted and depth == 0 and ch == ",":
            out.append(value[start:i].strip())
            start = i + 1
    out.append(value[start:].strip())
    return [v for v in out if v]


@dataclass
class Message:
    """A request (method, uri) or a response (status, reason); headers in order, canonical names."""

    method: str = ""
    uri: str = ""
    status: int = 0
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    @property
    def is_request(self) -> bool:
        return bool(self.method)

    def get(self, name: str, default: str | None = None) -> str | None:
        name = canonical(name)
        for key, value in self.headers:
            if key == name:
                return value
        return default

    def get_all(self, name: str) -> list[str]:
        name = canonical(name)
        return [value for key, value in self.headers if key == name]

    def add(self, name: str, value: str, first: bool = False) -> None:
        item = (canonical(name), value)
        if first:
            self.headers.insert(0, item)
        else:
            self.headers.append(item)

    def set(self, name: str, value: str) -> None:
        self.remove(name)
        self.add(name, value)

    def remove(self, name: str) -> None:
        name = canonical(name)
        self.headers = [(k, v) for k, v in self.headers if k != name]

    @property
    def call_id(self) -> str:
        return self.get("Call-ID", "") or ""

    @property
    def cseq(self) -> tuple[int, str]:
        number, _space, method = (self.get("CSeq") or "").partition(" ")
        return int(number), method.strip()

    @property
    def top_via(self) -> Via:
        return Via.parse(self.get("Via") or "")

    def to_bytes(self) -> bytes:
        start = f"{self.method} {self.uri} SIP/2.0" if self.is_request else f"SIP/2.0 {self.status} {self.reason}"
        lines = [start] + [f"{k}: {v}" for k, v in self.headers if k != "Content-Length"]
        lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


def parse(data: bytes) -> Message:
    """One message; raises ParseError on anything RFC 3261 does not allow where the edge relies on it."""
    if len(data) > MAX_MESSAGE:
        raise ParseError("message too large")
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        raise ParseError("no empty line after the headers")
    try:
        lines = head.decode("utf-8").split("\r\n")
    except UnicodeDecodeError:
        raise ParseError("headers are not UTF-8") from None
    msg = _start_line(lines[0])
    msg.headers = _header_lines(lines[1:])
    length = msg.get("Content-Length")
    if length is not None:
        if not length.strip().isdigit():
            raise ParseError("bad Content-Length")
        if int(length) > len(body):
            raise ParseError("body shorter than Content-Length")
        body = body[: int(length)]
    msg.body = body
    for name in ("Via", "From", "To", "Call-ID", "CSeq"):
        if not msg.get(name):
            raise ParseError(f"missing {name}")
    number, method = (msg.get("CSeq") or "").partition(" ")[::2]
    if not number.isdigit() or not TOKEN.match(method.strip() or "-"):
        raise ParseError("bad CSeq")
    if msg.is_request and method.strip() != msg.method and msg.method != "ACK" or (
            msg.method == "ACK" and method.strip() != "ACK"):
        raise ParseError("CSeq method differs from the request method")
    return msg


def _start_line(line: str) -> Message:
    m = REQUEST_LINE.match(line)
    if m:
        return Message(method=m.group(1), uri=m.group(2))
    m = STATUS_LINE.match(line)
    if m:
        return Message(status=int(m.group(1)), reason=m.group(2))
    raise ParseError(f"bad start line {line[:80]!r}")


def _header_lines(lines: list[str]) -> list[tuple[str, str]]:
    unfolded: list[str] = []
    for line in lines:
        if line[:1] in (" ", "\t") and unfolded:
            unfolded[-1] += " " + line.strip()
        else:
            unfolded.append(line)
    headers = []
    for line in unfolded:
        name, sep, value = line.partition(":")
        if not sep or not TOKEN.match(name.strip()):
            raise ParseError(f"bad header line {line[:80]!r}")
        name = canonical(name.strip())
        values = split_commas(value.strip()) if name.lower() in MULTI and value.strip() != "*" else [value.strip()]
        headers += [(name, v) for v in values]
    return headers


def params(text: str) -> dict[str, str]:
    """`;a=b;c` parameters (keys lower-case, values unquoted; a bare key maps to '')."""
    out = {}
    for part in text.split(";"):
        key, _equals, value = part.strip().partition("=")
        if key:
            out[key.strip().lower()] = value.strip().strip('"')
    return out


@dataclass
class Uri:
    scheme: str
    user: str
    host: str
    port: int | None
    params: dict[str, str]

    @classmethod
    def parse(cls, text: str) -> Uri:
        m = re.match(r"^(sips?):(?:([^@;]*)@)?(\[[^\]]+\]|[^:;?]+)(?::(\d+))?([^?]*)", text.strip())
        if not m:
            raise ParseError(f"bad URI {text[:80]!r}")
        return cls(m.group(1).lower(), m.group(2) or "", m.group(3).lower(), int(m.group(4)) if m.group(4) else None,
                   params(m.group(5)))

    @property
    def number(self) -> str:
        """The user part with visual separators removed, as +E.164 when it is all digits."""
        user = self.user.split(";")[0]
        digits = re.sub(r"[-.() ]", "", user)
        return "+" + digits if digits.isdigit() else digits


@dataclass
class NameAddr:
    """`"display" <uri>;params` or `uri;params` (From, To, Contact, Route)."""

    uri: str
    params: dict[str, str]

    @classmethod
    def parse(cls, text: str) -> NameAddr:
        text = text.strip()
        if "<" in text:
            start, end = text.index("<"), text.find(">")
            if end < start:
                raise ParseError(f"bad name-addr {text[:80]!r}")
            return cls(text[start + 1:end], params(text[end + 1:]))
        uri, _semicolon, rest = text.partition(";")
        return cls(uri, params(rest))

    @property
    def tag(self) -> str:
        return self.params.get("tag", "")


@dataclass
class Via:
    transport: str
    host: str
    port: int | None
    params: dict[str, str]

    @classmethod
    def parse(cls, text: str) -> Via:
        m = re.match(r"^SIP\s*/\s*2\.0\s*/\s*([A-Za-z]+)\s+(\[[^\]]+\]|[^:;\s]+)(?:\s*:\s*(\d+))?(.*)$", text.strip())
        if not m:
            raise ParseError(f"bad Via {text[:80]!r}")
        return cls(m.group(1).upper(), m.group(2), int(m.group(3)) if m.group(3) else None, params(m.group(4)))

    @property
    def branch(self) -> str:
        return self.params.get("branch", "")


def digest_params(value: str) -> dict[str, str]:
    """The parameters of a `Digest k=v, k="v"` credentials or challenge header."""
    scheme, _space, rest = value.strip().partition(" ")
    if scheme.lower() != "digest":
        return {}
    out = {}
    for m in re.finditer(r'([A-Za-z0-9_-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^\s,]+)', rest):
        out[m.group(1).lower()] = m.group(3) if m.group(3) is not None else m.group(2)
    return out


def response_to(request: Message, status: int, reason: str, to_tag: str | None = None) -> Message:
    """A response copying Via, From, To (with our tag), Call-ID and CSeq (RFC 3261 section 8.2.6)."""
    resp = Message(status=status, reason=reason)
    for via in request.get_all("Via"):
        resp.add("Via", via)
    resp.add("From", request.get("From") or "")
    to = request.get("To") or ""
    if to_tag and status != 100 and not NameAddr.parse(to).tag:
        to += f";tag={to_tag}"
    resp.add("To", to)
    resp.add("Call-ID", request.call_id)
    resp.add("CSeq", request.get("CSeq") or "")
    if request.method == "INVITE" and 100 < status < 300:  # dialog-creating responses (section 12.1.1)
        for rr in request.get_all("Record-Route"):
            resp.add("Record-Route", rr)
    resp.add("Server", "est-emulator")
    return resp
