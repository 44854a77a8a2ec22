# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The GET /calls filters shared by est_call_info and est_call_export
    # (plugins/module_utils/_calls.py, call_filter_argument_spec()).
    DOCUMENTATION = r"""
options:
  from_number:
    description:
      - Only calls whose caller number starts with this prefix, for example V(+1415) or V(+46).
      - An optional C(+) and 1 to 15 digits. Sent as the API's C(from) filter.
    type: str
  to_number:
    description:
      - Only calls whose called number starts with this prefix. Sent as the API's C(to) filter.
    type: str
  trunk:
    description:
      - Only calls through this trunk, given by id or host name (an exact id match wins). Sent as C(trunkId).
      - A value that is no current trunk is sent as a trunk id as it is, so the calls of a trunk that has
        since been deleted can still be found by its id.
    type: str
  call_result:
    description:
      - Only calls with one of these results. Any case; a single string or a comma-separated string is
        accepted. Sent upper case and comma-separated as C(callResult).
      - V(COMPLETED) is an answered call; V(CANCEL) is a call the caller hung up before it was answered.
    type: list
    elements: str
  direction:
    description:
      - Only calls in these directions, V(INBOUND) (someone called your Sinch number) or V(OUTBOUND)
        (your SIP device called out). Any case; sent upper case and comma-separated.
    type: list
    elements: str
  from_country_code:
    description:
      - Only calls from numbers of this country (two-letter ISO 3166-1 code, any case). Sent as C(fromCountryCode).
      - The older API reference lists this filter on C(GET /calls); the current one only on the CSV export.
        M(sinch.est.est_call_info) therefore reads the export with it and keeps only the calls whose own
        country column matches, so the result holds whatever the server does with the filter.
    type: str
  to_country_code:
    description:
      - Only calls to numbers of this country (two-letter ISO 3166-1 code, any case). Sent as C(toCountryCode).
      - Checked against the export's rows by M(sinch.est.est_call_info), as O(from_country_code) is.
    type: str
  emergency_only:
    description:
      - V(true) returns only emergency calls (sent as C(emergencyOnly=true)).
      - V(false) does not filter on emergency calls at all (nothing is sent; the API reads C(false) as all calls).
      - Checked against the export's rows by M(sinch.est.est_call_info), as O(from_country_code) is.
    type: bool
    default: false
  create_time:
    description:
      - Only calls created in this year, month, day or hour (UTC), for example V(2024), V(2024-02),
        V(2024-02-01) or V(2024-02-01T08). Sent as C(createTime).
      - Combines with O(created_after) and O(created_before); a call must match all of them.
    type: str
  created_after:
    description:
      - Only calls created at or after this time, in UTC.
      - An ISO 8601 date (V(2024-02-01), from the start of that day), a date-time (V(2024-02-01T08:30:00Z),
        V(2024-02-01T09:30:00+01:00); without a zone it is UTC), or a time relative to now such as
        V(-7d), V(-12h) or V(-30m).
      - Date-times are sent in UTC to the second as the query key C(createTime>) (the API's C(createTime>=)).
      - Without any of O(create_time), O(created_after) and O(created_before) the API returns the calls of
        the last 24 hours only.
    type: str
  created_before:
    description:
      - Only calls created at or before this time, in UTC; same forms as O(created_after).
      - A date includes that whole day, a date-time that whole second (the API's C(createTime<=)).
      - Sent as the query key C(createTime<).
    type: str
"""
