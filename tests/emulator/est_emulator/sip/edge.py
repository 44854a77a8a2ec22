"""The edge's core: what each request method does, and the edge's lifetime on the emulator's loop."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable

from ..store import now
from . import digest, policy
from .destinations import Destinations
from .dialog import Dialog, new_tag
from .inbound import Inbound
from .message import Message, ParseError, Uri, digest_params
from .outbound import Outbound
from .registrar import Registrar
from .transaction import ServerTransaction, Transactions, new_branch
from .transport import Peer, Transport
from .view import EdgeView

ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER"
LOG = logging.getLogger("est_emulator.sip")


class Edge:
    """One SIP edge: UDP and TCP on one port, served on the emulator's asyncio loop (the SQLite
    store is used from that loop only, so the edge shares it without locks or threads)."""

    def __init__(self, store: Any, host: str, edge_delay: float = 0.0, attempt_timeout: float = 2.0) -> None:
        self.store, self.host = store, host
        self.edge_delay, self.attempt_timeout = edge_delay, attempt_timeout
        self.transport = Transport(host, self.on_message)
        self.transactions = Transactions(self.transport, self)
        self.port = 0
        self.view = EdgeView(store, edge_delay)
        self.nonces = digest.Nonces()
        self.destinations = Destinations()
        self.registrar = Registrar(self)
        self.outbound = Outbound(self)
        self.inbound = Inbound(self)
        self.calls: dict[str, Any] = {}  # Call-ID -> the call in progress (outbound or inbound)

    def reset(self) -> None:
        """POST /_emulator/reset: the state went back to empty, and so does the edge's memory of it."""
        self.view = EdgeView(self.store, self.edge_delay)
        self.destinations.clear()
        self.registrar.bindings.clear()
        self.outbound.recent.clear()
        for pending in self.outbound.challenged.values():
            if pending.timer:
                pending.timer.cancel()
        self.outbound.challenged.clear()
        self.inbound.turns.clear()

    async def start(self, port: int) -> int:
        self.port = await self.transport.start(port)
        return self.port

    def close(self) -> None:
        self.transactions.closed = True
        self.transport.close()

    def report(self) -> dict:
        return {"udp": self.port, "tcp": self.port}

    # -- from the transaction layer --------------------------------------------------------
    def on_message(self, msg: Message, peer: Peer) -> None:
        try:
            self.transactions.on_message(msg, peer)
        except Exception:  # noqa: BLE001 - one bad message never stops the edge
            LOG.exception("SIP message from %s:%s failed", peer.host, peer.port)

    def on_request(self, txn: ServerTransaction) -> None:
        try:
            self._dispatch(txn)
        except ParseError as err:  # a URI or header the edge cannot read (tel: URIs included)
            if not txn.final:
                txn.respond(400, "Bad Request", new_tag(), build=lambda r: r.add("Warning", f'399 est-emulator "{err}"'))

    def _dispatch(self, txn: ServerTransaction) -> None:
        method = txn.request.method
        if method == "OPTIONS":
            txn.respond(200, "OK", new_tag(), build=lambda r: r.add("Allow", ALLOW))
        elif method == "REGISTER":
            self.registrar.on_register(txn)
        elif method == "INVITE":
            self._invite(txn)
        elif method == "BYE":
            self._bye(txn)
        else:
            txn.respond(405, "Method Not Allowed", new_tag(), build=lambda r: r.add("Allow", ALLOW))

    def on_ack(self, msg: Message, peer: Peer) -> None:
        """An ACK for a 2xx (its own transaction, RFC 3261 13.2.2.4): stops resending the 2xx."""
        call = self.calls.get(msg.call_id)
        if call is not None and hasattr(call, "acked"):
            call.acked.set()

    def _invite(self, txn: ServerTransaction) -> None:
        if "tag=" in (txn.request.get("To") or ""):
            call = self.calls.get(txn.request.call_id)
            if call is None or call.dialog is None:
                txn.respond(481, "Call/Transaction Does Not Exist")
                return
            txn.respond(200, "OK", call.dialog.local_tag, build=self.contact_header(txn.source.transport))
            return
        self.outbound.on_invite(txn)

    def _bye(self, txn: ServerTransaction) -> None:
        call = self.calls.get(txn.request.call_id)
        if call is None:
            txn.respond(481, "Call/Transaction Does Not Exist")
            return
        txn.respond(200, "OK")
        call.end(200)

    # -- helpers for the core modules ------------------------------------------------------
    @staticmethod
    def request_host(request: Message) -> str:
        return Uri.parse(request.uri).host

    def answer(self, request: Message, header: str) -> policy.Answer | None:
        value = request.get(header)
        params = digest_params(value) if value else {}
        if not params:
            return None
        return policy.Answer(params, self.nonces.state(params.get("nonce", ""), now()))

    def refuse(self, txn: ServerTransaction, verdict: policy.Verdict, trunk: policy.Trunk | None,
               challenge_header: str) -> None:
        def build(resp: Message) -> None:
            if verdict.challenge and trunk is not None:
                resp.add(challenge_header, digest.challenge(trunk.domain, self.nonces.new(now()), verdict.stale))
            resp.add("Warning", f'399 est-emulator "{verdict.why}"')
        txn.respond(verdict.code, verdict.reason, new_tag(), build=build)

    @staticmethod
    def local_tag() -> str:
        return new_tag()

    def contact_header(self, transport: str) -> Callable[[Message], None]:
        uri = f"<sip:edge@{self.host}:{self.port}" + (";transport=tcp>" if transport == "TCP" else ">")
        return lambda resp: resp.add("Contact", uri)

    def via(self, transport: str) -> str:
        return f"SIP/2.0/{transport} {self.host}:{self.port};branch={new_branch()};rport"

    def hop(self, dialog: Dialog, source: Peer | None) -> Peer:
        """Where an in-dialog request goes: the route set / remote target; over TCP without a route
        set, the connection the dialog was made on (connection reuse, as SBCs behind NAT need)."""
        peer = dialog.next_hop()
        if source is not None and source.transport == "TCP" and not dialog.route_set and source.conn is not None \
                and not source.conn.is_closing():
            return source
        return peer

    async def send_bye(self, dialog: Dialog, source: Peer | None, timeout: float | None = None) -> int:
        """BYE inside the dialog; answers the final code (408 when none came in time)."""
        peer = self.hop(dialog, source)
        bye = dialog.request("BYE", self.via(peer.transport))
        txn = self.transactions.client(bye, peer)
        if not txn.start():
            return 408
        try:
            resp = await asyncio.wait_for(asyncio.shield(txn.final), timeout or self.attempt_timeout)
        except asyncio.TimeoutError:
            txn.stop()
            return 408
        return resp.status if resp is not None else 408


async def start_edge(store: Any, host: str, port: int, edge_delay: float, attempt_timeout: float) -> Edge:
    edge = Edge(store, host, edge_delay, attempt_timeout)
    await edge.start(port)
    return edge
