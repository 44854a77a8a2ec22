"""Bad input: every case fails with a message naming the option, and nothing is written.

One playbook runs every case (ignore_errors) and saves the results; the emulator's request log
then shows whether anything but reads reached the server.
"""

from __future__ import annotations

import json

import pytest

from conftest import run_playbook, write_playbook

# (module, arguments, a word the failure message must contain: the option's name)
CASES = [
    ("est_trunk", {"host_name": "bad name"}, "host_name"),
    ("est_trunk", {"host_name": "acme.prod"}, "host_name"),
    ("est_trunk", {"host_name": "acme", "call_forward_number": "4155550100"}, "call_forward_number"),
    ("est_trunk", {"host_name": "acme", "enable_call_forward": True}, "call_forward_number"),
    ("est_trunk", {"host_name": "acme", "enable_caller_name": "maybe"}, "enable_caller_name"),
    ("est_trunk", {"id": "01ZZZZZZZZZZZZZZZZZZZZZZZZ", "name": "ghost"}, "id"),
    ("est_trunk", {"host_name": "acme", "state": "gone"}, "state"),
    ("est_endpoint", {"trunk": "it-base", "name": "e", "address": "300.1.1.1", "priority": 1}, "address"),
    ("est_endpoint", {"trunk": "it-base", "name": "e", "address": "bad_host!", "priority": 1}, "address"),
    ("est_endpoint", {"trunk": "it-base", "name": "e", "address": "198.51.100.1", "port": 0, "priority": 1}, "port"),
    ("est_endpoint", {"trunk": "it-base", "name": "e", "address": "198.51.100.1", "port": 70000, "priority": 1}, "port"),
    ("est_endpoint", {"trunk": "it-base", "name": "e", "address": "198.51.100.1", "port": "sip", "priority": 1}, "port"),
    ("est_endpoint", {"trunk": "it-base", "name": "e", "address": "198.51.100.1", "priority": 0}, "priority"),
    ("est_endpoint", {"trunk": "it-base", "name": "e", "address": "198.51.100.1", "priority": 1, "transport": "SCTP"}, "transport"),
    ("est_endpoint", {"trunk": "no-such-trunk", "name": "e", "address": "198.51.100.1", "priority": 1}, "trunk"),
    ("est_endpoint", {"trunk": "it-base", "name": "e", "address": "198.51.100.1", "credential_username": "u", "priority": 1},
     "address"),
    ("est_acl", {"name": "a", "ip_ranges": [{"cidr": "10.0.0.0/33"}]}, "ip_ranges"),
    ("est_acl", {"name": "a", "ip_ranges": [{"cidr": "10.0.0.256/24"}]}, "ip_ranges"),
    ("est_acl", {"name": "a", "ip_ranges": [{"ip_address": "fe80::1"}]}, "ip_ranges"),
    ("est_acl", {"name": "a", "ip_ranges": [{"ip_address": "10.0.0.1", "range": 40}]}, "range"),
    ("est_acl", {"name": "a", "ip_ranges": [{"cidr": "10.0.0.0/24"}, {"cidr": "10.0.0.0/24"}]}, "ip_ranges"),
    ("est_acl", {"name": "a", "ip_ranges": [{"cidr": "10.0.0.0/24", "ip_address": "10.0.0.0"}]}, "ip_ranges"),
    ("est_ip_range", {"acl": "no-such-acl", "cidr": "10.0.0.0/24"}, "acl"),
    ("est_ip_range", {"acl": "it-acl", "cidr": "10.0.0/24"}, "cidr"),
    ("est_trunk_acls", {"trunk": "it-base", "acls": ["no-such-acl"]}, "acls"),
    ("est_trunk_acls", {"trunk": "no-such-trunk", "acls": ["it-acl"]}, "trunk"),
    ("est_trunk_credential_lists", {"trunk": "it-base", "credential_lists": ["no-such-list"]}, "credential_lists"),
    ("est_credential_list", {"name": "c", "credentials": [{"username": "u"}]}, "password"),
    ("est_credential_list", {"name": "c", "credentials": [{"username": "u", "password": "Long-Password-1"}], "update_password": "sometimes"},
     "update_password"),
    ("est_country_permission", {"iso_code": "USA", "enabled": True}, "iso_code"),
    ("est_country_permission", {"iso_code": "1", "enabled": True}, "iso_code"),
    ("est_country_permission", {"enabled_countries": ["US", "XX"]}, "enabled_countries"),
    ("est_country_permission", {"iso_code": "US", "enabled": True, "enabled_countries": ["US"]}, "enabled_countries"),
    ("est_call_blocking_rule", {"name": "r", "direction": "SIDEWAYS"}, "direction"),
    ("est_call_blocking_rule", {"name": "r", "direction": "INBOUND", "caller_country": "USA"}, "caller_country"),
    ("est_call_blocking_rule", {"name": "r", "direction": "INBOUND", "callee_match": "abc"}, "callee_match"),
    ("est_call_blocking_rule", {"direction": "INBOUND"}, "name"),
    ("est_phone_number", {"phone_number": "12345", "trunk": "it-base"}, "phone_number"),
    ("est_phone_number", {"phone_numbers": ["+14155550100", "+1"], "trunk": "it-base"}, "phone_numbers"),
    ("est_phone_number", {"phone_number": "+14155550100", "trunk": "no-such-trunk"}, "trunk"),
    ("est_phone_number", {"phone_number": "+19995550123", "trunk": "it-base"}, "+19995550123"),
    ("est_call_info", {"created_after": "yesterday"}, "created_after"),
    ("est_call_info", {"create_time": "2024-13"}, "create_time"),
    ("est_call_info", {"call_result": ["WON"]}, "call_result"),
    ("est_call_info", {"direction": ["UP"]}, "direction"),
    ("est_call_info", {"max_items": -1}, "max_items"),
    ("est_call_info", {"from_country_code": "USA"}, "from_country_code"),
    ("est_phone_number_info", {"phone_number": "abc"}, "phone_number"),
    ("est_call_pcap", {"dest": "/tmp/never.pcap"}, "pcap_id"),
    ("est_call_pcap", {"pcap_id": "p", "direction": "UP", "dest": "/tmp/never.pcap"}, "direction"),
    # issue 21: what used to reach the API (or be created) unchecked
    ("est_trunk", {"host_name": "-acme"}, "host_name"),
    ("est_trunk", {"host_name": "acme-"}, "host_name"),
    ("est_trunk", {"host_name": "a" * 64}, "host_name"),
    ("est_trunk", {"host_name": "a" * 5000}, "host_name"),
    ("est_trunk", {"host_name": "acme", "name": ""}, "name"),
    ("est_acl", {"name": "", "ip_ranges": [{"cidr": "192.0.2.0/24"}]}, "name"),
    ("est_acl", {"name": "a", "ip_ranges": [{"cidr": "0.0.0.0/0"}]}, "ip_ranges[0].range"),
    ("est_acl", {"name": "a", "ip_ranges": ["192.0.2.0/24"]}, "{ip_address: 192.0.2.0, range: 24}"),
    ("est_ip_range", {"acl": "it-acl", "cidr": "0.0.0.0/0"}, "range"),
    ("est_endpoint", {"trunk": "it-base", "name": "", "address": "192.0.2.10", "priority": 1}, "name"),
    ("est_call_blocking_rule", {"name": "", "direction": "INBOUND", "caller_match": "+1900"}, "name"),
    ("est_call_blocking_rule", {"name": "only-direction", "direction": "OUTBOUND"}, "callee_match"),
]


