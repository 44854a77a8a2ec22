"""The country permission catalogue seeded into every project."""
# pylint: disable=disallowed-name  # "_" is the throwaway name here (ansible-test reserves it)

DEFAULT_ENABLED = {"US", "CA"}


def _c(iso, name, continent, *codes):
    return {"isoCode": iso, "name": name, "continent": continent, "countryDialingCodes": list(codes)}


COUNTRIES = [
    _c("US", "United States", "North America", "+1"),
    _c("CA", "Canada", "North America", "+1"),
    _c("*", "International", "Worldwide", "*"),
    _c("MX", "Mexico", "North America", "+52"),
    _c("BR", "Brazil", "South America", "+55"),
    _c("GB", "United Kingdom", "Europe", "+44"),
    _c("DE", "Germany", "Europe", "+49"),
    _c("FR", "France", "Europe", "+33"),
    _c("ES", "Spain", "Europe", "+34"),
    _c("NL", "Netherlands", "Europe", "+31"),
    _c("SE", "Sweden", "Europe", "+46"),
    _c("SM", "San Marino", "Europe", "+378", "+39 0549"),
    _c("IN", "India", "Asia", "+91"),
    _c("JP", "Japan", "Asia", "+81"),
    _c("CN", "China", "Asia", "+86", "+852"),
    _c("AU", "Australia", "Oceania", "+61"),
    _c("ZA", "South Africa", "Africa", "+27"),
]

BY_ISO = {c["isoCode"]: c for c in COUNTRIES}

# E.164 dialing prefixes used to derive a number's country (longest first) and seeding formats.
NUMBER_PLANS = [
    # iso, country code, national significant number length, sample area prefixes
    ("US", "1", 10, ["212", "415", "617", "781", "312", "646"]),
    ("CA", "1", 10, ["416", "604", "514"]),
    ("GB", "44", 10, ["20", "161", "131"]),
    ("DE", "49", 10, ["30", "89", "40"]),
    ("SE", "46", 9, ["8", "31"]),
    ("FR", "33", 9, ["1", "4"]),
    ("NL", "31", 9, ["20", "10"]),
    ("ES", "34", 9, ["91", "93"]),
    ("BR", "55", 10, ["11", "21"]),
    ("AU", "61", 9, ["2", "3"]),
    ("IN", "91", 10, ["22", "80"]),
    ("JP", "81", 10, ["3", "6"]),
]

# `+1` is shared by the North American Numbering Plan: the same table as the collection's
# plugins/module_utils/_dialing.py (NANPA's area codes by country; a test keeps the two equal).
NANP_AREA_CODES = {
    "CA": "204 226 236 249 250 257 263 289 306 343 354 365 367 368 382 387 403 416 418 428 431 437 438 450 "
          "460 468 474 506 514 519 548 579 581 584 587 600 604 613 622 639 647 672 683 705 709 742 753 778 "
          "780 782 807 819 825 867 873 879 902 905 942",
    "AG": "268", "AI": "264", "AS": "684", "BB": "246", "BM": "441", "BS": "242", "DM": "767",
    "DO": "809 829 849", "GD": "473", "GU": "671", "JM": "658 876", "KN": "869", "KY": "345", "LC": "758",
    "MP": "670", "MS": "664", "PR": "787 939", "SX": "721", "TC": "649", "TT": "868", "VC": "784",
    "VG": "284", "VI": "340",
}
AREA_CODE_COUNTRY = {area: iso for iso, areas in NANP_AREA_CODES.items() for area in areas.split()}
_CC = sorted({(cc, iso) for iso, cc, _, _ in NUMBER_PLANS if iso != "CA"}, key=lambda t: -len(t[0]))
EXTRA_CC = [("27", "ZA"), ("52", "MX"), ("86", "CN"), ("378", "SM")]


def country_of(number):
    """ISO code of an E.164 number, '' when unknown."""
    digits = number.lstrip("+")
    if digits.startswith("1"):
        return AREA_CODE_COUNTRY.get(digits[1:4], "US")
    for cc, iso in sorted(_CC + EXTRA_CC, key=lambda t: -len(t[0])):
        if digits.startswith(cc):
            return iso
    return ""


# Numbers API number types, told from the prefix: the NANP toll-free codes and the mobile ranges of
# the seeded countries (everything the seed makes is geographic, so LOCAL).
NANP_TOLL_FREE = ("800", "833", "844", "855", "866", "877", "888")
MOBILE_PREFIXES = ("447", "4915", "4916", "4917", "467", "336", "337", "316", "346", "347", "614")


def number_type(number):
    """`MOBILE`, `LOCAL` or `TOLL_FREE` for an E.164 number."""
    digits = number.lstrip("+")
    if digits.startswith("1") and digits[1:4] in NANP_TOLL_FREE:
        return "TOLL_FREE"
    return "MOBILE" if digits.startswith(MOBILE_PREFIXES) else "LOCAL"
