"""The edge and est_trunk_check must tell a number's country the same way (the +1 rule, the `*` permission)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from est_emulator import countries
from est_emulator.sip import policy

DIALING = Path(__file__).resolve().parents[3] / "plugins" / "module_utils" / "_dialing.py"


def load_dialing():
    spec = importlib.util.spec_from_file_location("est_dialing", DIALING)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not DIALING.exists(), reason="outside a checkout of the collection")
def test_nanp_table_is_the_collections():
    assert countries.AREA_CODE_COUNTRY == load_dialing().AREA_CODE_COUNTRY


@pytest.mark.parametrize("number, iso", [("+14155550100", "US"), ("+14165550100", "CA"), ("+18765550100", "JM"),
                                         ("+17875550100", "PR"), ("+19425550100", "CA"), ("+442071234567", "GB")])
def test_country_of_a_number(number, iso):
    assert countries.country_of(number) == iso


@pytest.mark.parametrize("permissions, allowed", [({"US": True, "*": False}, False), ({"US": True, "*": True}, True),
                                                  ({"JM": False, "*": True}, False), ({"JM": True, "*": False}, True)])
def test_a_country_without_its_own_permission_follows_the_international_one(permissions, allowed):
    facts = policy.OutboundFacts(**{**FACTS, "countries": permissions})
    verdict = policy.destination(facts)
    assert (verdict is None) is allowed
    if not allowed:
        assert verdict.code == 403


FACTS = {"trunk": None, "request_host": "", "from_host": "", "source": "127.0.0.1", "auth": None, "answer": None,
         "failures": 0, "callee": "+18765550100", "caller": "+14155550100", "rules": ()}
