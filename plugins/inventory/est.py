# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: est
author: sinch.est contributors (@sinch-est)
short_description: Sinch Elastic SIP Trunking endpoints as inventory hosts
version_added: 0.1.0
description:
  - Reads every SIP trunk of a Sinch Elastic SIP Trunking (EST) project and makes each SIP endpoint of
    each trunk an inventory host, so SBC configuration can be driven from what EST knows (for example
    every SBC that EST sends calls to, with its address, port, transport and priority).
  - A host is named C(<trunk host name>_<endpoint name>), lower case, with every character other than
    letters, digits, C(-), C(_) and C(.) replaced by C(_). Endpoint names are not unique on the server;
    when two endpoints give the same host name, each of them gets C(_<the last 8 characters of its id>)
    appended, so no endpoint hides another and the names do not depend on the order the API answers in.
  - Each host is in the group C(est_trunk_<trunk host name>) (lower case, C(-) and other characters
    that are not letters, digits or C(_) replaced by C(_)).
  - Host variables (all prefixed C(est_)) are C(est_endpoint_id), C(est_endpoint_name), C(est_address),
    C(est_port), C(est_transport), C(est_priority), C(est_enabled), C(est_is_registered),
    C(est_credential_username), C(est_trunk_id), C(est_trunk_host_name), C(est_trunk_name) and
    C(est_trunk_domain). A variable the endpoint has no value for is not set (C(est_address) and
    C(est_port) of a registered endpoint, C(est_credential_username) of a static one), so
    composing C(ansible_host) from C(est_address) skips registered endpoints unless O(strict=true).
  - The values come from the API and are marked unsafe (never templated), so an endpoint named
    C({{ ... }}) stays text; C(ansible-inventory --list) shows each such string wrapped in C(__ansible_unsafe).
  - C(ansible_host) is not set, because the SIP address EST sends calls to is rarely the address an SBC is
    managed on. Set it with O(compose) when it is (see the examples).
  - The inventory source file name must end with C(est.yml) or C(est.yaml).
  - The plugin reads from the API only; it never changes anything.
extends_documentation_fragment:
  - constructed
  - inventory_cache
requirements:
  - requests >= 2.25 (on the controller, or in the execution environment)
