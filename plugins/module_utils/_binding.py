# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""The objects bound to a trunk (its ACLs, its credential lists): `ChildSet`s of ids under the
trunk, and `EstBinding`, the module base that manages one such set on its own."""

from __future__ import annotations

from typing import Any, List, NoReturn, Optional, Tuple

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils import _trunks as trunks
from ansible_collections.sinch.est.plugins.module_utils._children import Changes, ChildSet
from ansible_collections.sinch.est.plugins.module_utils._module import CREATED_ID, EstModule
from ansible_collections.sinch.est.plugins.module_utils._validation import Problems


class TrunkBindings(ChildSet):
    """The ids bound to one trunk. Additions go in one POST (it appends); removals one DELETE each.

    Declare: option, noun, route (the binding collection), item (one binding), ids_key (of the POST body).
    """

    route = paths.Route("")
    item = paths.Route("")
    ids_key = ""

    def key(self, member: str) -> str:
        return member

    def fetch(self) -> List[str]:
        return trunks.bound_ids(self.owner.client, self.route, self.parent["id"])

    def add_all(self, members: List[str]) -> List[str]:
        path = self.route.path(trunk_id=self.parent["id"])

        def recheck():  # send again only what did not arrive
            missing = [member for member in members if member not in self.fetch()]
            return (None, {self.ids_key: missing}) if missing else (members, None)
        with self.owner.step(f"Binding {self.option} {', '.join(members)} to {trunks.trunk_label(self.parent)}"):
            # The reply echoes only the ids sent, not the trunk's whole set: it is not read back.
            self.owner.post_without_duplicates(path, {self.ids_key: members}, recheck)
        return list(members)

    def remove_one(self, member: str) -> None:
        with self.owner.step(f"Unbinding {self.noun} {member} from {trunks.trunk_label(self.parent)}"):
            self.owner.delete(self.item.path(trunk_id=self.parent["id"], **{self.item.id_name: member}))


class TrunkAcls(TrunkBindings):
    option = "acls"
    noun = "access control list"
    route = paths.TRUNK_ACLS
    item = paths.TRUNK_ACL
    ids_key = "accessControlListIds"


class TrunkCredentialLists(TrunkBindings):
    """A trunk's credential lists: the API replaces the whole set with one PUT, so any convergence
    that unbinds is that one request (atomic: the lists that stay are never unbound in between)."""

    option = "credential_lists"
    noun = "credential list"
    route = paths.TRUNK_CREDENTIAL_LISTS
    item = paths.TRUNK_CREDENTIAL_LIST
    ids_key = "credentialListIds"

    def apply(self, changes: Changes, current: List[Any]) -> Tuple[List[Any], List[Any]]:
        if not changes.remove:
            return super().apply(changes, current)
        removed = set(changes.remove)
        final = [member for member in current if member not in removed] + list(changes.add)
        with self.owner.step(f"Setting the credential lists of {trunks.trunk_label(self.parent)} to "
                             f"[{', '.join(final)}]"):
            # Both references send the set as a bare array (Sinch's Node SDK wraps it in credentialListIds).
            self.owner.client.put(self.route.path(trunk_id=self.parent["id"]), final)
        return list(changes.add), []


class EstBinding(EstModule):
    """The set of objects of one kind bound to a trunk, managed as a module of its own.

    Declare:
      bindings          the TrunkBindings class
      result_key        the returned list of bound ids after the run ("acl_ids")
      target            collection of the objects, read once to resolve names (paths.ACLS)
      emptied_warning   warned when the run leaves the trunk with none bound (None: no warning)
    Options read: `trunk`, the bindings' option, `state`, `purge`.
    `present` adds the missing, `absent` removes the listed, `purge` makes the set exact; all
    additions before any removal.
    """

    bindings = TrunkBindings
    result_key = ""
    named = paths.Route("")  # the collection the option names objects of (ACLs, credential lists)
    emptied_warning: Optional[str] = None

    @property
    def option(self) -> str:
        return self.bindings.option

    def validate(self, problems: Problems) -> None:
        for index, value in enumerate(self.params[self.option]):
            if not value:
                problems.add(f"{self.option}[{index}]: an empty value names no {self.bindings.noun}")
        if self.params["purge"] and self.params["state"] == "absent":
            problems.add("purge: applies to state=present only (state=absent removes exactly the listed "
                         f"{self.option})")

    def wanted_ids(self, candidates: List[dict]) -> Tuple[List[str], List[str]]:
        """(ids of the listed objects, names of those that do not exist yet).

        Unknown values fail, except for state=absent (an object that does not exist is not bound, so
        removing it again stays a no-op) and in check mode, where an earlier task may be about to
        create it: the name then stands in for its id.
        """
        absent = self.params["state"] == "absent"
        unknown: Optional[List[str]] = [] if absent or self.check_mode else None
        resolved = self.resolve_named(self.named, self.params[self.option], self.option, self.bindings.noun,
                                      candidates=candidates, unknown=unknown)
        ids = [item["id"] for item in resolved]
        pending: List[str] = []
        if unknown and absent:
            self.warn(f"{self.option}: no {self.bindings.noun} with id or name {', '.join(map(repr, unknown))} in "
                      f"project {self.client.project_id}; nothing to remove for it")
        elif unknown:
            self.warn(f"{self.option}: no {self.bindings.noun} named {', '.join(map(repr, unknown))} in project "
                      f"{self.client.project_id} yet; check mode assumes an earlier task creates it")
            pending = list(unknown)
        return list(dict.fromkeys(ids + pending)), pending

    def run(self) -> NoReturn:
        trunk = self.resolve_trunk(self.params["trunk"])
        current: List[str] = []
        if trunk is None and self.params["state"] == "absent":
            self.exit(before={}, after={}, **{self.result_key: []})  # no trunk: nothing is bound to it
        if trunk is None:  # check mode: a trunk an earlier task creates has nothing bound yet
            trunk = {"id": None, "hostName": self.params["trunk"]}
        bindings = self.bindings(self, trunk)
        label = trunks.trunk_label(trunk)
        if trunk["id"] is not None:
            with self.step(f"Reading the {self.bindings.noun}s of {label}"):
                current = bindings.read()
        with self.step(f"Looking up {self.option}"):
            candidates = list(self.list_all(self.named))
        wanted, pending = self.wanted_ids(candidates)
        if self.params["state"] == "absent":
            desired = [object_id for object_id in current if object_id not in wanted]
        elif self.params["purge"]:
            desired = wanted
        else:
            desired = current + [object_id for object_id in wanted if object_id not in current]
        before, after = bindings.converge(desired, current=current)
        if current and not after and self.emptied_warning:
            self.warn(f"{label} is left with no {self.bindings.noun}: {self.emptied_warning}")
        names = {item.get("id"): item.get("name") for item in candidates}

        def shown(ids: List[str]) -> dict:
            return {"trunk": trunk.get("hostName"),
                    self.option: [{"id": CREATED_ID, "name": object_id} if object_id in pending
                                  else {"id": object_id, "name": names.get(object_id)} for object_id in ids]}
        self.exit(before=shown(before), after=shown(after), **{self.result_key: after})
