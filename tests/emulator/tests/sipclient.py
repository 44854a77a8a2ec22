"""A minimal SIP user agent for the edge's socket tests: builds requests, sends over UDP or TCP, and
reads responses and requests back. Deliberately independent of est_emulator.sip's own parser."""

import hashlib
import re
import socket
import time
import uuid


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def parse(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip().lower(), value.strip()))
    msg = {"start": lines[0], "headers": headers, "body": body}
    parts = lines[0].split(" ", 2)
    if parts[0] == "SIP/2.0":
        msg["status"] = int(parts[1])
    else:
        msg["method"] = parts[0]
        msg["uri"] = parts[1]
    return msg


def header(msg, name, default=None):
    for key, value in msg["headers"]:
        if key == name.lower():
            return value
    return default


def headers(msg, name):
    return [v for k, v in msg["headers"] if k == name.lower()]


def digest_answer(challenge, method, uri, username, password, qop=True):
    fields = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge))
    realm, nonce = fields["realm"], fields["nonce"]
    ha1, ha2 = md5(f"{username}:{realm}:{password}"), md5(f"{method}:{uri}")
    if qop and "qop" in fields:
        cnonce, nc = uuid.uuid4().hex[:8], "00000001"
        response = md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
        return (f'Digest username="{username}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
                f'response="{response}", algorithm=MD5, qop=auth, nc={nc}, cnonce="{cnonce}"')
    response = md5(f"{ha1}:{nonce}:{ha2}")
    return f'Digest username="{username}", realm="{realm}", nonce="{nonce}", uri="{uri}", response="{response}"'


class Client:
    """One UA on 127.0.0.1 (or `host`) over UDP or TCP to the edge at `port`."""

    def __init__(self, port, transport="UDP", host="127.0.0.1"):
        self.edge = ("127.0.0.1", port)
        self.transport = transport
        if transport == "UDP":
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.sock.bind((host, 0))
        else:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.sock.bind((host, 0))
            self.sock.connect(self.edge)
        self.host, self.port = self.sock.getsockname()
        self.buf = b""

    @classmethod
    def over(cls, conn):
        """A UA on a TCP connection the edge opened to us (an endpoint's side)."""
        ua = cls.__new__(cls)
        ua.sock, ua.transport, ua.buf = conn, "TCP", b""
        ua.host, ua.port = conn.getsockname()
        return ua

    def close(self):
        self.sock.close()

    def send_raw(self, data):
        if self.transport == "UDP":
            self.sock.sendto(data, self.edge)
        else:
            self.sock.sendall(data)

    def request(self, method, uri, frm, to, call_id=None, cseq=1, branch=None, extra=(), body=b"", to_tag=None):
        branch = branch or "z9hG4bK" + uuid.uuid4().hex[:12]
        call_id = call_id or uuid.uuid4().hex
        lines = [f"{method} {uri} SIP/2.0",
                 f"Via: SIP/2.0/{self.transport} {self.host}:{self.port};branch={branch};rport",
                 "Max-Forwards: 70",
                 f"From: <{frm}>;tag=c{call_id[:6]}",
                 f"To: <{to}>" + (f";tag={to_tag}" if to_tag else ""),
                 f"Call-ID: {call_id}",
                 f"CSeq: {cseq} {'ACK' if method == 'ACK' else method}",
                 f"Contact: <sip:ua@{self.host}:{self.port};transport={self.transport.lower()}>",
                 *extra]
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        self.send_raw(raw)
        return {"raw": raw, "branch": branch, "call_id": call_id}

    def _read_one(self, deadline):
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if self.transport == "UDP":
                self.sock.settimeout(remaining)
                try:
                    data, _ = self.sock.recvfrom(65535)
                except socket.timeout:
                    return None
                return parse(data)
            end = self.buf.find(b"\r\n\r\n")
            if end >= 0:
                m = re.search(rb"(?im)^content-length:\s*(\d+)", self.buf[:end])
                total = end + 4 + int(m.group(1))
                if len(self.buf) >= total:
                    raw, self.buf = self.buf[:total], self.buf[total:]
                    return parse(raw)
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(65535)
            except socket.timeout:
                return None
            if not chunk:
                return None
            self.buf += chunk

    def read(self, timeout=2.0):
        return self._read_one(time.monotonic() + timeout)

    def final(self, timeout=3.0):
        """Reads until a final response; returns (final, [provisional statuses])."""
        deadline, seen = time.monotonic() + timeout, []
        while True:
            msg = self._read_one(deadline)
            if msg is None or msg.get("status", 0) >= 200:
                return msg, seen
            seen.append(msg.get("status", msg.get("method")))

    def respond(self, request, status, reason, to_tag="uas1", body=b"", extra=()):
        lines = [f"SIP/2.0 {status} {reason}"]
        lines += [f"Via: {v}" for v in headers(request, "via")]
        to = header(request, "to")
        lines += [f"From: {header(request, 'from')}", f"To: {to}" + ("" if "tag=" in to or status == 100 else f";tag={to_tag}"),
                  f"Call-ID: {header(request, 'call-id')}", f"CSeq: {header(request, 'cseq')}",
                  f"Contact: <sip:uas@{self.host}:{self.port}>", *extra]
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append(f"Content-Length: {len(body)}")
        self.send_raw(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
