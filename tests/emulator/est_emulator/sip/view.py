"""The state as the edge sees it: ACLs, IP ranges, credentials and trunk bindings `--edge-delay`
seconds late (Sinch: changes reach the edge up to 60 s after the API call), everything else live.

After every successful API write the view keeps a snapshot of that part of the state stamped with the
emulator clock; the edge reads the newest snapshot at least `delay` old. With no delay it reads the
store directly. Clock moves (POST /_emulator/time) move the edge's view with them, so tests can skip
the wait.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass, field
from typing import Any, Callable

from ..store import now


@dataclass(frozen=True)
class TrunkAuth:
    networks: tuple = ()  # IPv4Network of the enabled ACLs bound to the trunk
    credentials: dict = field(default_factory=dict)  # username -> password, of the bound lists


Auth = dict  # trunk id -> TrunkAuth
NONE = TrunkAuth()


def load_auth(store: Any, trunk_id: str | None = None) -> Auth:
    """The auth part of the state: of every trunk, or of one."""
    nets: dict[str, list] = {}
    creds: dict[str, dict] = {}
    where, args = ("WHERE ta.trunk_id = ?", (trunk_id,)) if trunk_id else ("", ())
    for row in store.q("SELECT ta.trunk_id, a.doc AS acl, r.doc AS range FROM trunk_acls ta "
                       f"JOIN acls a ON a.id = ta.acl_id JOIN ip_ranges r ON r.acl_id = a.id {where} ORDER BY r.rid",
                       args):
        if json.loads(row["acl"]).get("enabled", True):
            item = json.loads(row["range"])
            nets.setdefault(row["trunk_id"], []).append(
                ipaddress.ip_network(f"{item['ipAddress']}/{item['range']}", strict=False))
    for row in store.q("SELECT tc.trunk_id, c.username, c.password FROM trunk_credential_lists tc "
                       f"JOIN credentials c ON c.cl_id = tc.cl_id {where.replace('ta.', 'tc.')} ORDER BY c.rid", args):
        if row["password"] is not None:
            creds.setdefault(row["trunk_id"], {}).setdefault(row["username"], row["password"])
    return {t: TrunkAuth(tuple(nets.get(t, ())), creds.get(t, {})) for t in set(nets) | set(creds)}


class EdgeView:
    def __init__(self, store: Any, delay: float, clock: Callable[[], float] = now) -> None:
        self.store, self.delay, self.clock = store, delay, clock
        self.history: list[tuple[float, Auth]] = [(float("-inf"), load_auth(store))]

    def changed(self) -> None:
        """Called after each API write: the auth part of the state as it is now, for later."""
        if self.delay > 0:
            self.history.append((self.clock(), load_auth(self.store)))

    def auth(self) -> Auth:
        if self.delay <= 0:
            return load_auth(self.store)
        cutoff = self.clock() - self.delay
        visible = [i for i, (stamp, _entry) in enumerate(self.history) if stamp <= cutoff]
        index = visible[-1] if visible else 0
        del self.history[:index]  # older snapshots can never be read again (unless the clock goes back)
        return self.history[0][1]

    def trunk(self, trunk_id: str) -> TrunkAuth:
        if self.delay <= 0:
            return load_auth(self.store, trunk_id).get(trunk_id, NONE)
        return self.auth().get(trunk_id, NONE)
