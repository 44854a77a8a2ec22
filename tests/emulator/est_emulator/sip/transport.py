"""Transport layer (RFC 3261 section 18): UDP datagrams and TCP streams framed by Content-Length,
`received`/`rport` on the top Via of requests (RFC 3581), and the loopback-only rule for sending."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
from dataclasses import dataclass
from typing import Any, Callable

from .message import MAX_MESSAGE, Message, ParseError, Via, parse

LOG = logging.getLogger("est_emulator.sip")
LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
CONTENT_LENGTH = re.compile(rb"(?im)^(?:content-length|l)[ \t]*:[ \t]*(\d+)[ \t]*\r?$")


def is_loopback(host: str) -> bool:
    """True for an IPv4 literal in 127.0.0.0/8. A name is never resolved, so it is never loopback."""
    try:
        return ipaddress.ip_address(host) in LOOPBACK
    except ValueError:
        return False


@dataclass
class Peer:
    """Where a message came from or goes to; `conn` is the TCP connection it arrived on, if any."""

    transport: str
    host: str
    port: int
    conn: Any = None


class FramingError(ValueError):
    """A TCP stream that is not a sequence of SIP messages with Content-Length."""


class Framer:
    """Cuts a TCP byte stream into messages (RFC 3261 section 18.3: Content-Length is mandatory)."""

    def __init__(self) -> None:
        self.buf = b""

    def feed(self, data: bytes) -> list[bytes]:
        self.buf += data
        out = []
        while True:
            self.buf = self.buf.lstrip(b"\r\n")  # CRLF keep-alives between messages (RFC 5626 section 3.5.1)
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buf) > MAX_MESSAGE:
                    raise FramingError("headers too long")
                return out
            m = CONTENT_LENGTH.search(self.buf[:end + 2])
            if not m:
                raise FramingError("a message on TCP without Content-Length")
            total = end + 4 + int(m.group(1))
            if total > MAX_MESSAGE:
                raise FramingError("message too large")
            if len(self.buf) < total:
                return out
            out.append(self.buf[:total])
            self.buf = self.buf[total:]


def stamp_via(msg: Message, peer: Peer) -> None:
    """Adds `received` (and fills `rport`) on the top Via of a request (RFC 3261 18.2.1, RFC 3581)."""
    vias = msg.get_all("Via")
    if not vias:
        return
    via = Via.parse(vias[0])
    top = vias[0]
    if via.host != peer.host:
        top = re.sub(r";\s*received=[^;]*", "", top) + f";received={peer.host}"
    if "rport" in via.params:
        top = re.sub(r";\s*rport(=[^;]*)?", f";rport={peer.port}", top, count=1)
    rest = [(k, v) for k, v in msg.headers if k != "Via"]
    first = next(i for i, (k, _value) in enumerate(msg.headers) if k == "Via")
    msg.headers = rest[:first] + [("Via", top)] + [("Via", v) for v in vias[1:]] + rest[first:]


def response_target(resp: Message, source: Peer) -> Peer:
    """Where a response goes (RFC 3261 18.2.2, RFC 3581 section 4): the connection it came on over TCP;
    over UDP `received` and `rport`, else the Via's sent-by."""
    if source.transport == "TCP":
        return source
    via = resp.top_via
    host = via.params.get("received") or via.host
    port = via.params.get("rport") or via.port or 5060
    return Peer("UDP", host, int(port))


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, transport: Transport) -> None:
        self.owner = transport

    def datagram_received(self, data: bytes, addr: tuple) -> None:
        self.owner.received(data, Peer("UDP", addr[0], addr[1]))


class _Tcp(asyncio.Protocol):
    def __init__(self, transport: Transport, on_lost: Callable[[], None] | None = None) -> None:
        self.owner, self.framer, self.on_lost = transport, Framer(), on_lost
        self.conn: Any = None
        self.peer: Peer | None = None

    def connection_made(self, transport: Any) -> None:
        self.conn = transport
        host, port = transport.get_extra_info("peername")[:2]
        self.peer = Peer("TCP", host, port, transport)
        self.owner.connections[(host, port)] = transport

    def data_received(self, data: bytes) -> None:
        try:
            messages = self.framer.feed(data)
        except FramingError as err:
            LOG.info("closing TCP connection from %s: %s", self.peer, err)
            self.conn.close()
            return
        for raw in messages:
            self.owner.received(raw, self.peer)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.peer:
            self.owner.connections.pop((self.peer.host, self.peer.port), None)


class Transport:
    """SIP over UDP and TCP on one host and port; hands every parsed message to `on_message(msg, peer)`."""

    def __init__(self, host: str, on_message: Callable[[Message, Peer], None]) -> None:
        self.host, self.on_message = host, on_message
        self.udp: Any = None
        self.tcp: Any = None
        self.connections: dict[tuple[str, int], Any] = {}
        self.port = 0
        self.sent = 0

    async def start(self, port: int) -> int:
        """Listens on `port` for both (0: a number free for both); answers the port."""
        loop = asyncio.get_running_loop()
        for _attempt in range(50):
            tcp = await loop.create_server(lambda: _Tcp(self), self.host, port, reuse_address=True)
            chosen = tcp.sockets[0].getsockname()[1]
            try:
                udp, _protocol = await loop.create_datagram_endpoint(lambda: _Udp(self), local_addr=(self.host, chosen),
                                                                     family=socket.AF_INET)
            except OSError:
                tcp.close()
                if port:
                    raise
                continue
            self.tcp, self.udp, self.port = tcp, udp, chosen
            return chosen
        raise OSError("no port free for both UDP and TCP")

    def close(self) -> None:
        if self.udp:
            self.udp.close()
        if self.tcp:
            self.tcp.close()
        for conn in list(self.connections.values()):
            conn.close()

    def received(self, data: bytes, peer: Peer) -> None:
        if not data.strip(b"\r\n"):
            return  # keep-alive
        try:
            msg = parse(data)
        except ParseError as err:
            LOG.info("dropped a malformed message from %s:%s: %s", peer.host, peer.port, err)
            return
        if msg.is_request:
            stamp_via(msg, peer)
        self.on_message(msg, peer)

    def send(self, msg: Message, peer: Peer, on_error: Callable[[], None] | None = None) -> bool:
        """Sends `msg` to `peer`; False (nothing sent) for any address outside 127.0.0.0/8."""
        if not is_loopback(peer.host):
            LOG.info("not sending %s to %s: outside 127.0.0.0/8", msg.method or msg.status, peer.host)
            return False
        data = msg.to_bytes()
        self.sent += 1
        if peer.transport == "UDP":
            self.udp.sendto(data, (peer.host, peer.port))
            return True
        conn = peer.conn or self.connections.get((peer.host, peer.port))
        if conn is not None and not conn.is_closing():
            conn.write(data)
            return True
        asyncio.get_running_loop().create_task(self._connect_and_send(data, peer, on_error))
        return True

    async def _connect_and_send(self, data: bytes, peer: Peer, on_error: Callable[[], None] | None) -> None:
        loop = asyncio.get_running_loop()
        try:
            conn, _protocol = await loop.create_connection(lambda: _Tcp(self), peer.host, peer.port)
        except OSError:
            if on_error:
                on_error()
            return
        self.connections[(peer.host, peer.port)] = conn
        conn.write(data)

    def respond(self, resp: Message, source: Peer) -> bool:
        return self.send(resp, response_target(resp, source))
