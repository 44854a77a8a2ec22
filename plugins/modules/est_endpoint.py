#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_endpoint
short_description: Manage the SIP endpoints of a Sinch Elastic SIP Trunking trunk
version_added: 0.1.0
description:
  - Create, update and delete the SIP endpoints of a trunk in a Sinch Elastic SIP Trunking (EST) project,
    the places (your SBC or PBX) where Sinch sends the trunk's inbound calls.
  - An endpoint is either B(static), reached at O(address) and O(port), or B(registered), registering
    with Sinch using O(credential_username). Giving O(address) to a registered endpoint makes it static
    and giving O(credential_username) to a static one makes it registered; the fields of the old kind are
    dropped.
  - An endpoint is identified by O(trunk) and O(name), or by O(trunk) and O(id). The API does not keep
    endpoint names unique within a trunk; when two endpoints of the trunk share the name the task fails,
    naming their ids, and asks for O(id).
  - Only the options you set are compared and sent; an option left out keeps the value the endpoint has
    on the server. Updates send the whole endpoint (the API's C(PUT) replaces it), merged from the
    current values and your changes.
  - O(endpoints) converges many endpoints of one trunk in one task, with one read of the trunk's
    endpoints instead of one per task; every item is checked before the first write, and the writes
    overlap (up to O(concurrency) at once), deletes after creates and updates.
author:
  - sinch.est contributors (@sinch-est)
options:
  trunk:
    description:
      - The trunk the endpoint belongs to, by id or by host name (for example V(acme-prod)).
    type: str
    required: true
  id:
    description:
      - The endpoint's id. Addresses an existing endpoint of O(trunk) directly; it is an error if the trunk
        has no endpoint with it (an endpoint is never created from an id).
      - Use it with O(name) to rename an endpoint, or to choose one of several endpoints that share a name.
    type: str
  name:
    description:
      - The endpoint's name, for example V(sbc-1). An empty string fails the task before any request.
      - Required unless O(id) or O(endpoints) is given.
    type: str
  address:
    description:
      - Makes the endpoint static, reached at this IPv4 address or domain name, for example
        V(198.51.100.10) or V(sbc1.example.com). EST accepts calls on the trunk only from it.
      - Mutually exclusive with O(credential_username).
      - Creating an endpoint needs O(address) or O(credential_username).
    type: str
  port:
    description:
      - The SIP port (1 to 65535) of a static endpoint.
      - When a static endpoint is created without it, the API uses V(5060).
      - Not valid for a registered endpoint.
    type: int
  credential_username:
    description:
      - Makes the endpoint registered, authenticating with this username.
      - The username must be in a credential list bound to O(trunk) (see
        M(sinch.est.est_credential_list) and M(sinch.est.est_trunk_credential_lists)). The live API
        creates the endpoint when the username is in I(any) credential list of the project, but then every
        SIP REGISTER gets 401; so the module checks the lists bound to the trunk (when the username is new
        or changes) and fails before any change, naming the list that holds the username and how to bind
        it. In check mode that is a warning, since an earlier task may bind the list.
      - Mutually exclusive with O(address) and O(port).
    type: str
  priority:
    description:
      - The endpoint's priority, 1 or more. Sinch tries endpoints with a lower number first; endpoints
        with the same priority share the calls round-robin.
      - Required to create an endpoint.
    type: int
  transport:
    description:
      - The SIP transport, V(UDP), V(TCP) or V(TLS), in any case.
      - When an endpoint is created without it, the API uses V(UDP).
      - V(TLS) on port 5060 (the plain SIP port) warns; TLS normally uses 5061.
    type: str
  enabled:
    description:
      - Whether Sinch sends calls to the endpoint. V(false) keeps it configured but out of service.
      - The API default for a new endpoint is V(true).
    type: bool
  endpoints:
    description:
      - Many endpoints of O(trunk) at once, each with the options of a single endpoint. Each is identified
        by its O(endpoints[].name) within the trunk.
      - Options set at the top level (O(port), O(priority), O(transport), O(enabled)) are the default
        for every endpoint that leaves them out.
      - With O(state=absent) the listed endpoints are deleted.
      - Mutually exclusive with O(name), O(id), O(address) and O(credential_username).
    type: list
    elements: dict
    suboptions:
      name:
        description: The endpoint's name.
        type: str
        required: true
      address:
        description: Makes the endpoint static, reached at this IPv4 address or domain name.
        type: str
      port:
        description: The SIP port of a static endpoint.
        type: int
      credential_username:
        description: Makes the endpoint registered, authenticating with this username.
        type: str
      priority:
        description: The endpoint's priority (1 or more; lower is tried first).
        type: int
      transport:
        description: V(UDP), V(TCP) or V(TLS), in any case.
        type: str
      enabled:
        description: Whether Sinch sends calls to the endpoint.
        type: bool
  purge_endpoints:
    description:
      - With O(endpoints) and O(state=present), delete the trunk's endpoints that O(endpoints) does not
        name, so the trunk ends up with exactly the listed endpoints.
      - Off by default, because deleting an endpoint stops the calls Sinch sends to it; turn it on when
        the list is the whole truth about the trunk.
      - Deletes run after every create and update.
    type: bool
    default: false
  state:
    description:
      - V(present) creates the endpoint or updates it to match the options given.
      - V(absent) deletes it; nothing happens when it does not exist, also when O(trunk) names no trunk
        (a warning says so).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_trunk
  - module: sinch.est.est_endpoint_info
  - module: sinch.est.est_trunk_credential_lists
  - name: EST API reference for endpoints
    description: Sinch's reference of the SIP endpoint operations this module uses.
    link: https://developers.sinch.com/docs/est/api-reference/est/endpoints/
"""

EXAMPLES = r"""
- name: Send the trunk's calls to the primary SBC
  sinch.est.est_endpoint:
    trunk: acme-prod
    name: sbc-1
    address: 198.51.100.10
    port: 5060
    priority: 1

- name: Use TLS to the secondary SBC, tried when the primary fails
  sinch.est.est_endpoint:
    trunk: acme-prod
    name: sbc-2
    address: sbc2.example.com
    port: 5061
    transport: tls
    priority: 2

- name: A PBX that registers with a username from a credential list bound to the trunk
  sinch.est.est_endpoint:
    trunk: acme-prod
    name: office-pbx
    credential_username: office-pbx
    priority: 3

- name: Take an endpoint out of service
  sinch.est.est_endpoint:
    trunk: acme-prod
    name: sbc-2
    enabled: false

- name: Exactly these endpoints on the trunk, sharing calls round-robin
  sinch.est.est_endpoint:
    trunk: acme-prod
    priority: 1
    transport: UDP
    endpoints:
      - name: sbc-1
        address: 198.51.100.10
      - name: sbc-2
        address: 198.51.100.11
    purge_endpoints: true

- name: Delete an endpoint
  sinch.est.est_endpoint:
    trunk: acme-prod
    name: office-pbx
    state: absent
"""

RETURN = r"""
endpoint:
  description:
    - The endpoint as the API returned it (keys in snake_case); in check mode, the endpoint as it would be.
    - An empty dictionary when O(state=absent) or O(endpoints) is given.
  returned: unless O(endpoints) is given
  type: dict
  contains:
    id:
      description: The endpoint's id.
      type: str
      sample: 01HZX3V4Q9C0R8M6S7T5W2Y1AE
    sip_trunk_id:
      description: The trunk the endpoint belongs to.
      type: str
      sample: 01HZX3V4Q9C0R8M6S7T5W2Y1AB
    name:
      description: The endpoint's name.
      type: str
      sample: sbc-1
    address:
      description: The address of a static endpoint.
      type: str
      sample: 198.51.100.10
    port:
      description: The SIP port of a static endpoint.
      type: int
      sample: 5060
    is_registered:
      description: V(true) for a registered endpoint (a static one may leave it out).
      type: bool
      sample: false
    credential_username:
      description: The username of a registered endpoint.
      type: str
      sample: office-pbx
    priority:
      description: The endpoint's priority (lower is tried first).
      type: int
      sample: 1
    transport:
      description: The SIP transport, in upper case.
      type: str
      sample: UDP
    enabled:
      description: Whether Sinch sends calls to the endpoint.
      type: bool
      sample: true
    create_time:
      description: When the endpoint was created (UTC).
      type: str
      sample: "2026-01-14T08:08:48Z"
    update_time:
      description: When the endpoint was last changed (UTC); null before the first change.
      type: str
      sample: null
endpoints:
  description:
    - With O(endpoints), the listed endpoints after the change (same keys as RV(endpoint)), in the order
      given; an empty list when O(state=absent).
  returned: when O(endpoints) is given
  type: list
  elements: dict
  sample:
    - id: 01HZX3V4Q9C0R8M6S7T5W2Y1AE
      sip_trunk_id: 01HZX3V4Q9C0R8M6S7T5W2Y1AB
      name: sbc-1
      address: 198.51.100.10
      port: 5060
      priority: 1
      transport: UDP
      enabled: true
"""

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils import _trunks as trunks
from ansible_collections.sinch.est.plugins.module_utils._module import run_module
from ansible_collections.sinch.est.plugins.module_utils._resource import EstResource, Field, Parent
from ansible_collections.sinch.est.plugins.module_utils._validation import check_endpoint

STATIC_KEYS = ("address", "port")
REGISTERED_KEYS = ("isRegistered", "credentialUsername")


class Endpoint(EstResource):
    noun = "endpoint"
    collection = paths.ENDPOINTS
    item = paths.ENDPOINT
    fields = {
        "name": Field("name"),
        "address": Field("address", compare="casefold"),
        "port": Field("port"),
        "credential_username": Field("credentialUsername"),
        "priority": Field("priority"),
        "transport": Field("transport", compare="casefold", upper=True),
        "enabled": Field("enabled"),
    }
    identity = ("name",)
    unique_identity = False
    required_for_create = ("name", "priority")
    diff_keys = ("is_registered",)
    list_option = "endpoints"
    purge_option = "purge_endpoints"

    def validate(self, problems):
        if self.params["endpoints"] is None:
            self.validate_endpoint(problems, self.params, "")
            return
        seen = {}
        for index, item in enumerate(self.params["endpoints"]):
            self.validate_endpoint(problems, self.item_params(item), f"endpoints[{index}].")
            if item["name"] in seen:
                problems.add(f"endpoints[{index}].name: {item['name']!r} is already given as endpoints[{seen[item['name']]}]")
            seen.setdefault(item["name"], index)

    validate_endpoint = staticmethod(check_endpoint)

    def __init__(self, module):
        super().__init__(module)
        self.list_usernames = {}  # credential list id -> its usernames, each list read at most once
        self.trunk_usernames = {}  # trunk id -> the usernames of the lists bound to it, read once

    def resolve_parents(self):
        trunk = self.resolve_trunk(self.params["trunk"])
        return Parent(path_params={"trunk_id": trunk["id"] if trunk else None},
                      label=f" of trunk {self.params['trunk']!r}", found=trunk, absent=trunk is None)

    def check_desired(self, target):
        params, current, desired = target.params, target.current, target.desired
        if current is None:
            missing = [option for option in self.required_for_create if params.get(option) is None]
            if params["address"] is None and params["credential_username"] is None:
                missing.append("address (a static endpoint) or credential_username (a registered one)")
            if missing:
                self.fail(f"{self.label(target)} does not exist; to create it set {', '.join(missing)}")
        merged = dict(current or {}, **desired)
        if self.registered(current, desired):
            if "port" in desired:
                self.fail(f"port: {self.label(target)} is a registered endpoint, which has no port; "
                          "set address as well to make it static")
            username = merged.get("credentialUsername")
            if current is None or not current.get("isRegistered") or current.get("credentialUsername") != username:
                self.check_username_bound(target, username)
            return
        if str(merged.get("transport", "")).upper() == "TLS" and merged.get("port", 5060) == 5060:
            self.warn(f"{self.label(target)}: transport TLS on port 5060, the plain SIP port; "
                      "TLS endpoints usually listen on 5061")

    def check_username_bound(self, target, username):
        """The API creates a registered endpoint whose username is in any credential list of the
        project, but only a list bound to the endpoint's trunk lets it REGISTER (else every REGISTER
        gets 401): refuse that endpoint before anything is written."""
        if self.parent.absent or username in self.usernames_bound_to(self.parent.found["id"]):
            return
        with self.step(f"Looking up credential_username {username!r}"):
            holders = [item for item in self.list_all(paths.CREDENTIAL_LISTS) if username in self.usernames_of(item)]
        trunk = self.params["trunk"]
        if holders:
            names = ", ".join(f"{item.get('name')!r} ({item.get('id')})" for item in holders)
            advice = (f"it is in credential list {names}: bind that list to the trunk first with "
                      f"sinch.est.est_trunk_credential_lists (trunk: {trunk}, credential_lists: [{holders[0].get('name')}])")
        else:
            advice = (f"no credential list of project {self.client.project_id} has it: add it to one with "
                      "sinch.est.est_credential_list, then bind that list to the trunk with "
                      "sinch.est.est_trunk_credential_lists")
        message = (f"credential_username: {username!r} of {self.label(target)} is in no credential list bound to "
                   f"trunk {trunk!r}, so the endpoint could never register (every REGISTER would get 401); {advice}")
        if self.check_mode:
            self.warn(f"{message}. Check mode goes on in case an earlier task binds it.")
            return
        self.fail(message)

    def usernames_bound_to(self, trunk_id):
        if trunk_id not in self.trunk_usernames:
            with self.step(f"Reading the credential lists bound to trunk {self.params['trunk']!r}"):
                self.trunk_usernames[trunk_id] = set().union(*(
                    self.usernames_of({"id": list_id})
                    for list_id in trunks.bound_ids(self.client, paths.TRUNK_CREDENTIAL_LISTS, trunk_id)))
        return self.trunk_usernames[trunk_id]

    def usernames_of(self, credential_list):
        list_id = credential_list["id"]
        if list_id not in self.list_usernames:
            if "credentials" not in credential_list:
                credential_list = self.get_or_none(paths.CREDENTIAL_LIST, credential_list_id=list_id) or {}
            self.list_usernames[list_id] = {credential.get("username") for credential in credential_list.get("credentials") or []}
        return self.list_usernames[list_id]

    @staticmethod
    def registered(current, desired):
        if "credentialUsername" in desired:
            return True
        if "address" in desired:
            return False
        return bool((current or {}).get("isRegistered"))

    def create_body(self, target):
        body = dict(target.desired)
        if "credentialUsername" in body:
            body["isRegistered"] = True
        return body

    def predict_create(self, target, body):
        predicted = dict({"transport": "UDP", "enabled": True}, **super().predict_create(target, body))
        if not predicted.get("isRegistered"):
            predicted.setdefault("port", 5060)  # the API's default for a static endpoint
        return predicted

    def update_body(self, target):
        body = super().update_body(target)
        # A change of kind drops the old kind's fields: PUT replaces the endpoint.
        registered = self.registered(target.current, target.desired)
        for key in STATIC_KEYS if registered else REGISTERED_KEYS:
            body.pop(key, None)
        if registered:
            body["isRegistered"] = True
        return body

    def predict_update(self, current, body):
        dropped = STATIC_KEYS if body.get("isRegistered") else REGISTERED_KEYS
        return dict({key: value for key, value in current.items() if key not in dropped}, **body)


def main():
    # One endpoint's options, at the top level and for each item of `endpoints`.
    endpoint_options = dict(
        address=dict(type="str"),
        port=dict(type="int"),
        credential_username=dict(type="str"),
        priority=dict(type="int"),
        transport=dict(type="str"),
        enabled=dict(type="bool"),
    )
    run_module(
        Endpoint,
        dict(
            trunk=dict(type="str", required=True),
            id=dict(type="str"),
            name=dict(type="str"),
            **endpoint_options,
            endpoints=dict(type="list", elements="dict", options=dict(name=dict(type="str", required=True),
                                                                      **endpoint_options)),
            purge_endpoints=dict(type="bool", default=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        required_one_of=[("id", "name", "endpoints")],
        mutually_exclusive=[("endpoints", "name"), ("endpoints", "id"), ("endpoints", "address"),
                            ("endpoints", "credential_username")],
    )


if __name__ == "__main__":
    main()
