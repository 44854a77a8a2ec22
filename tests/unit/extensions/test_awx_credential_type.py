# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The AWX credential type (extensions/awx/credential_type.yml) injects exactly the environment
variables the modules read as fallbacks (connection_argument_spec() in _client.py)."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from ansible_collections.sinch.est.plugins.module_utils._connection import connection_argument_spec

COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
CREDENTIAL_TYPE = os.path.join(COLLECTION_ROOT, "extensions", "awx", "credential_type.yml")
INJECTED_OPTIONS = ("project_id", "key_id", "key_secret", "auth_method", "api_url", "auth_url", "numbers_api_url")
FIELD_TEMPLATE = re.compile(r"^\{\{ (\w+) \}\}$")


@pytest.fixture(scope="module")
def credential_type():
    with open(CREDENTIAL_TYPE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def env_fallbacks():
    """option name -> the environment variable the modules fall back to."""
    fallbacks = {}
    for option, spec in connection_argument_spec().items():
        function, names = spec["fallback"]
        assert function.__name__ == "env_fallback"
        assert len(names) == 1
        fallbacks[option] = names[0]
    return fallbacks


def fields_by_id(credential_type):
    return dict((field["id"], field) for field in credential_type["inputs"]["fields"])


def test_every_injected_variable_is_the_env_fallback_of_the_field_it_injects(credential_type, env_fallbacks):
    for env_name, template in credential_type["injectors"]["env"].items():
        match = FIELD_TEMPLATE.match(template)
        assert match, "%s: the injector must be a plain {{ field }} template, got %r" % (env_name, template)
        assert env_fallbacks[match.group(1)] == env_name


def test_the_injected_variables_are_the_documented_set(credential_type, env_fallbacks):
    assert set(credential_type["injectors"]["env"]) == set(env_fallbacks[option] for option in INJECTED_OPTIONS)


def test_every_field_is_injected_and_named_like_its_module_option(credential_type, env_fallbacks):
    injected = set(FIELD_TEMPLATE.match(value).group(1) for value in credential_type["injectors"]["env"].values())
    assert set(fields_by_id(credential_type)) == injected
    assert injected <= set(env_fallbacks)


def test_the_key_secret_is_a_secret_field(credential_type):
    fields = fields_by_id(credential_type)
    assert fields["key_secret"].get("secret") is True
    assert [name for name, field in fields.items() if field.get("secret")] == ["key_secret"]


def test_project_and_key_are_required(credential_type):
    assert sorted(credential_type["inputs"]["required"]) == ["key_id", "key_secret", "project_id"]


def test_defaults_and_choices_match_the_modules(credential_type):
    spec = connection_argument_spec()
    for field_id, field in fields_by_id(credential_type).items():
        if "default" in field:
            assert field["default"] == spec[field_id]["default"], field_id
        if "choices" in field:
            assert field["choices"] == spec[field_id]["choices"], field_id


def test_it_is_a_cloud_credential_named_sinch_est(credential_type):
    assert credential_type["name"] == "Sinch EST"
    assert credential_type["kind"] == "cloud"
