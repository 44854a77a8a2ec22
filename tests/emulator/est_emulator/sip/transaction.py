"""Transaction layer (RFC 3261 section 17, RFC 6026): matching, retransmissions and timers.

Server transactions absorb request retransmissions by answering them with the last response; an
INVITE's non-2xx final answer is resent over UDP (Timer G, doubling up to T2) until its ACK. The 2xx
is the core's to resend (section 13.3.1.4). CANCEL is matched to its INVITE by the top Via branch.
Client transactions (the edge calling an endpoint) resend over UDP (Timers A and E) and ACK a non-2xx
final answer themselves.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any, Callable

from .message import Message, Via, response_to
from .transport import Peer, Transport

T1, T2 = 0.5, 4.0
LINGER = 64 * T1  # Timers H, J, B, F: how long a transaction is kept


def new_branch() -> str:
    return "z9hG4bK" + uuid.uuid4().hex[:16]


def server_key(msg: Message) -> tuple:
    """RFC 3261 17.2.3: branch + sent-by + method (an ACK matches its INVITE); pre-3261 clients by dialog."""
    via = msg.top_via
    method = "INVITE" if msg.method == "ACK" else msg.method
    if via.branch.startswith("z9hG4bK"):
        return (via.branch, via.host, via.port, method)
    return (msg.call_id, msg.cseq[0], msg.get("From"), msg.get("Via"), method)


class ServerTransaction:
    def __init__(self, layer: Transactions, request: Message, source: Peer) -> None:
        self.layer, self.request, self.source = layer, request, source
        self.last: Message | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.acked = False
        self.on_cancel: Callable[[], None] | None = None

    @property
    def final(self) -> bool:
        return self.last is not None and self.last.status >= 200

    def respond(self, status: int, reason: str, to_tag: str | None = None,
                build: Callable[[Message], None] | None = None) -> Message:
        resp = response_to(self.request, status, reason, to_tag)
        if build:
            build(resp)
        self.send(resp)
        return resp

    def send(self, resp: Message) -> None:
        self.last = resp
        self.layer.transport.respond(resp, self.source)
        if resp.status >= 200:
            self.layer.linger(self)
            if self.request.method == "INVITE" and resp.status >= 300 and self.source.transport == "UDP":
                self._resend_until_ack(T1)

    def _resend_until_ack(self, interval: float) -> None:
        def fire() -> None:
            if self.acked or self.layer.closed:
                return
            self.layer.transport.respond(self.last, self.source)
            self._resend_until_ack(min(interval * 2, T2))
        self.timer = asyncio.get_running_loop().call_later(interval, fire)

    def retransmitted(self) -> None:
        if self.last is not None:
            self.layer.transport.respond(self.last, self.source)

    def ack(self) -> None:
        self.acked = True
        if self.timer:
            self.timer.cancel()


class ClientTransaction:
    """One request the edge sends; `final` resolves to the final response, or to None on timeout or
    transport error. `on_response` sees every response (provisional ones and 2xx retransmissions)."""

    def __init__(self, layer: Transactions, request: Message, peer: Peer,
                 on_response: Callable[[Message], None] | None = None) -> None:
        self.layer, self.request, self.peer, self.on_response = layer, request, peer, on_response
        self.branch = request.top_via.branch
        self.final: asyncio.Future = asyncio.get_running_loop().create_future()
        self.provisional = False
        self.timer: asyncio.TimerHandle | None = None
        self.deadline: asyncio.TimerHandle | None = None

    def start(self) -> bool:
        if not self.layer.transport.send(self.request, self.peer, on_error=lambda: self._finish(None)):
            return False
        self.layer.clients[(self.branch, self.request.method)] = self
        if self.peer.transport == "UDP":
            self._resend(T1)
        self.deadline = asyncio.get_running_loop().call_later(LINGER, self._finish, None)
        return True

    def _resend(self, interval: float) -> None:
        def fire() -> None:
            if self.final.done() or (self.provisional and self.request.method == "INVITE") or self.layer.closed:
                return
            self.layer.transport.send(self.request, self.peer)
            cap = interval * 2 if self.request.method == "INVITE" else min(interval * 2, T2)
            self._resend(cap)
        self.timer = asyncio.get_running_loop().call_later(interval, fire)

    def received(self, resp: Message) -> None:
        if self.on_response:
            self.on_response(resp)
        if resp.status < 200:
            self.provisional = True
            return
        if self.request.method == "INVITE" and resp.status >= 300:
            self.layer.transport.send(self._ack_for(resp), self.peer)  # also for every retransmission
        self._finish(resp)

    def _ack_for(self, resp: Message) -> Message:
        """The ACK of a non-2xx final answer: same branch, To with the answer's tag (17.1.1.3)."""
        ack = Message(method="ACK", uri=self.request.uri)
        ack.add("Via", self.request.get("Via") or "")
        for route in self.request.get_all("Route"):
            ack.add("Route", route)
        ack.add("From", self.request.get("From") or "")
        ack.add("To", resp.get("To") or "")
        ack.add("Call-ID", self.request.call_id)
        ack.add("CSeq", f"{self.request.cseq[0]} ACK")
        ack.add("Max-Forwards", "70")
        return ack

    def _finish(self, resp: Message | None) -> None:
        if not self.final.done():
            self.final.set_result(resp)
        for handle in (self.timer, self.deadline):
            if handle:
                handle.cancel()
        # keep the entry a while: retransmitted finals must still be ACKed / seen
        asyncio.get_running_loop().call_later(LINGER if resp is not None else 0,
                                              self.layer.clients.pop, (self.branch, self.request.method), None)

    def stop(self) -> None:
        """Stops retransmitting (the core gave up on this attempt)."""
        self._finish(None)


