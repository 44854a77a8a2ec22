# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""`CallFilterModule`: the base of the modules that take the `/calls` filters (est_call_info,
est_call_export); the filters themselves are `_calls`."""

from __future__ import annotations

from typing import Any, Dict

from ansible_collections.sinch.est.plugins.module_utils._calls import call_query, utc_now
from ansible_collections.sinch.est.plugins.module_utils._module import EstModule
from ansible_collections.sinch.est.plugins.module_utils._validation import Problems


class CallFilterModule(EstModule):
    """A module that takes the `/calls` filters: validates them into `self.query` before any request."""

    noun = "call"

    def __init__(self, module: Any) -> None:
        super().__init__(module)
        self.query: Dict[str, str] = {}

    def validate(self, problems: Problems) -> None:
        self.query = call_query(self.params, utc_now(), problems)

    def trunk_query(self) -> Dict[str, str]:
        """`trunkId` for the `trunk` option (see EstModule.trunk_filter)."""
        value = self.params.get("trunk")
        return {"trunkId": self.trunk_filter(value)} if value else {}
