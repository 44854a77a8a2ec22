# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""Which country an E.164 number calls, as country permissions see it.

Country permissions carry `countryDialingCodes` (`+44`, `+39 0549`); the longest code a number
starts with names its country. `+1` is shared by the North American Numbering Plan: a `+1` number
is the United States unless its area code belongs to another NANP country (Canada, the Caribbean,
the US territories with codes of their own), taken from the NANP administrator's list of area codes
by country (nationalnanpa.com, "Area codes by geographic location").
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional

NANP_AREA_CODES: Dict[str, str] = {
    "CA": "204 226 236 249 250 257 263 289 306 343 354 365 367 368 382 387 403 416 418 428 431 437 438 450 "
          "460 468 474 506 514 519 548 579 581 584 587 600 604 613 622 639 647 672 683 705 709 742 753 778 "
          "780 782 807 819 825 867 873 879 902 905 942",
    "AG": "268", "AI": "264", "AS": "684", "BB": "246", "BM": "441", "BS": "242", "DM": "767",
    "DO": "809 829 849", "GD": "473", "GU": "671", "JM": "658 876", "KN": "869", "KY": "345", "LC": "758",
    "MP": "670", "MS": "664", "PR": "787 939", "SX": "721", "TC": "649", "TT": "868", "VC": "784",
    "VG": "284", "VI": "340",
}

AREA_CODE_COUNTRY: Dict[str, str] = {area: iso for iso, areas in NANP_AREA_CODES.items() for area in areas.split()}


def nanp_country(number: str) -> str:
    """The ISO code of a `+1` number: US unless its area code is another NANP country's."""
    return AREA_CODE_COUNTRY.get(number[2:5], "US")


def dialing_codes(permission: dict) -> List[str]:
    """A country permission's dialing codes as digit prefixes with the plus ('+39 0549' -> '+390549')."""
    return ["+" + "".join(ch for ch in str(code) if ch.isdigit())
            for code in permission.get("countryDialingCodes") or [] if str(code).strip() not in ("", "*")]


def country_of(number: str, permissions: Iterable[dict]) -> Optional[str]:
    """The ISO code of the country a number calls, among these permissions; None when none matches."""
    if number.startswith("+1"):
        return nanp_country(number)
    best_code, best_iso = "", None
    for permission in permissions:
        for code in dialing_codes(permission):
            if number.startswith(code) and len(code) > len(best_code):
                best_code, best_iso = code, permission.get("isoCode")
    return best_iso
