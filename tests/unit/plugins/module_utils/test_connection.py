# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The connection option table, the argument spec it makes, and the doc fragment that documents it."""

from __future__ import annotations

import yaml

from ansible_collections.sinch.est.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.sinch.est.plugins.module_utils._connection import (
    CONNECTION_DEFAULTS,
    CONNECTION_TABLE,
    connection_argument_spec,
    connection_values,
)

DOCUMENTED = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]


def test_the_doc_fragment_documents_exactly_the_options_of_the_table():
    assert list(DOCUMENTED) == [option.name for option in CONNECTION_TABLE]


def test_each_documented_option_has_the_type_default_and_choices_of_the_table():
    for option in CONNECTION_TABLE:
        documented = DOCUMENTED[option.name]
        assert documented["type"] == option.type, option.name
        assert documented.get("default") == option.default, option.name
        assert documented.get("required", False) == option.required, option.name
        assert tuple(documented.get("choices", ())) == (option.choices or ()), option.name


def test_each_documented_option_names_its_environment_variable():
    for option in CONNECTION_TABLE:
        assert f"E({option.env})" in " ".join(DOCUMENTED[option.name]["description"]), option.name


def test_the_argument_spec_carries_the_fallbacks_and_no_log_of_the_table():
    spec = connection_argument_spec()
    for option in CONNECTION_TABLE:
        assert spec[option.name]["fallback"][1] == [option.env]
        assert spec[option.name].get("no_log", False) == option.no_log


def test_unset_or_blank_options_take_their_defaults():
    given = {"project_id": "p1", "api_url": "", "timeout": None}
    values = connection_values(given.__getitem__)
    assert values["project_id"] == "p1"
    assert values["api_url"] == CONNECTION_DEFAULTS["api_url"]
    assert values["timeout"] == CONNECTION_DEFAULTS["timeout"]
    assert values["retries"] == CONNECTION_DEFAULTS["retries"]
