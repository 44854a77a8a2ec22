"""Reads of the live state (what --edge-delay does not hold back): trunks by domain, endpoints,
country permissions, call blocking rules and number routing."""

from __future__ import annotations

import json
from typing import Any

from .policy import Trunk, trunk_host


def _trunk(row: Any) -> Trunk:
    doc = json.loads(row["doc"])
    return Trunk(doc["id"], row["project_id"], doc["domain"], int(doc.get("callsPerSecond", 1)))


def trunk_by_domain(store: Any, request_host: str) -> Trunk | None:
    host = trunk_host(request_host)
    if host is None:
        return None
    row = store.one("SELECT doc, project_id FROM trunks WHERE host_name = ?", (host,))
    return _trunk(row) if row else None


def trunk_by_id(store: Any, trunk_id: str) -> Trunk | None:
    row = store.one("SELECT doc, project_id FROM trunks WHERE id = ?", (trunk_id,))
    return _trunk(row) if row else None


def countries(store: Any, project: str) -> dict:
    return {r["iso_code"]: bool(r["enabled"]) for r in store.q(
        "SELECT iso_code, enabled FROM country_permissions WHERE project_id = ?", (project,))}


def rules(store: Any, project: str) -> tuple:
    return tuple(json.loads(r["doc"]) for r in store.q(
        "SELECT doc FROM call_blocking_rules WHERE project_id = ? ORDER BY rid", (project,)))


def endpoints(store: Any, trunk_id: str) -> list:
    return [json.loads(r["doc"]) for r in store.q("SELECT doc FROM endpoints WHERE trunk_id = ? ORDER BY rid",
                                                  (trunk_id,))]


def registered_usernames(store: Any, trunk_id: str) -> set:
    return {e["credentialUsername"] for e in endpoints(store, trunk_id) if e.get("isRegistered")}


def routed_trunk(store: Any, number: str) -> Trunk | None:
    """The trunk a number is routed to (its sipTrunkId), in any project."""
    row = store.one("SELECT sip_trunk_id FROM numbers WHERE phone_number = ? AND sip_trunk_id != '' "
                    "ORDER BY rid LIMIT 1", (number,))
    return trunk_by_id(store, row["sip_trunk_id"]) if row else None
