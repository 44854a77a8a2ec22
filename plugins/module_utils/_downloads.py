# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""The download of a file (CSV export, PCAP) to a `dest` path, the way get_url does it; shared
by est_call_export and est_call_pcap."""

from __future__ import annotations

import csv
import filecmp
import os
import tempfile
from typing import Any, Callable, Optional

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._module import EstModule


def count_csv_rows(path: str) -> int:
    """Data rows of a CSV file (the header excluded); quoted fields may hold line breaks."""
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as handle:
        records = sum(1 for record in csv.reader(handle) if record)
    return max(0, records - 1)


def download_to_dest(est: EstModule, route: paths.Route, params: Optional[dict], dest: str, force: bool, mode: Any,
                     measure: Callable[[str], Any], fetch: Optional[Callable[[Any], Any]] = None,
                     **ids: Any) -> Any:
    """Streams a GET into `dest` the way get_url does it; returns measure(final file).

    The body goes to a temporary file first (never half a file at `dest`), is compared with
    `dest`, and replaces it atomically only when it differs and `dest` is new or `force` is set.
    `measure` (rows, size) is taken of the file `dest` holds at the end, or would hold in check
    mode, which downloads (a read) to tell the truth about `changed` and writes nothing. Replacing
    `dest` or its mode is recorded as the task's change. `fetch(fileobj)`, when given, writes the
    body instead of one GET (the paged export); whatever it raises leaves `dest` as it was.
    """
    module = est.module
    check_dest(est, dest)
    handle, temporary = tempfile.mkstemp(prefix="sinch-est-", dir=module.tmpdir)
    try:
        with os.fdopen(handle, "wb") as fileobj:
            if fetch is not None:
                fetch(fileobj)
            else:
                est.client.download(route.path(**ids), params, fileobj)
        replace = replaces(module, temporary, dest, force)
        measured = measure(temporary if replace else dest)
        if replace:
            est.record_change(f"Writing {dest}")
        if replace and not module.check_mode:
            module.atomic_move(temporary, dest)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    if mode is not None and os.path.exists(dest) and module.set_mode_if_different(dest, mode, False):
        est.record_change(f"Setting the mode of {dest}")
    return measured


def check_dest(est: EstModule, dest: str) -> None:
    if os.path.isdir(dest):
        est.fail(f"dest: {dest} is a directory; give the path of a file")
    directory = os.path.dirname(dest) or "."
    if not os.path.isdir(directory):
        est.fail(f"dest: directory {directory} does not exist")


def replaces(module: Any, downloaded: str, dest: str, force: bool) -> bool:
    """Whether the file downloaded replaces `dest`: when `dest` is new, or differs and `force` is set."""
    if not os.path.exists(dest):
        return True
    if filecmp.cmp(downloaded, dest, shallow=False):
        return False
    if not force:
        module.warn(f"dest {dest} exists and differs from what the API returned now; it was left as it is. "
                    "Set force=true to replace it.")
        return False
    return True
