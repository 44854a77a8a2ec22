"""The edge's core: what each request method does, and the edge's lifetime on the emulator's loop."""

from __future__ import annotations

import asyncio
from typing import Any

from .message import Message
from .destinations import Destinations
from .inbound import Inbound
from .registrar import Registrar
from .transaction import ServerTransaction, Transactions
from .transport import Peer, Transport
from .view import EdgeView

ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER"


class Edge:
    """One SIP edge: UDP and TCP on one port, served on the emulator's asyncio loop (the SQLite
    store is used from that loop only, so the edge shares it without locks)."""

    def __init__(self, store: Any, host: str, edge_delay: float = 0.0, attempt_timeout: float = 2.0) -> None:
        self.store, self.host = store, host
        self.edge_delay, self.attempt_timeout = edge_delay, attempt_timeout
        self.transport = Transport(host, self.on_message)
        self.transactions = Transactions(self.transport, self)
        self.port = 0
        self.view = EdgeView(store, edge_delay)
        self.destinations = Destinations()
        self.registrar = Registrar(self)
        self.inbound = Inbound(self)

    def reset(self) -> None:
        """POST /_emulator/reset: the state went back to empty, and so does the edge's memory of it."""
        self.view = EdgeView(self.store, self.edge_delay)
        self.destinations.clear()
        self.registrar.bindings.clear()

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
        self.transactions.on_message(msg, peer)

    def on_request(self, txn: ServerTransaction) -> None:
        method = txn.request.method
        if method == "OPTIONS":
            txn.respond(200, "OK", build=lambda r: r.add("Allow", ALLOW))
        else:
            txn.respond(501, "Not Implemented")

    def on_ack(self, msg: Message, peer: Peer) -> None:
        """An ACK for a 2xx (its own transaction, section 13.2.2.4)."""


async def start_edge(store: Any, host: str, port: int, edge_delay: float, attempt_timeout: float) -> Edge:
    edge = Edge(store, host, edge_delay, attempt_timeout)
    await edge.start(port)
    asyncio.get_running_loop()
    return edge
