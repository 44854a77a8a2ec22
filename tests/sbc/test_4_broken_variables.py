"""A broken variable fails the role before anything is installed, naming the variable."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("variable, value, named", [
    ("kamailio_listen", "127.0.0.300:5060", "kamailio_listen: "),
    ("kamailio_sinch_edge", ["127.0.0.1:5080", "edge:"], "kamailio_sinch_edge: "),
    ("kamailio_trunk", "no-such-trunk", "kamailio_trunk: no trunk with host name or id"),
])
def test_a_broken_variable_fails_before_anything_is_installed(sbc, variable, value, named):
    kamailio = sbc.kamailio(f"broken-{variable}")
    variables = dict(kamailio.role_vars("sbc-acl", [sbc.edge]), **{variable: value})
    run = sbc.playbook("kamailio.yml", variables)
    assert run.rc != 0 and named in run.output, run
    assert not kamailio.config_dir.exists()