class Transactions:
    """Matches messages to transactions; hands new requests and stray 2xx ACKs to the core."""

    def __init__(self, transport: Transport, core: Any) -> None:
        self.transport, self.core = transport, core
        self.servers: dict[tuple, ServerTransaction] = {}
        self.clients: dict[tuple, ClientTransaction] = {}
        self.closed = False

    def linger(self, txn: ServerTransaction) -> None:
        key = server_key(txn.request)
        asyncio.get_running_loop().call_later(LINGER, lambda: self.servers.pop(key, None))

    def on_message(self, msg: Message, peer: Peer) -> None:
        if not msg.is_request:
            self._response(msg)
        elif msg.method == "ACK":
            txn = self.servers.get(server_key(msg))
            if txn is not None and txn.final and txn.last.status >= 300:
                txn.ack()  # the ACK of a non-2xx answer ends at the transaction
            else:
                self.core.on_ack(msg, peer)
        elif msg.method == "CANCEL":
            self._cancel(msg, peer)
        else:
            self._request(msg, peer)

    def _request(self, msg: Message, peer: Peer) -> None:
        key = server_key(msg)
        txn = self.servers.get(key)
        if txn is not None:
            txn.retransmitted()
            return
        txn = ServerTransaction(self, msg, peer)
        self.servers[key] = txn
        self.core.on_request(txn)

    def _cancel(self, msg: Message, peer: Peer) -> None:
        key = server_key(msg)
        if key in self.servers:
            self.servers[key].retransmitted()
            return
        own = ServerTransaction(self, msg, peer)
        self.servers[key] = own
        invite = self.servers.get(key[:-1] + ("INVITE",))
        if invite is None:
            own.respond(481, "Call/Transaction Does Not Exist")
            return
        own.respond(200, "OK")
        if not invite.final and invite.on_cancel:
            invite.on_cancel()

    def _response(self, msg: Message) -> None:
        via = Via.parse(msg.get("Via") or "")
        txn = self.clients.get((via.branch, msg.cseq[1]))
        if txn is not None:
            txn.received(msg)

    def client(self, request: Message, peer: Peer,
               on_response: Callable[[Message], None] | None = None) -> ClientTransaction:
        return ClientTransaction(self, request, peer, on_response)
