# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os

import pytest
import yaml

from ansible.errors import AnsibleError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.sinch.est.plugins.inventory import est as est_inventory
from ansible_collections.sinch.est.plugins.module_utils._client import EstClient
from ansible_collections.sinch.est.plugins.module_utils._connection import connection_argument_spec
from ansible_collections.sinch.est.plugins.inventory.est import (
    endpoint_host_vars,
    name_hosts,
    sanitize_group_name,
    sanitize_host_name,
    trunk_group_name,
)

PROD = {"id": "01TRUNKPROD0000000000000001", "hostName": "acme-prod", "name": "ACME production",
        "domain": "acme-prod.pstn.sinch.com"}
LAB = {"id": "01TRUNKLAB00000000000000002", "hostName": "Acme-Lab", "name": "Lab",
       "topLevelDomain": ".pstn.sinch.com"}
PRIMARY = {"id": "01ENDPOINT0000000000PRIMARY", "name": "sbc-primary", "address": "198.51.100.10", "port": 5060,
           "transport": "UDP", "priority": 1, "enabled": True}
BACKUP = {"id": "01ENDPOINT00000000000BACKUP", "name": "sbc-backup", "address": "198.51.100.20", "port": 5061,
          "transport": "TCP", "priority": 2, "enabled": False}
PBX = {"id": "01ENDPOINT0000000000000PBX1", "name": "pbx", "isRegistered": True, "credentialUsername": "pbx01",
       "transport": "UDP", "priority": 3, "enabled": True}


class FakeClient:
    """Answers `paginate` from a dict of path -> items; records the paths asked for."""

    project_id = "demo-project"

    def __init__(self, pages):
        self.pages = pages
        self.paths = []

    list_all = EstClient.list_all  # the real reader, over this fake's paginate

    def paginate(self, path, items_key, params=None, **kwargs):
        self.paths.append(path)
        return iter(self.pages[path])


@pytest.fixture(autouse=True)
def no_sinch_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("SINCH_"):
            monkeypatch.delenv(name)


def run_plugin(tmp_path, monkeypatch, config, pages, file_name="test.est.yml"):
    plugin = inventory_loader.get("sinch.est.est")
    assert plugin is not None, "the collection loader does not resolve sinch.est.est"
    client = FakeClient(pages)
    monkeypatch.setattr(est_inventory.InventoryModule, "_client", lambda self: client)
    source = tmp_path / file_name
    source.write_text("plugin: sinch.est.est\nproject_id: demo-project\n" + config)
    inventory = InventoryData()
    plugin.parse(inventory, DataLoader(), str(source), cache=False)
    return inventory, client


def host_names(named):
    return [entry[0] for entry in named]


def pages_for(*trunks_with_endpoints):
    pages = {"/trunks": [pair[0] for pair in trunks_with_endpoints]}
    for trunk, endpoints in trunks_with_endpoints:
        pages["/trunks/%s/endpoints" % trunk["id"]] = endpoints
    return pages


def test_host_name_is_trunk_and_endpoint_lower_case_with_odd_characters_replaced():
    assert sanitize_host_name("Acme-Lab_SBC 1 (old)") == "acme-lab_sbc_1_old"


def test_host_name_keeps_hyphens_and_dots():
    assert sanitize_host_name("acme-prod_sbc.primary") == "acme-prod_sbc.primary"


def test_group_name_has_only_letters_digits_and_underscores():
    assert trunk_group_name("Acme-Prod") == "est_trunk_acme_prod"
    assert sanitize_group_name("9-lives") == "_9_lives"


def test_unique_names_get_no_suffix():
    named = name_hosts([(PROD, PRIMARY), (PROD, BACKUP)])
    assert host_names(named) == ["acme-prod_sbc-primary", "acme-prod_sbc-backup"]


def test_colliding_names_all_get_the_end_of_their_endpoint_id():
    first = dict(PRIMARY, id="01AAAAAAAAAAAAAAAAAA11111111", name="SBC 1")
    second = dict(PRIMARY, id="01AAAAAAAAAAAAAAAAAA22222222", name="sbc_1")
    named = name_hosts([(LAB, first), (LAB, second)])
    assert host_names(named) == ["acme-lab_sbc_1_11111111", "acme-lab_sbc_1_22222222"]


def test_colliding_names_do_not_depend_on_the_order_of_the_answer():
    first = dict(PRIMARY, id="01AAAAAAAAAAAAAAAAAA11111111")
    second = dict(PRIMARY, id="01AAAAAAAAAAAAAAAAAA22222222")
    forward = sorted(host_names(name_hosts([(PROD, first), (PROD, second)])))
    backward = sorted(host_names(name_hosts([(PROD, second), (PROD, first)])))
    assert forward == backward


def test_ids_with_the_same_ending_fall_back_to_the_whole_id():
    first = dict(PRIMARY, id="01BBBBBBBBBBBBBBBBBBB1SAMEEND")
    second = dict(PRIMARY, id="01CCCCCCCCCCCCCCCCCCC1SAMEEND")
    names = host_names(name_hosts([(PROD, first), (PROD, second)]))
    assert len(set(names)) == 2


