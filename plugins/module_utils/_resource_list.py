# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""The list form of a resource module (`list_option`, e.g. est_endpoint's `endpoints`): many
objects of one collection converged in one task, with one list read instead of one task each.

Every item is matched and checked before the first write (a bad item fails the task unchanged).
Creates and updates run on the pool, then the deletes (state=absent, or purge).
"""

from __future__ import annotations

from typing import Any, List, NoReturn

from ansible_collections.sinch.est.plugins.module_utils._errors import EstFailure
from ansible_collections.sinch.est.plugins.module_utils._resource import EstResource, Target


class ResourceList:
    """Runs the list form of one `EstResource` task."""

    def __init__(self, resource: EstResource) -> None:
        self.resource = resource
        self.option = resource.list_option
        self.absent = resource.params.get("state") == "absent"

    def run(self) -> NoReturn:
        resource = self.resource
        existing = self.read_existing()
        targets = [Target(resource.item_params(item), where=f"{self.option}[{index}]")
                   for index, item in enumerate(resource.params[self.option])]
        self.check_all(targets, existing)
        to_delete = [target for target in targets if target.current is not None] if self.absent else self.orphans(
            targets, existing)
        converged = [] if self.absent else resource.each(
            targets, lambda target: resource.converge_present(target, prepared=True))
        deleted = resource.each(to_delete, resource.converge_absent)
        before = [item_before for item_before, _item_after in converged if item_before] + deleted
        after = [item_after for _item_before, item_after in converged]
        resource.exit(before={self.option: [resource.diff_view(item) for item in before]},
                      after={self.option: [resource.diff_view(item) for item in after]}, **{self.option: after})

    def read_existing(self) -> List[dict]:
        resource = self.resource
        if resource.parent.absent:
            return []
        with resource.step(f"Reading the {resource.noun}s{resource.parent.label}"):
            return list(resource.list_all(resource.collection, **resource.parent.path_params))

    def check_all(self, targets: List[Target], existing: List[dict]) -> None:
        """Matches every item to what exists and checks it; fails naming every bad item, before any write."""
        problems = []
        for target in targets:
            try:
                self.check_one(target, existing)
            except EstFailure as failure:
                problems.append(f"{target.where}: {failure.msg}")
        if problems:
            self.resource.fail("; ".join(problems) + "; nothing was changed")

    def check_one(self, target: Target, existing: List[dict]) -> None:
        target.current = self.resource.pick(existing, target)
        if not self.absent:
            self.resource.prepare(target)

    def orphans(self, targets: List[Target], existing: List[Any]) -> List[Target]:
        """With purge, the objects of the collection no item names (to delete)."""
        resource = self.resource
        if not (resource.purge_option and resource.params.get(resource.purge_option)):
            return []
        claimed = {target.current["id"] for target in targets if target.current is not None}
        found = []
        for current in existing:
            if current["id"] not in claimed:
                orphan = Target(dict(resource.params, id=current["id"]))
                orphan.current = current
                found.append(orphan)
        return found
