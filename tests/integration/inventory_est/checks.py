# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of run.sh: seed the emulator through the raw API, and check `ansible-inventory --list` output.

    checks.py seed -              reset the project; two trunks, six endpoints (see SEED)
    checks.py add-endpoint -      one more endpoint on acme-prod
    checks.py CASE FILE           assert CASE on the JSON in FILE; exit 1 with the reasons otherwise

Only the standard library: it talks to the emulator with urllib and Basic auth.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import urllib.request

URL = os.environ["EST_EMULATOR_URL"].rstrip("/")
PROJECT = os.environ.get("SINCH_PROJECT_ID", "demo-project")
AUTH = base64.b64encode(("%s:%s" % (os.environ.get("SINCH_KEY_ID", "demo-key"),
                                    os.environ.get("SINCH_KEY_SECRET", "demo-secret"))).encode()).decode()


def call(method, path, body=None, admin=False):
    url = URL + (path if admin else "/v1/projects/%s%s" % (PROJECT, path))
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if not admin:
        request.add_header("Authorization", "Basic " + AUTH)
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


def trunk_id(host_name):
    for trunk in call("GET", "/trunks")["trunks"]:
        if trunk["hostName"] == host_name:
            return trunk["id"]
    raise SystemExit("no trunk %s" % host_name)


def seed():
    call("POST", "/_emulator/reset", {"project": PROJECT}, admin=True)
    prod = call("POST", "/trunks", {"name": "ACME production", "hostName": "acme-prod"})["id"]
    lab = call("POST", "/trunks", {"name": "ACME lab", "hostName": "acme-lab"})["id"]
    credential_list = call("POST", "/credentialLists",
                           {"name": "pbx-users", "credentials": [{"username": "pbx01", "password": "Pbx-Passw0rd-1"}]})
    call("POST", "/trunks/%s/credentialLists" % prod, {"credentialListIds": [credential_list["id"]]})
    for endpoint in (
        {"name": "sbc-primary", "address": "198.51.100.10", "port": 5060, "transport": "UDP", "priority": 1},
        {"name": "sbc-backup", "address": "198.51.100.20", "port": 5061, "transport": "TCP", "priority": 2},
        {"name": "pbx", "isRegistered": True, "credentialUsername": "pbx01", "transport": "UDP", "priority": 3},
        {"name": "old-sbc", "address": "198.51.100.30", "port": 5060, "priority": 4, "enabled": False},
    ):
        call("POST", "/trunks/%s/endpoints" % prod, endpoint)
    # Two names that sanitize to the same host name: both get an id suffix.
    for endpoint in ({"name": "SBC 1", "address": "192.0.2.1", "priority": 1},
                     {"name": "sbc_1", "address": "192.0.2.2", "priority": 1}):
        call("POST", "/trunks/%s/endpoints" % lab, endpoint)


def add_endpoint():
    call("POST", "/trunks/%s/endpoints" % trunk_id("acme-prod"),
         {"name": "sbc-new", "address": "198.51.100.40", "priority": 5})


