#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_call_export
short_description: Export Sinch Elastic SIP Trunking call records to a CSV file
version_added: 0.1.0
description:
  - Writes the call records of a Sinch Elastic SIP Trunking (EST) project that match every filter, as Sinch's
    CSV export (C(GET /calls/export)) produces them, to O(dest).
  - Takes the same filters as M(sinch.est.est_call_info); they are checked before any request.
  - The export is read page by page (C(page) and C(size), 500 rows a page, as the API pages it) - the header
    once, then every page's rows, until a page shorter than 500 rows (or empty). A server that does not page
    (one answer longer than a page) is taken whole; a page that repeats calls already read ends the reading.
  - The pages go to a temporary file that replaces O(dest) in one atomic move only once every page has been
    read, so O(dest) never holds a partial export; a page that fails, or a header that changes between
    pages, fails the task and leaves O(dest) as it was.
  - O(dest) is only replaced when its content differs from the new export, so C(changed) is true only when the
    file changed.
author:
  - sinch.est contributors (@sinch-est)
options:
  dest:
    description:
      - The file to write. Its directory must exist.
    type: path
    required: true
  force:
    description:
      - Replace O(dest) when it exists and holds something else than the new export.
      - With V(false) an existing O(dest) is left as it is (a warning says when the export differs), like
        M(ansible.builtin.get_url); an identical O(dest) is never rewritten either way.
    type: bool
    default: false
  mode:
    description:
      - The permissions of O(dest), as in M(ansible.builtin.file), for example V('0640').
      - Without it a new file gets the default permissions (umask) and an existing one keeps its own.
    type: raw
notes:
  - In check mode the export is still downloaded (a read) to a temporary file, so C(changed) predicts truthfully;
    O(dest) is not written.
  - The current API reference lists more export parameters (C(region), C(projectIds), C(fileName)); they are not
    sent.
extends_documentation_fragment:
  - sinch.est.call_filters
  - sinch.est.connection
  - sinch.est.attributes.actiongroup
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - The export is downloaded to a temporary file and compared with O(dest); O(dest) is not written.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
    details:
      - O(dest) is written on the host the task runs on.
seealso:
  - module: sinch.est.est_call_info
  - module: sinch.est.est_call_pcap
  - name: EST API reference for calls
    description: Sinch's reference of C(GET /calls/export).
    link: https://developers.sinch.com/docs/est/api-reference/est/calls/
"""

EXAMPLES = r"""
- name: Export February's calls of one trunk
  sinch.est.est_call_export:
    trunk: acme-prod
    create_time: "2024-02"
    dest: /var/reports/acme-prod-2024-02.csv
    mode: "0640"
  register: export

- name: Export the failed calls of the last 7 days, replacing the previous export
  sinch.est.est_call_export:
    call_result: [failed, busy]
    created_after: -7d
    dest: /var/reports/failed-last-week.csv
    force: true

- name: Show how many calls were exported
  ansible.builtin.debug:
    msg: "{{ export.rows }} calls in {{ export.dest }}"
"""

RETURN = r"""
dest:
  description: The absolute path of the file written.
  returned: always
  type: str
  sample: /var/reports/acme-prod-2024-02.csv
rows:
  description:
    - The number of calls (data rows, the header excluded) in O(dest) when the task ends (in check mode, as
      it would be). When O(dest) was kept because O(force=false), the rows of the file left in place.
  returned: always
  type: int
  sample: 1520
"""

import csv
import io
import os

from ansible_collections.sinch.est.plugins.module_utils._call_module import CallFilterModule
from ansible_collections.sinch.est.plugins.module_utils._calls import call_filter_argument_spec
from ansible_collections.sinch.est.plugins.module_utils._downloads import count_csv_rows, download_to_dest
from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._module import run_module


class CallExport(CallFilterModule):
    def run(self):
        query = dict(self.query, **self.trunk_query())
        dest = os.path.abspath(self.params["dest"])
        with self.step(f"Exporting calls to {dest}"):
            rows = download_to_dest(self, paths.CALLS_EXPORT, query, dest, self.params["force"], self.params["mode"],
                                    measure=count_csv_rows, fetch=lambda fileobj: self.write_pages(query, fileobj))
        self.exit(dest=dest, rows=rows)

    def write_pages(self, query, fileobj):
        """Every page of the export into `fileobj`: the header once, then each page's rows not written yet."""
        header, written = None, set()
        for page in self.export_pages(query):
            if header is None:
                header = page.header
                fileobj.write(page.body if page.body.endswith(b"\n") else page.body + b"\n")
            elif page.header != header:
                self.fail(f"page {page.number} of the export has another header than page 1 ({page.header} after "
                          f"{header}); dest was left as it was")
            else:
                append_rows(fileobj, page, [record for record in page.records if tuple(record) not in written])
            written.update(tuple(record) for record in page.records)


def append_rows(fileobj, page, new_records):
    """A later page's rows after its header: as sent, or, when calls that arrived meanwhile pushed rows of
    the previous page onto this one, only the rows not written yet."""
    if len(new_records) == len(page.records):
        if page.rows_bytes:
            fileobj.write(page.rows_bytes if page.rows_bytes.endswith(b"\n") else page.rows_bytes + b"\n")
        return
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n" if b"\r\n" in page.body else "\n").writerows(new_records)
    fileobj.write(text.getvalue().encode("utf-8"))


def main():
    spec = call_filter_argument_spec()
    spec.update(dest=dict(type="path", required=True), force=dict(type="bool", default=False), mode=dict(type="raw"))
    run_module(CallExport, spec)


if __name__ == "__main__":
    main()
