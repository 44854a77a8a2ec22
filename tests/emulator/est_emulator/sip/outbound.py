"""Outbound calls (customer -> PSTN): policy.outbound decides; an accepted call plays its destination
(ring, answer with SDP, busy, no answer, fail), and its record is written when it ends."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from ..store import now
from . import lookup, policy, records
from .destinations import Destination
from .dialog import SDP_TYPE, Dialog, new_tag, sdp
from .message import NameAddr, Uri
from .records import CallFacts
from .transaction import LINGER, T1, T2, ServerTransaction
from .view import NONE


@dataclass
class Challenged:
    """A Call-ID the edge challenged: the call it will be if the client answers (or FAILED if not)."""

    facts: CallFacts
    failures: int = 0
    timer: Any = None


@dataclass
class OutboundCall:
    edge: Any
    txn: ServerTransaction
    facts: CallFacts
    tag: str = field(default_factory=new_tag)
    dialog: Dialog | None = None
    task: Any = None
    acked: asyncio.Event = field(default_factory=asyncio.Event)
    done: bool = False

    def end(self, code: int) -> None:
        if self.done:
            return
        self.done = True
        self.facts.ended, self.facts.code = now(), code
        records.write(self.edge.store, self.facts)
        self.edge.calls.pop(self.txn.request.call_id, None)
        if self.task and self.task is not asyncio.current_task():
            self.task.cancel()

    def cancelled(self) -> None:
        """CANCEL before the final answer (the transaction layer already answered it 200)."""
        if not self.txn.final:
            self.txn.respond(487, "Request Terminated", self.tag)
            self.end(487)

    def answer_final(self, code: int, reason: str) -> None:
        self.txn.respond(code, reason, self.tag)
        self.end(code)

    async def play(self, dest: Destination) -> None:
        self.txn.respond(100, "Trying")
        if dest.fail is not None or dest.busy:
            await asyncio.sleep(dest.answer_after_ms / 1000)
            self.answer_final(dest.fail or 486, "Busy Here" if dest.fail is None else "Failed")
            return
        self.txn.respond(180, "Ringing", self.tag, build=self.edge.contact_header(self.txn.source.transport))
        if dest.no_answer:
            await asyncio.sleep(dest.ring_timeout_ms / 1000)
            self.answer_final(480, "Temporarily Unavailable")
            return
        await asyncio.sleep(dest.answer_after_ms / 1000)
        await self.answer(dest)

    async def answer(self, dest: Destination) -> None:
        def build(resp: Any) -> None:
            self.edge.contact_header(self.txn.source.transport)(resp)
            resp.add("Content-Type", SDP_TYPE)
            resp.body = sdp(self.edge.host, int(now()))
        ok = self.txn.respond(200, "OK", self.tag, build=build)
        self.facts.answered = now()
        self.dialog = Dialog.as_uas(self.txn.request, self.tag, self.txn.source.transport)
        await self._resend_until_ack(ok)
        if dest.hangup_after_ms is not None:
            await asyncio.sleep(dest.hangup_after_ms / 1000)
            await self.edge.send_bye(self.dialog, self.txn.source)
            self.end(200)

    async def _resend_until_ack(self, ok: Any) -> None:
        """The UAS core resends its 2xx, T1 doubling up to T2, until the ACK (RFC 3261 13.3.1.4);
        with no ACK within 64*T1 it ends the call with a BYE."""
        interval, waited = T1, 0.0
        while waited < LINGER:
            try:
                await asyncio.wait_for(self.acked.wait(), interval)
                return
            except asyncio.TimeoutError:
                waited += interval
                self.edge.transport.respond(ok, self.txn.source)
                interval = min(interval * 2, T2)
        await self.edge.send_bye(self.dialog, self.txn.source)
        self.end(200)


class Outbound:
    def __init__(self, edge: Any) -> None:
        self.edge = edge
        self.challenged: dict[str, Challenged] = {}
        self.recent: dict[str, list[float]] = {}

    def facts(self, txn: ServerTransaction, trunk: policy.Trunk | None, failures: int) -> policy.OutboundFacts:
        request, store = txn.request, self.edge.store
        callee = Uri.parse(request.uri).number
        caller_uri = Uri.parse(NameAddr.parse(request.get("From") or "").uri)
        project = trunk.project if trunk else ""
        return policy.OutboundFacts(
            trunk=trunk, request_host=Uri.parse(request.uri).host, from_host=caller_uri.host,
            source=txn.source.host, auth=self.edge.view.trunk(trunk.id) if trunk else NONE,
            answer=self.edge.answer(request, "Proxy-Authorization"), failures=failures, callee=callee,
            caller=caller_uri.number, countries=lookup.countries(store, project) if trunk else {},
            rules=lookup.rules(store, project) if trunk else (),
            calls_last_second=self.calls_last_second(trunk.id) if trunk else 0)

    def calls_last_second(self, trunk_id: str) -> int:
        t = now()
        stamps = [s for s in self.recent.get(trunk_id, []) if s > t - 1.0]
        self.recent[trunk_id] = stamps
        return len(stamps)

    def on_invite(self, txn: ServerTransaction) -> None:
        request = txn.request
        trunk = lookup.trunk_by_domain(self.edge.store, Uri.parse(request.uri).host)
        pending = self.challenged.get(request.call_id)
        f = self.facts(txn, trunk, pending.failures if pending else 0)
        verdict = policy.outbound(f)
        if pending is None and trunk is not None:
            pending = Challenged(CallFacts(trunk.project, trunk.id, "OUTBOUND", f.caller, f.callee, now()))
        if verdict is not None and verdict.challenge:
            self._challenge(txn, verdict, trunk, pending, f.answer is not None and not verdict.stale)
            return
        if pending is not None:
            self.challenged.pop(request.call_id, None)
            if pending.timer:
                pending.timer.cancel()
        if verdict is not None:
            self.edge.refuse(txn, verdict, trunk, "Proxy-Authenticate")
            if pending is not None:
                pending.facts.ended, pending.facts.code = now(), verdict.code
                records.write(self.edge.store, pending.facts)
            return
        self.recent.setdefault(trunk.id, []).append(now())
        call = OutboundCall(self.edge, txn, pending.facts)
        txn.on_cancel = call.cancelled
        self.edge.calls[request.call_id] = call
        call.task = asyncio.get_running_loop().create_task(call.play(self.edge.destinations.for_number(f.callee)))

    def _challenge(self, txn: ServerTransaction, verdict: policy.Verdict, trunk: policy.Trunk,
                   pending: Challenged, wrong: bool) -> None:
        """407 with a fresh nonce. The call stays pending: a client that never answers the challenge
        leaves a FAILED record (code 407) after 64*T1, as a transaction would time out."""
        if wrong:
            pending.failures += 1
        self.edge.refuse(txn, verdict, trunk, "Proxy-Authenticate")
        call_id = txn.request.call_id
        self.challenged[call_id] = pending
        if pending.timer:
            pending.timer.cancel()
        pending.timer = asyncio.get_running_loop().call_later(LINGER, self._abandoned, call_id, verdict.code)

    def _abandoned(self, call_id: str, code: int) -> None:
        pending = self.challenged.pop(call_id, None)
        if pending is not None:
            pending.facts.ended, pending.facts.code = now(), code
            records.write(self.edge.store, pending.facts)
