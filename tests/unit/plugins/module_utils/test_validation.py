# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Input checks that run before any request: country codes and Sinch's password policy."""

from __future__ import annotations

import pycountry
import pytest

from ansible_collections.sinch.est.plugins.module_utils import _countries
from ansible_collections.sinch.est.plugins.module_utils._validation import check_iso_code, check_password


def test_the_country_list_is_the_iso_standard_as_pycountry_has_it():
    assert _countries.ALPHA_2 == {country.alpha_2 for country in pycountry.countries}
    assert _countries.ALPHA_3_TO_ALPHA_2 == {country.alpha_3: country.alpha_2 for country in pycountry.countries}


@pytest.mark.parametrize("code", ["US", "ca", "Gb", "SE", "XK"])
def test_assigned_codes_pass_in_any_case(code):
    assert check_iso_code("caller_country", code) is None


@pytest.mark.parametrize("code, hint", [("UK", "GB"), ("EL", "GR"), ("USA", "US"), ("gbr", "GB")])
def test_a_common_slip_fails_with_a_hint(code, hint):
    message = check_iso_code("caller_country", code)
    assert message.startswith(f"caller_country: {code!r} is not an ISO 3166-1 alpha-2 country code")
    assert message.endswith(f"did you mean {hint}?")


@pytest.mark.parametrize("code", ["XX", "QQ", "ZZ", "", "U", "1", None])
def test_unassigned_or_malformed_codes_fail(code):
    assert "is not an ISO 3166-1 alpha-2 country code" in check_iso_code("callee_country", code)


def test_star_means_all_countries_only_where_allowed():
    assert check_iso_code("iso_code", "*", star=True) is None
    assert "or '*'" in check_iso_code("iso_code", "**", star=True)
    assert check_iso_code("caller_country", "*") is not None


@pytest.mark.parametrize("password", ["Abcdefghijk1", "Pw-alice-secret-1", "ÅÄÖåäö-Pass-9"])
def test_passwords_meeting_the_policy_pass(password):
    assert check_password("credentials[0].password", "alice", password) is None


def test_a_password_breaking_several_rules_names_each_never_the_password():
    message = check_password("credentials[0].password", "alice", "short")
    assert "fewer than 12 characters" in message and "no upper-case letter" in message and "no digit" in message
    assert "short" not in message.replace("'alice'", "")