def plain_values(value):
    """ansible-core 2.19+ prints untrusted strings as {"__ansible_unsafe": "..."}; older cores print them bare."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return dict((key, plain_values(item)) for key, item in value.items())
    if isinstance(value, list):
        return [plain_values(item) for item in value]
    return value


def hosts_of(data, group):
    return set(data.get(group, {}).get("hosts", []))


def all_hosts(data):
    return set(data.get("_meta", {}).get("hostvars", {}))


def check_plain(data, problems):
    hostvars = data["_meta"]["hostvars"]
    prod = {"acme-prod_sbc-primary", "acme-prod_sbc-backup", "acme-prod_pbx", "acme-prod_old-sbc"}
    if hosts_of(data, "est_trunk_acme_prod") != prod:
        problems.append("est_trunk_acme_prod hosts: %s" % sorted(hosts_of(data, "est_trunk_acme_prod")))
    lab = hosts_of(data, "est_trunk_acme_lab")
    if len(lab) != 2 or not all(name.startswith("acme-lab_sbc_1_") for name in lab):
        problems.append("colliding endpoints must both get an id suffix: %s" % sorted(lab))
    for name in lab:
        suffix = name.rsplit("_", 1)[1]
        if not hostvars[name]["est_endpoint_id"].lower().endswith(suffix):
            problems.append("%s: suffix is not the end of its id %s" % (name, hostvars[name]["est_endpoint_id"]))
    primary = hostvars.get("acme-prod_sbc-primary", {})
    expected = {
        "est_endpoint_name": "sbc-primary", "est_address": "198.51.100.10", "est_port": 5060,
        "est_transport": "UDP", "est_priority": 1, "est_enabled": True, "est_is_registered": False,
        "est_trunk_host_name": "acme-prod", "est_trunk_name": "ACME production",
    }
    for key, value in expected.items():
        if primary.get(key) != value:
            problems.append("sbc-primary %s = %r, expected %r" % (key, primary.get(key), value))
    if not str(primary.get("est_trunk_domain", "")).startswith("acme-prod."):
        problems.append("est_trunk_domain = %r" % primary.get("est_trunk_domain"))
    if not primary.get("est_trunk_id") or not primary.get("est_endpoint_id"):
        problems.append("est_trunk_id / est_endpoint_id missing")
    if "est_credential_username" in primary:
        problems.append("a static endpoint must have no est_credential_username")
    pbx = hostvars.get("acme-prod_pbx", {})
    if pbx.get("est_is_registered") is not True or pbx.get("est_credential_username") != "pbx01" \
            or "est_address" in pbx or "est_port" in pbx:
        problems.append("registered endpoint vars: %r" % pbx)
    if hostvars.get("acme-prod_old-sbc", {}).get("est_enabled") is not False:
        problems.append("old-sbc must be est_enabled: false")
    with_host = [name for name, variables in hostvars.items() if "ansible_host" in variables]
    if with_host:
        problems.append("ansible_host must not be set by default: %s" % with_host)


def check_constructed(data, problems):
    hostvars = data["_meta"]["hostvars"]
    expected = {"acme-prod_sbc-primary", "acme-prod_sbc-backup", "acme-prod_pbx"}
    if all_hosts(data) != expected:
        problems.append("hosts (acme-prod only, no disabled): %s" % sorted(all_hosts(data)))
    if hostvars.get("acme-prod_sbc-primary", {}).get("ansible_host") != "198.51.100.10":
        problems.append("compose ansible_host: %r" % hostvars.get("acme-prod_sbc-primary", {}).get("ansible_host"))
    if "ansible_host" in hostvars.get("acme-prod_pbx", {}):
        problems.append("a registered endpoint has no address, so no composed ansible_host: %r"
                        % hostvars.get("acme-prod_pbx"))
    if hostvars.get("acme-prod_sbc-backup", {}).get("sbc_role") != "backup":
        problems.append("compose sbc_role: %r" % hostvars.get("acme-prod_sbc-backup"))
    if hosts_of(data, "est_primary") != {"acme-prod_sbc-primary"}:
        problems.append("groups est_primary: %s" % sorted(hosts_of(data, "est_primary")))
    if hosts_of(data, "est_registered") != {"acme-prod_pbx"}:
        problems.append("groups est_registered: %s" % sorted(hosts_of(data, "est_registered")))
    if hosts_of(data, "est_transport_tcp") != {"acme-prod_sbc-backup"}:
        problems.append("keyed_groups est_transport_tcp: %s" % sorted(hosts_of(data, "est_transport_tcp")))
    if hosts_of(data, "est_transport_udp") != {"acme-prod_sbc-primary", "acme-prod_pbx"}:
        problems.append("keyed_groups est_transport_udp: %s" % sorted(hosts_of(data, "est_transport_udp")))


def check_cached(data, problems, fresh):
    seen = "acme-prod_sbc-new" in all_hosts(data)
    if seen != fresh:
        where = "missing" if fresh else "unexpectedly present"
        problems.append("acme-prod_sbc-new %s in %s" % (where, sorted(all_hosts(data))))


def main(argv):
    case, path = argv[1], argv[2]
    if case == "seed":
        return seed()
    if case == "add-endpoint":
        return add_endpoint()
    with open(path, encoding="utf-8") as handle:
        data = plain_values(json.load(handle))
    problems = []
    if case == "plain":
        check_plain(data, problems)
    elif case == "constructed":
        check_constructed(data, problems)
    elif case in ("cached-stale", "cached-fresh"):
        check_cached(data, problems, fresh=case == "cached-fresh")
    else:
        raise SystemExit("unknown case %s" % case)
    for problem in problems:
        print("  - " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