def test_static_endpoint_vars():
    assert endpoint_host_vars(PROD, PRIMARY) == {
        "est_endpoint_id": PRIMARY["id"],
        "est_endpoint_name": "sbc-primary",
        "est_address": "198.51.100.10",
        "est_port": 5060,
        "est_transport": "UDP",
        "est_priority": 1,
        "est_enabled": True,
        "est_is_registered": False,
        "est_trunk_id": PROD["id"],
        "est_trunk_host_name": "acme-prod",
        "est_trunk_name": "ACME production",
        "est_trunk_domain": "acme-prod.pstn.sinch.com",
    }


def test_registered_endpoint_has_a_user_name_and_no_address_or_port():
    host_vars = endpoint_host_vars(PROD, dict(PBX, port=5060))
    assert host_vars["est_is_registered"] is True
    assert host_vars["est_credential_username"] == "pbx01"
    assert "est_address" not in host_vars
    assert "est_port" not in host_vars


def test_trunk_domain_is_built_from_host_name_and_top_level_domain_when_missing():
    assert endpoint_host_vars(LAB, PRIMARY)["est_trunk_domain"] == "Acme-Lab.pstn.sinch.com"


def test_parse_adds_hosts_to_trunk_groups_without_ansible_host(tmp_path, monkeypatch):
    inventory = run_plugin(tmp_path, monkeypatch, "", pages_for((PROD, [PRIMARY, BACKUP, PBX]), (LAB, [])))[0]

    assert sorted(inventory.groups["est_trunk_acme_prod"].get_hosts(), key=str) == sorted(
        (inventory.get_host(name) for name in ("acme-prod_pbx", "acme-prod_sbc-backup", "acme-prod_sbc-primary")),
        key=str,
    )
    assert "est_trunk_acme_lab" in inventory.groups
    primary = inventory.get_host("acme-prod_sbc-primary").vars
    assert primary["est_priority"] == 1
    assert "ansible_host" not in primary


def test_parse_filters_trunks_by_host_name_in_any_case_and_skips_disabled(tmp_path, monkeypatch):
    config = "trunks: [ACME-PROD]\ninclude_disabled: false\n"
    inventory, client = run_plugin(tmp_path, monkeypatch, config,
                                   pages_for((PROD, [PRIMARY, BACKUP]), (LAB, [dict(PRIMARY, id="x")])))

    assert sorted(inventory.hosts) == ["acme-prod_sbc-primary"]
    assert "/trunks/%s/endpoints" % LAB["id"] not in client.paths


def test_parse_composes_vars_and_groups(tmp_path, monkeypatch):
    config = (
        "compose:\n  ansible_host: est_address\n"
        "groups:\n  est_primary: est_priority == 1\n"
        "keyed_groups:\n  - key: est_transport | lower\n    prefix: est_transport\n"
    )
    inventory = run_plugin(tmp_path, monkeypatch, config, pages_for((PROD, [PRIMARY, BACKUP, PBX])))[0]

    assert inventory.get_host("acme-prod_sbc-primary").vars["ansible_host"] == "198.51.100.10"
    assert "ansible_host" not in inventory.get_host("acme-prod_pbx").vars
    assert [host.name for host in inventory.groups["est_primary"].get_hosts()] == ["acme-prod_sbc-primary"]
    assert [host.name for host in inventory.groups["est_transport_tcp"].get_hosts()] == ["acme-prod_sbc-backup"]


def test_strict_compose_fails_on_a_variable_the_endpoint_lacks(tmp_path, monkeypatch):
    config = "strict: true\ncompose:\n  ansible_host: est_address\n"
    with pytest.raises(AnsibleError):
        run_plugin(tmp_path, monkeypatch, config, pages_for((PROD, [PBX])))


def test_only_files_named_est_yml_or_est_yaml_are_sources(tmp_path):
    plugin = inventory_loader.get("sinch.est.est")
    for name, accepted in (("prod.est.yml", True), ("est.yaml", True), ("inventory.yml", False),
                           ("est.yml.bak", False)):
        path = tmp_path / name
        path.write_text("plugin: sinch.est.est\n")
        assert plugin.verify_file(str(path)) is accepted, name


def test_missing_credentials_fail_the_source_naming_the_variables(tmp_path):
    plugin = inventory_loader.get("sinch.est.est")
    source = tmp_path / "nocreds.est.yml"
    source.write_text("plugin: sinch.est.est\nproject_id: demo-project\n")
    with pytest.raises(AnsibleError) as caught:
        plugin.parse(InventoryData(), DataLoader(), str(source), cache=False)
    assert "SINCH_KEY_ID" in str(caught.value)


def test_connection_options_read_the_same_environment_variables_as_the_modules():
    options = yaml.safe_load(est_inventory.DOCUMENTATION)["options"]
    for option, spec in connection_argument_spec().items():
        if option in ("numbers_api_url", "concurrency"):
            continue  # the inventory reads no phone numbers, and writes nothing
        assert [env["name"] for env in options[option]["env"]] == spec["fallback"][1], option
        assert options[option].get("default") == spec.get("default"), option
