# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""`CallFilterModule`: the base of the modules that take the `/calls` filters (est_call_info,
est_call_export); the filters themselves are `_calls`."""

from __future__ import annotations

import io
from typing import Dict, Iterator

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._calls import (
    ExportPage,
    call_query,
    export_page_query,
    export_pages,
    utc_now,
)
from ansible_collections.sinch.est.plugins.module_utils._module import EstModule
from ansible_collections.sinch.est.plugins.module_utils._validation import Problems


class CallFilterModule(EstModule):
    """A module that takes the `/calls` filters: validates them into the query (`self.query`) before
    any request."""

    noun = "call"

    def validate(self, problems: Problems) -> Dict[str, str]:
        return call_query(self.params, utc_now(), problems)

    @property
    def query(self) -> Dict[str, str]:
        """The `/calls` query of the filter options, as validate() answered it."""
        return self.validated

    def trunk_query(self) -> Dict[str, str]:
        """`trunkId` for the `trunk` option (see EstModule.trunk_filter)."""
        value = self.params.get("trunk")
        return {"trunkId": self.trunk_filter(value)} if value else {}

    def export_pages(self, query: Dict[str, str]) -> Iterator[ExportPage]:
        """Every page of the call export for `query` (see _calls.export_pages)."""

        def read_page(number: int) -> bytes:
            buffer = io.BytesIO()
            with self.step(f"Reading page {number} of the call export"):
                self.client.download(paths.CALLS_EXPORT.path(), export_page_query(query, number), buffer)
            return buffer.getvalue()

        return export_pages(read_page)
