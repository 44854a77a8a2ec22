# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.sinch.est.plugins.modules.est_country_permission import main
from ansible_collections.sinch.est.tests.unit.harness import FakeApi, run


class PermissionsApi(FakeApi):
    """GET /countryPermissions lists the per-country objects, as the API does."""

    codes = ("US", "CA", "*", "GB", "DE")

    def __init__(self, enabled=("US", "CA")):
        super().__init__()
        for code in self.codes:
            self.objects[f"/countryPermissions/{code}"] = {"isoCode": code, "name": code, "enabled": code in enabled}

    def get(self, path, params=None, api="est"):
        if path == "/countryPermissions":
            self.requests.append(("GET", path, params))
            return {"countryPermissions": [dict(self.objects[f"/countryPermissions/{code}"]) for code in self.codes]}
        return super().get(path, params, api)

    def put(self, path, body=None, api="est"):
        path = path.replace("%2A", "*")  # path_segment escapes '*'
        self.requests.append(("PUT", path, body))
        self.objects[path].update(body)
        return dict(self.objects[path])

    def enabled(self):
        return {code for code in self.codes if self.objects[f"/countryPermissions/{code}"]["enabled"]}


@pytest.fixture
def api():
    return PermissionsApi()


def test_enabling_one_country_sends_one_put(api):
    result = run(main, api, {"iso_code": "gb", "enabled": True})
    assert result["changed"] is True
    assert api.writes == [("PUT", "/countryPermissions/GB", {"enabled": True})]
    assert api.enabled() == {"US", "CA", "GB"}


def test_country_already_in_the_wanted_state_is_not_changed(api):
    result = run(main, api, {"iso_code": "US", "enabled": True})
    assert result["changed"] is False
    assert api.writes == []


def test_result_always_lists_every_permission(api):
    result = run(main, api, {"iso_code": "US", "enabled": True})
    assert [item["iso_code"] for item in result["country_permissions"]] == list(PermissionsApi.codes)


def test_star_is_a_country_code(api):
    result = run(main, api, {"iso_code": "*", "enabled": True})
    assert result["changed"] is True
    assert "*" in api.enabled()


def test_unknown_country_fails_naming_it_before_any_write(api):
    result = run(main, api, {"iso_code": "SE", "enabled": True})
    assert result["failed"] is True
    assert "iso_code: SE" in result["msg"]
    assert api.writes == []


def test_malformed_iso_code_fails_before_any_request(api):
    result = run(main, api, {"iso_code": "USA", "enabled": True})
    assert result["failed"] is True
    assert "iso_code" in result["msg"]
    assert api.requests == []


def test_enabled_countries_enables_listed_and_disables_the_rest(api):
    result = run(main, api, {"enabled_countries": ["gb", "US"]})
    assert result["changed"] is True
    assert api.enabled() == {"US", "GB"}


def test_enabled_countries_enables_before_it_disables(api):
    run(main, api, {"enabled_countries": ["GB", "DE"]})
    assert [body["enabled"] for _method, _path, body in api.writes] == [True, True, False, False]


def test_enabled_countries_matching_the_server_is_not_changed(api):
    result = run(main, api, {"enabled_countries": ["ca", "us"]})
    assert result["changed"] is False
    assert api.writes == []


def test_empty_enabled_countries_disables_every_country(api):
    run(main, api, {"enabled_countries": []})
    assert api.enabled() == set()


def test_enabled_countries_with_an_unknown_code_changes_nothing(api):
    result = run(main, api, {"enabled_countries": ["GB", "SE"]})
    assert result["failed"] is True
    assert "enabled_countries: SE" in result["msg"]
    assert api.writes == []


def test_check_mode_predicts_without_writing(api):
    result = run(main, api, {"enabled_countries": ["GB"]}, check_mode=True, diff=True)
    assert result["changed"] is True
    assert api.writes == []
    assert {item["iso_code"] for item in result["country_permissions"] if item["enabled"]} == {"GB"}


def test_diff_maps_each_country_to_enabled(api):
    result = run(main, api, {"iso_code": "CA", "enabled": False}, diff=True)
    assert result["diff"]["before"]["CA"] is True
    assert result["diff"]["after"]["CA"] is False
    assert result["diff"]["after"]["US"] is True


def test_iso_code_and_enabled_countries_are_mutually_exclusive(api):
    result = run(main, api, {"iso_code": "US", "enabled": True, "enabled_countries": ["US"]})
    assert result["failed"] is True
    assert "mutually exclusive" in result["msg"]