options:
  plugin:
    description: The name of this plugin; it makes the file an inventory source of this plugin.
    type: str
    required: true
    choices: [sinch.est.est]
  trunks:
    description:
      - Only the endpoints of these trunks, by host name (case does not matter). The default is every trunk
        of the project.
      - A host name that matches no trunk is a warning, not an error.
    type: list
    elements: str
    default: []
  include_disabled:
    description:
      - Whether endpoints with C(enabled=false) become hosts too. Use C(est_enabled) in O(groups) or
        O(keyed_groups) to tell them apart.
    type: bool
    default: true
  project_id:
    description:
      - The Sinch project that owns the trunks.
    type: str
    required: true
    env:
      - name: SINCH_PROJECT_ID
  key_id:
    description:
      - The ID of a Sinch access key of the project. Required unless O(access_token) is set.
    type: str
    env:
      - name: SINCH_KEY_ID
  key_secret:
    description:
      - The secret of the access key named by O(key_id). Required unless O(access_token) is set.
      - Keep it out of the inventory file; the environment (or an AWX credential) is the place for it.
    type: str
    env:
      - name: SINCH_KEY_SECRET
  access_token:
    description:
      - An OAuth2 access token to send instead of fetching one with O(key_id) and O(key_secret).
    type: str
    env:
      - name: SINCH_ACCESS_TOKEN
  auth_method:
    description:
      - V(oauth2) fetches one short-lived token with O(key_id) and O(key_secret) for the whole inventory run.
      - V(basic) sends the key with every request. Sinch documents Basic authentication as for testing only
        and rate limits it heavily, so the plugin warns when it is used.
    type: str
    choices: [oauth2, basic]
    default: oauth2
    env:
      - name: SINCH_AUTH_METHOD
  api_url:
    description:
      - Base URL of the Elastic SIP Trunking API, without C(/v1/projects/...); for example the EST emulator's
        V(http://127.0.0.1:8765).
      - Plain C(http://) is accepted only for loopback hosts unless O(allow_insecure_http=true).
    type: str
    default: https://elastic-trunking.api.sinch.com
    env:
      - name: SINCH_EST_API_URL
  auth_url:
    description:
      - Base URL of the Sinch OAuth2 service; tokens are requested from C({auth_url}/oauth2/token).
    type: str
    default: https://auth.sinch.com
    env:
      - name: SINCH_AUTH_URL
  validate_certs:
    description:
      - Whether to check the TLS certificates of O(api_url) and O(auth_url). V(false) wins over O(ca_path).
    type: bool
    default: true
    env:
      - name: SINCH_VALIDATE_CERTS
  ca_path:
    description:
      - A PEM file (or C(c_rehash) directory) of CA certificates to check the servers against.
    type: path
    env:
      - name: SINCH_CA_PATH
  allow_insecure_http:
    description:
      - Allow plain C(http://) URLs to hosts other than loopback. Credentials then cross the network unencrypted.
    type: bool
    default: false
    env:
      - name: SINCH_ALLOW_INSECURE_HTTP
  timeout:
    description:
      - Seconds to wait for each HTTP request.
    type: float
    default: 30
    env:
      - name: SINCH_API_TIMEOUT
  retries:
    description:
      - How many times a request is repeated after a rate limit (HTTP 429), a temporary server error
        (HTTP 502, 503, 504), a timeout or a connection error.
    type: int
    default: 5
    env:
      - name: SINCH_API_RETRIES
  retry_deadline:
    description:
      - Seconds from the first attempt of a request after which it is not repeated any more.
    type: float
    default: 120
    env:
      - name: SINCH_API_RETRY_DEADLINE
notes:
  - The connection options take the same environment variables as the modules' connection options, so
    one set of C(SINCH_*) variables (or one AWX credential of the C(Sinch EST) type) serves the
    inventory source and the playbooks alike.
  - With O(cache=true) the trunks and endpoints are kept in the inventory cache, keyed by the inventory
    file; use C(ansible-inventory --flush-cache) (or O(cache_timeout)) after changing endpoints.
seealso:
  - module: sinch.est.est_endpoint
  - module: sinch.est.est_endpoint_info
"""

EXAMPLES = r"""
# production.est.yml -- one trunk, hosts reachable on their SIP address, grouped by transport
# and priority, enabled endpoints in their own group. The connection comes from SINCH_PROJECT_ID,
# SINCH_KEY_ID and SINCH_KEY_SECRET.
plugin: sinch.est.est
trunks:
  - acme-prod
compose:
  # static endpoints only: a registered endpoint has no est_address, and strict is false
  ansible_host: est_address
keyed_groups:
  - key: est_transport | lower
    prefix: est_transport
  - key: est_priority
    prefix: est_priority
groups:
  est_primary: est_priority == 1 and est_enabled
  est_registered: est_is_registered

# The smallest file (sbcs.est.yml) is one line:
#   plugin: sinch.est.est
#
# emulator.est.yml -- the local EST emulator (make emulator), cached for an hour:
#   plugin: sinch.est.est
#   project_id: demo-project
#   key_id: demo-key
#   api_url: http://127.0.0.1:8765
#   auth_url: http://127.0.0.1:8765
#   cache: true
#   cache_plugin: ansible.builtin.jsonfile
#   cache_connection: /tmp/sinch-est-inventory-cache
#   cache_timeout: 3600
"""

import re

from ansible.errors import AnsibleParserError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.display import Display

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, client_from_options
from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError, EstConfigError

display = Display()

TRUNK_GROUP_PREFIX = "est_trunk_"
ID_SUFFIX_LENGTH = 8
_INVALID_HOST_CHARS = re.compile(r"[^a-z0-9_.-]+")
_INVALID_GROUP_CHARS = re.compile(r"[^a-z0-9_]+")


def sanitize_host_name(text):
    """An inventory host name: lower case; letters, digits, `-`, `_` and `.` kept, runs of others -> `_`."""
    return _INVALID_HOST_CHARS.sub("_", str(text or "").strip().lower()).strip("_") or "unnamed"


def sanitize_group_name(text):
    """A group name Ansible accepts without a warning: lower case letters, digits and `_`."""
    name = _INVALID_GROUP_CHARS.sub("_", str(text or "").strip().lower()).strip("_") or "unnamed"
    return name if not name[0].isdigit() else "_" + name


def trunk_group_name(trunk_host_name):
    return sanitize_group_name(TRUNK_GROUP_PREFIX + str(trunk_host_name or ""))


def endpoint_host_vars(trunk, endpoint):
    """The `est_*` host variables of one endpoint of one trunk (API objects, camelCase keys)."""
    registered = bool(endpoint.get("isRegistered")) or bool(endpoint.get("credentialUsername"))
    host_vars = {
        "est_endpoint_id": endpoint.get("id"),
        "est_endpoint_name": endpoint.get("name"),
        "est_address": endpoint.get("address") or None,
        "est_port": endpoint.get("port") if not registered else None,
        "est_transport": endpoint.get("transport") or "UDP",
        "est_priority": endpoint.get("priority"),
        "est_enabled": endpoint.get("enabled", True) is not False,
        "est_is_registered": registered,
        "est_credential_username": endpoint.get("credentialUsername") or None,
        "est_trunk_id": trunk.get("id"),
        "est_trunk_host_name": trunk.get("hostName"),
        "est_trunk_name": trunk.get("name"),
        "est_trunk_domain": trunk.get("domain")
        or ((trunk.get("hostName") or "") + (trunk.get("topLevelDomain") or "")) or None,
    }
    return dict((key, value) for key, value in host_vars.items() if value is not None)


def _id_suffix(endpoint_id):
    cleaned = sanitize_host_name(endpoint_id)
    return cleaned[-ID_SUFFIX_LENGTH:]


def name_hosts(pairs):
    """[(host name, trunk, endpoint)] for [(trunk, endpoint)], every host name unique.

    Endpoints whose plain names collide all get their id suffix (not just the second one), so a
    name never depends on the order of the API's answer; a collision that survives the suffix gets
    the whole id.
    """
    plain = [sanitize_host_name("%s_%s" % (trunk.get("hostName"), endpoint.get("name"))) for trunk, endpoint in pairs]
    counts = {}
    for name in plain:
        counts[name] = counts.get(name, 0) + 1
    named = []
    taken = set(name for name in plain if counts[name] == 1)
    for base, (trunk, endpoint) in zip(plain, pairs):
        name = base
        if counts[base] > 1:
            name = "%s_%s" % (base, _id_suffix(endpoint.get("id")))
            if name in taken:
                name = "%s_%s" % (base, sanitize_host_name(endpoint.get("id")))
            number = 2
            while name in taken:
                # Two endpoints with one id cannot come from one project; keep them apart anyway.
                name = "%s_%s_%d" % (base, sanitize_host_name(endpoint.get("id")), number)
                number += 1
        taken.add(name)
        named.append((name, trunk, endpoint))
    return named


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "sinch.est.est"

    def verify_file(self, path):
        if not super().verify_file(path):
            return False
        if path.endswith(("est.yml", "est.yaml")):
            return True
        display.vvv("sinch.est.est: skipping %s, the file name does not end with est.yml or est.yaml" % path)
        return False

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)

        cache_key = self.get_cache_key(path)
        use_cache = self.get_option("cache") and cache
        update_cache = self.get_option("cache") and not cache
        trunks = None
        if use_cache:
            try:
                trunks = self._cache[cache_key]
            except KeyError:
                update_cache = True
        if trunks is None:
            trunks = self._fetch()
        if update_cache:
            self._cache[cache_key] = trunks
        self._populate(trunks)

    # ------------------------------------------------------------------ reading the API

    def _client(self):
        if not HAS_REQUESTS:
            raise AnsibleParserError(
                "sinch.est.est needs the Python library requests on the controller: %s" % REQUESTS_IMPORT_ERROR
            )
        try:
            return client_from_options(self.get_option, warn=display.warning)
        except EstConfigError as error:
            raise AnsibleParserError("sinch.est.est: %s" % to_native(error))

    def _fetch(self):
        """Every wanted trunk with its endpoints under `endpoints`, as plain JSON (cacheable)."""
        if not self.get_option("project_id"):
            raise AnsibleParserError("sinch.est.est: project_id is required (or set SINCH_PROJECT_ID)")
        client = self._client()
        wanted = [name.casefold() for name in self.get_option("trunks") or []]
        try:
            trunks = []
            for trunk in client.list_all(paths.TRUNKS):
                if wanted and str(trunk.get("hostName") or "").casefold() not in wanted:
                    continue
                trunk = dict(trunk)
                trunk["endpoints"] = list(
                    client.list_all(paths.ENDPOINTS, trunk_id=trunk["id"])
                )
                trunks.append(trunk)
        except EstApiError as error:
            raise AnsibleParserError("sinch.est.est: reading trunks and endpoints of project %s: %s"
                                     % (client.project_id, to_native(error)))
        found = set(str(trunk.get("hostName") or "").casefold() for trunk in trunks)
        for name in self.get_option("trunks") or []:
            if name.casefold() not in found:
                display.warning("sinch.est.est: no trunk with host name %s in project %s" % (name, client.project_id))
        return trunks

    # ------------------------------------------------------------------ building the inventory

    def _populate(self, trunks):
        include_disabled = self.get_option("include_disabled")
        pairs = []
        for trunk in trunks:
            self.inventory.add_group(trunk_group_name(trunk.get("hostName")))
            for endpoint in trunk.get("endpoints") or []:
                if not include_disabled and endpoint.get("enabled", True) is False:
                    continue
                pairs.append((trunk, endpoint))
        strict = self.get_option("strict")
        for host_name, trunk, endpoint in name_hosts(pairs):
            group = trunk_group_name(trunk.get("hostName"))
            self.inventory.add_host(host_name, group=group)
            host_vars = endpoint_host_vars(trunk, endpoint)
            for key, value in host_vars.items():
                self.inventory.set_variable(host_name, key, value)
            self._set_composite_vars(self.get_option("compose"), host_vars, host_name, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), host_vars, host_name, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), host_vars, host_name, strict=strict)
