"""Inbound calls (PSTN -> customer): the edge calls the endpoints of the trunk a number is routed to,
by priority (equal priorities take turns), failing over on timeout, 408 and 5xx (policy.fails_over)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

from ..numbers import apply_due
from ..store import now
from . import lookup, policy, records
from .dialog import SDP_TYPE, Dialog, new_tag, sdp
from .message import Message, Uri
from .records import CallFacts
from .transaction import ClientTransaction
from .transport import Peer, is_loopback

CANCEL_WAIT = 1.0  # how long an attempt given up waits for the 487 after its CANCEL


@dataclass
class Target:
    address: str
    port: int
    transport: str
    uri: str
    priority: int = 0


@dataclass
class InboundCall:
    """An answered inbound call: the endpoint may hang up first (its BYE ends `hold`)."""

    dialog: Dialog
    hung_up: asyncio.Event = field(default_factory=asyncio.Event)

    def end(self, code: int) -> None:
        self.hung_up.set()


class Inbound:
    def __init__(self, edge: Any) -> None:
        self.edge = edge
        self.turns: dict[str, dict[int, int]] = {}  # trunk id -> priority -> calls taken (round-robin)

    def targets(self, trunk: policy.Trunk, callee: str) -> list[Target]:
        """The endpoints to try in order; a registered endpoint counts only while registered."""
        out = []
        for endpoint in policy.endpoint_order(lookup.endpoints(self.edge.store, trunk.id),
                                              self.turns.get(trunk.id, {})):
            if not endpoint.get("isRegistered"):
                address, port = endpoint["address"], endpoint.get("port", 5060)
                out.append(Target(address, port, endpoint.get("transport", "UDP"), f"sip:{callee}@{address}:{port}",
                                  endpoint["priority"]))
                continue
            binding = self.edge.registrar.contact(trunk.id, endpoint.get("credentialUsername", ""))
            if binding is not None:
                contact = Uri.parse(binding.contact)
                out.append(Target(contact.host, contact.port or 5060,
                                  contact.params.get("transport", binding.transport).upper(), binding.contact,
                                  endpoint["priority"]))
        return out

    async def call(self, caller: str, callee: str, hold_ms: int) -> dict:
        apply_due(self.edge.store)
        trunk = lookup.routed_trunk(self.edge.store, callee)
        if trunk is None:
            return {"final": 404, "attempts": [], "call_id": None, "why": f"{callee} is routed to no trunk"}
        facts = CallFacts(trunk.project, trunk.id, "INBOUND", caller, callee, now())
        blocked = policy.inbound_blocked(lookup.rules(self.edge.store, trunk.project), caller, callee)
        if blocked is not None:
            return self._ended(facts, blocked.code, [], blocked.why)
        targets = self.targets(trunk, callee)
        if not targets:
            return self._ended(facts, 503, [], "no active endpoint on the trunk")
        attempts: list[dict] = []
        turns, tried = self.turns.setdefault(trunk.id, {}), set()
        for target in targets:
            if target.priority not in tried:  # each priority's turn moves on once per call
                tried.add(target.priority)
                turns[target.priority] = turns.get(target.priority, 0) + 1
            code, answered = await self.attempt(trunk, target, caller, callee)
            attempts.append({"address": target.address, "port": target.port, "code": code})
            if answered is not None:
                facts.answered = now()
                await self._hold(answered, hold_ms)
                return self._ended(facts, code, attempts, "answered")
            if not policy.fails_over(code):
                return self._ended(facts, code, attempts, "the endpoint refused the call")
        return self._ended(facts, 503, attempts, "every endpoint failed")

    def _ended(self, facts: CallFacts, code: int, attempts: list, why: str) -> dict:
        facts.ended, facts.code = now(), code
        doc = records.write(self.edge.store, facts)
        return {"final": code, "attempts": attempts, "call_id": doc["callId"], "why": why}

    async def _hold(self, call: InboundCall, hold_ms: int) -> None:
        try:
            await asyncio.wait_for(call.hung_up.wait(), hold_ms / 1000)
        except asyncio.TimeoutError:
            await self.edge.send_bye(call.dialog, None)
        self.edge.calls.pop(call.dialog.call_id, None)

    def invite(self, trunk: policy.Trunk, target: Target, caller: str, callee: str) -> Message:
        msg = Message(method="INVITE", uri=target.uri)
        msg.add("Via", self.edge.via(target.transport))
        msg.add("Max-Forwards", "70")
        msg.add("From", f"<sip:{caller}@{trunk.domain}>;tag={new_tag()}")
        msg.add("To", f"<sip:{callee}@{target.address}>")
        msg.add("Call-ID", f"{uuid.uuid4().hex}@{self.edge.host}")
        msg.add("CSeq", "1 INVITE")
        self.edge.contact_header(target.transport)(msg)
        msg.add("Content-Type", SDP_TYPE)
        msg.body = sdp(self.edge.host, int(now()))
        return msg

    async def attempt(self, trunk: policy.Trunk, target: Target, caller: str,
                      callee: str) -> tuple[int, InboundCall | None]:
        """One endpoint: its final code, and the call when it answered. An address outside
        127.0.0.0/8, a host name (never resolved) or TLS is unreachable: 408, nothing sent."""
        if target.transport not in ("UDP", "TCP") or not is_loopback(target.address):
            return 408, None
        peer = Peer(target.transport, target.address, target.port)
        request = self.invite(trunk, target, caller, callee)
        call: dict = {}
        txn = self.edge.transactions.client(request, peer, on_response=lambda r: self._response(request, peer, r, call))
        if not txn.start():
            return 408, None
        try:
            resp = await asyncio.wait_for(asyncio.shield(txn.final), self.edge.attempt_timeout)
        except asyncio.TimeoutError:
            await self._give_up(txn, request, peer)
            return 408, None
        if resp is None:
            return 503, None  # transport error (RFC 3261 8.1.3.1)
        return resp.status, call.get("call") if 200 <= resp.status < 300 else None

    def _response(self, request: Message, peer: Peer, resp: Message, call: dict) -> None:
        """A 2xx (first or resent) is ACKed by the core, in the dialog it makes (RFC 3261 13.2.2.4)."""
        if not 200 <= resp.status < 300:
            return
        if "call" not in call:
            dialog = Dialog.as_uac(request, resp, peer.transport)
            call["call"] = InboundCall(dialog)
            self.edge.calls[request.call_id] = call["call"]
        dialog = call["call"].dialog
        self.edge.transport.send(dialog.request("ACK", self.edge.via(peer.transport)), self.edge.hop(dialog, None))

    async def _give_up(self, txn: ClientTransaction, request: Message, peer: Peer) -> None:
        """No final answer in time: CANCEL if it rang (RFC 3261 9.1), else just stop resending."""
        if not txn.provisional:
            txn.stop()
            return
        cancel = Message(method="CANCEL", uri=request.uri)
        for name in ("Via", "Max-Forwards", "From", "To", "Call-ID"):
            cancel.add(name, request.get(name) or "")
        cancel.add("CSeq", f"{request.cseq[0]} CANCEL")
        self.edge.transactions.client(cancel, peer).start()
        try:
            await asyncio.wait_for(asyncio.shield(txn.final), CANCEL_WAIT)
        except asyncio.TimeoutError:
            txn.stop()