def test_the_table_is_wide_enough():
    assert len(CASES) >= 40
    assert len({module for module, _, _ in CASES}) >= 12


@pytest.fixture(scope="module")
def outcomes(emulator, tmp_path_factory):
    emulator.reset()
    emulator.seed_site_numbers()
    setup = [
        {"name": "Trunk the cases refer to", "sinch.est.est_trunk": {"host_name": "it-base"}},
        {"name": "ACL the cases refer to", "sinch.est.est_acl": {"name": "it-acl", "ip_ranges": [{"cidr": "192.0.2.0/24"}]}},
    ]
    tmp = tmp_path_factory.mktemp("bad-input")
    run = run_playbook(emulator, write_playbook(tmp / "setup.json", setup))
    assert run.rc == 0, run
    emulator.admin("DELETE", "/requests")
    tasks = [{"name": f"case {index}", f"sinch.est.{module}": args, "register": f"case_{index}", "ignore_errors": True}
             for index, (module, args, _) in enumerate(CASES)]
    results = {f"case_{index}": f"{{{{ case_{index} }}}}" for index in range(len(CASES))}
    tasks.append({"name": "Save the outcomes", "ansible.builtin.copy": {
        "content": "{{ outcomes | to_json }}", "dest": str(tmp / "outcomes.json"), "mode": "0600"}, "vars": {"outcomes": results}})
    run = run_playbook(emulator, write_playbook(tmp / "cases.json", tasks))
    assert run.rc == 0, run
    return json.loads((tmp / "outcomes.json").read_text()), emulator.requests_log()


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{m}-{w}-{i}" for i, (m, _, w) in enumerate(CASES)])
def test_bad_input_fails_naming_the_option(outcomes, index):
    results, _ = outcomes
    module, args, word = CASES[index]
    result = results[f"case_{index}"]
    assert result.get("failed") is True, f"{module} {args} did not fail: {result}"
    assert word in result.get("msg", ""), f"{module} {args}: {result.get('msg')}"


def test_no_bad_input_reached_the_server_as_a_write(outcomes):
    _, log = outcomes
    writes = [r for r in log if r["method"] != "GET" and r["path"] != "/oauth2/token"]
    assert writes == []
