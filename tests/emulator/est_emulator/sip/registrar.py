"""Registrar: REGISTER checked by policy.register, bindings with their expiry (RFC 3261 section 10.3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..store import now
from . import lookup, policy
from .message import NameAddr
from .transaction import ServerTransaction
from .view import NONE

DEFAULT_EXPIRES = 3600
MAX_EXPIRES = 3600


@dataclass
class Binding:
    trunk_id: str
    username: str
    contact: str  # the Contact URI
    transport: str
    expires_at: float
    granted: int = DEFAULT_EXPIRES


class Registrar:
    def __init__(self, edge: Any) -> None:
        self.edge = edge
        self.bindings: dict[tuple[str, str], Binding] = {}

    def active(self) -> list[dict]:
        t = now()
        for key in [k for k, b in self.bindings.items() if b.expires_at <= t]:
            del self.bindings[key]
        return [{"username": b.username, "trunk_id": b.trunk_id, "contact": b.contact,
                 "expires": max(0, round(b.expires_at - t))} for b in self.bindings.values()]

    def contact(self, trunk_id: str, username: str) -> Binding | None:
        binding = self.bindings.get((trunk_id, username))
        return binding if binding and binding.expires_at > now() else None

    def on_register(self, txn: ServerTransaction) -> None:
        request, store = txn.request, self.edge.store
        host = self.edge.request_host(request)
        trunk = lookup.trunk_by_domain(store, host)
        auth = self.edge.view.trunk(trunk.id) if trunk else NONE
        answer = self.edge.answer(request, "Authorization")
        verdict = policy.register(trunk, host, auth, answer,
                                  lookup.registered_usernames(store, trunk.id) if trunk else set())
        if verdict is not None:
            self.edge.refuse(txn, verdict, trunk, "WWW-Authenticate")
            return
        username = answer.params["username"]
        contacts = self._update(request, trunk.id, username, txn.source.transport)
        txn.respond(200, "OK", self.edge.local_tag(),
                    build=lambda r: [r.add("Contact", c) for c in contacts])

    def _update(self, request: Any, trunk_id: str, username: str, transport: str) -> list[str]:
        """Applies the request's Contact/Expires; answers the Contact values of the binding left."""
        header_expires = request.get("Expires")
        default = int(header_expires) if header_expires and header_expires.strip().isdigit() else DEFAULT_EXPIRES
        key = (trunk_id, username)
        for value in request.get_all("Contact"):
            if value.strip() == "*":
                self.bindings.pop(key, None)
                continue
            contact = NameAddr.parse(value)
            raw = contact.params.get("expires", "")
            expires = min(int(raw) if raw.isdigit() else default, MAX_EXPIRES)
            if expires == 0:
                self.bindings.pop(key, None)
            else:
                self.bindings[key] = Binding(trunk_id, username, contact.uri, transport, now() + expires, expires)
        binding = self.contact(trunk_id, username)
        return [f"<{binding.contact}>;expires={binding.granted}"] if binding else []
