# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""`ChildSet`: the members of one object that the API keeps as a collection of their own — an
ACL's IP ranges, a credential list's credentials, a trunk's bound ACLs and credential lists.

A module declares the set (its option, its identity, how one member is added, updated, removed)
and the engine here compares it as a set, adds before it updates before it removes (traffic gated
by the set is never left without the members meant to stay), runs each phase on the pool,
and predicts in check mode.
"""

from __future__ import annotations

from typing import Any, Dict, Hashable, List, Optional, Tuple


def set_changes(current: List[Any], desired: List[Any], key: Any) -> Tuple[List[Any], List[Any], List[Tuple[Any, Any]]]:
    """Compares two lists as sets by `key`: (to_add, to_remove, matched pairs (current, desired)).

    Removals are seen (not a subset check), and duplicates in `desired` are the caller's to reject.
    """
    current_by_key: Dict[Hashable, Any] = {}
    for item in current:
        current_by_key.setdefault(key(item), item)
    desired_keys = set()
    to_add = []
    matched = []
    for item in desired:
        item_key = key(item)
        desired_keys.add(item_key)
        if item_key in current_by_key:
            matched.append((current_by_key[item_key], item))
        else:
            to_add.append(item)
    to_remove = [item for item_key, item in current_by_key.items() if item_key not in desired_keys]
    return to_add, to_remove, matched


class Changes:
    """What converging a set takes: members to add, (current, desired) pairs to update, members to remove."""

    def __init__(self, add: Optional[List[Any]] = None, update: Optional[List[Tuple[Any, Any]]] = None,
                 remove: Optional[List[Any]] = None) -> None:
        self.add = add or []
        self.update = update or []
        self.remove = remove or []

    def __bool__(self) -> bool:
        return bool(self.add or self.update or self.remove)


class ChildSet:
    """The members of one parent object. Subclasses declare:

      option   the module option listing the desired members, and the key of the view ("ip_ranges")
      noun     one member, for messages ("IP range")
    and implement `key`, `fetch`, `add_one`, `remove_one`; `update_one` where members change in place;
    `inline` where the parent object itself carries its members.
    `add_all`/`remove_all` default to one request per member on the pool; a set the API writes in
    bulk overrides them.
    """

    option = ""
    noun = ""
    diff_keys: Tuple[str, ...] = ()  # what a diff shows of a member (its view, all of it, when empty)

    def __init__(self, owner: Any, parent: dict) -> None:
        self.owner = owner  # the EstModule: client, pool, record_change, check mode
        self.parent = parent

    # -- declared per set ----------------------------------------------------------------------

    def key(self, member: Any) -> Hashable:
        raise NotImplementedError

    def desired(self, target: Any) -> Optional[List[Any]]:
        """The members the task wants (its option of the same name); None when the task leaves them alone."""
        return target.params.get(self.option)

    def purge(self, target: Any) -> bool:
        """Whether members the task does not list are removed (`purge_<option>`, exact by default)."""
        return bool(target.params.get(f"purge_{self.option}", True))

    def inline(self) -> Optional[List[Any]]:
        """The members as the parent object carries them, or None when it does not."""
        return None

    def fetch(self) -> List[Any]:
        """The members, read from the API."""
        raise NotImplementedError

    def read(self) -> List[Any]:
        """The members the parent has now."""
        members = self.inline()
        return self.fetch() if members is None else members

    def changes(self, current: List[Any], desired: List[Any], purge: bool) -> Changes:
        to_add, to_remove, _matched = set_changes(current, desired, self.key)
        return Changes(add=to_add, remove=to_remove if purge else [])

    def add_one(self, member: Any) -> Any:
        raise NotImplementedError

    def update_one(self, pair: Tuple[Any, Any]) -> Any:
        raise NotImplementedError

    def remove_one(self, member: Any) -> None:
        """Removes one member (with `owner.delete`, for which a 404 means done)."""
        raise NotImplementedError

    def view(self, member: Any) -> Any:
        return member

    @classmethod
    def diff_view(cls, shown: Any) -> Any:
        """A member's view as a diff shows it: what the user manages, not the read-only fields."""
        if not cls.diff_keys or not isinstance(shown, dict):
            return shown
        return {key: value for key, value in shown.items() if key in cls.diff_keys}

    def predict_update(self, pair: Tuple[Any, Any]) -> Any:
        return pair[0]

    # -- bulk forms (one request for all, where the API has it) ---------------------------------

    def add_all(self, members: List[Any]) -> List[Any]:
        return self.owner.each(members, self.add_one)

    def update_all(self, pairs: List[Tuple[Any, Any]]) -> List[Any]:
        return self.owner.each(pairs, self.update_one)

    def remove_all(self, members: List[Any]) -> None:
        self.owner.each(members, self.remove_one)

    def apply(self, changes: Changes, current: List[Any]) -> Tuple[List[Any], List[Any]]:
        """Writes `changes` (add, then update, then remove); returns (added members, update answers)."""
        added = self.add_all(changes.add) if changes.add else []
        answers = self.update_all(changes.update) if changes.update else []
        if changes.remove:
            self.remove_all(changes.remove)
        return added, answers

    # -- the engine ----------------------------------------------------------------------------

    def converge(self, desired: Optional[List[Any]], purge: bool = True,
                 current: Optional[List[Any]] = None) -> Tuple[List[Any], List[Any]]:
        """Brings the set to `desired` (None: leave it alone); returns the (before, after) views."""
        if current is None:
            current = self.read()
        before = [self.view(member) for member in current]
        if desired is None:
            return before, before
        changes = self.changes(current, desired, purge)
        if not changes:
            return before, before
        self.owner.record_change(f"Converging the {self.option}")
        removed = {id(member) for member in changes.remove}
        updated = {id(old): self.predict_update((old, new)) for old, new in changes.update}
        added = list(changes.add)
        if not self.owner.check_mode:
            added, answers = self.apply(changes, current)
            updated.update({id(old): answer for (old, _new), answer in zip(changes.update, answers) if answer})
        after = [updated.get(id(member), member) for member in current if id(member) not in removed] + added
        return before, [self.view(member) for member in after]
