#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_site
short_description: Manage a whole Sinch Elastic SIP Trunking project in one task
version_added: 0.1.0
description:
  - A resource module in the style of network resource modules such as C(cisco.ios.ios_acls) - one task
    manages the whole Sinch Elastic SIP Trunking (EST) project - trunks with their endpoints, bound access
    control lists (ACLs), bound credential lists and routed phone numbers; ACLs with their IP ranges;
    credential lists with their credentials; the countries that may be called; call blocking rules.
  - O(config) has the shape of the variables of C(playbooks/site.yml) (C(est_trunks), C(est_acls), ...
    without the C(est_) prefix), and O(state=gathered) returns the project in that same shape.
  - Each collection is read once (trunks, ACLs with their ranges, credential lists with their usernames,
    phone numbers, country permissions, call blocking rules), then each trunk's endpoints and bound credential
    lists; references by name are resolved from these reads, never by further lookups. The reads and all writes
    go out on a pool of up to O(concurrency) workers.
  - Writes run in phases, in the order the live service needs - credential lists and ACLs, trunks, bindings,
    endpoints (after the lists their usernames are in are bound), numbers, countries and rules; then what goes,
    in the service's teardown order - numbers off a trunk, its endpoints, its bindings, the trunk, then
    ACLs and credential lists. What admits traffic is added before anything is removed.
  - If a request fails, the phase it belongs to still completes and the task stops there, failing with
    RV(done) and RV(not_done). Nothing is undone; running the task again reads the project again and does
    only what is left.
  - The same input checks as the single-object modules (M(sinch.est.est_trunk), M(sinch.est.est_endpoint),
    M(sinch.est.est_acl), M(sinch.est.est_credential_list), M(sinch.est.est_call_blocking_rule),
    M(sinch.est.est_phone_number), M(sinch.est.est_country_permission)) run before any request; checks that need
    the project (a name that refers to nothing, a number the project does not own, a registered endpoint whose
    username is in no list bound to its trunk) run after the reads and before any write.
  - Objects are identified by trunk host name (in any case) and by name; names must be unique within their
    kind for the objects the task manages (the API does not enforce it; the task fails naming the ids).
  - Within an object, an option left out keeps the server's value, and a member list left out (for example a
    trunk without O(config.trunks[].endpoints)) is left as it is. With O(state=replaced) and
    O(state=overridden) a member list that is given is exact; with O(state=merged) it is added to.
  - The single-object modules stay, for those who manage one object at a time.
author:
  - sinch.est contributors (@sinch-est)
options:
  config:
    description:
      - The project, or the part of it this task manages. A section left out (for example no
        O(config.call_blocking_rules)) is not managed, whatever O(state); an empty list is managed (with
        O(state=overridden) it removes every object of that kind).
      - Required with O(state=merged), O(state=replaced), O(state=overridden) and O(state=rendered).
        With O(state=deleted), the objects to delete (all of them when left out).
    type: dict
    suboptions:
      trunks:
        description: SIP trunks, each with its endpoints, bound ACLs and credential lists, and routed numbers.
        type: list
        elements: dict
        suboptions:
          host_name:
            description:
              - The trunk's host name, its identity (letters, digits and hyphens; compared in any case).
            type: str
            required: true
          name:
            description: The trunk's display name. A new trunk is named after its host name unless set.
            type: str
          enable_caller_name:
            description: Whether caller name lookup is on.
            type: bool
          enable_call_forward:
            description: Whether call forwarding is on; needs O(config.trunks[].call_forward_number).
            type: bool
          call_forward_number:
            description: The E.164 number calls are forwarded to.
            type: str
          endpoints:
            description:
              - The trunk's SIP endpoints, by name, as M(sinch.est.est_endpoint) takes them; each is static
                (O(config.trunks[].endpoints[].address)) or registered
                (O(config.trunks[].endpoints[].credential_username)).
            type: list
            elements: dict
            suboptions:
              name:
                description: The endpoint's name, unique on its trunk.
                type: str
                required: true
              address:
                description: A static endpoint's IPv4 address or domain name.
                type: str
              port:
                description: A static endpoint's SIP port (1 to 65535); a new one defaults to V(5060).
                type: int
              credential_username:
                description:
                  - A registered endpoint's username; it must be in a credential list bound to the trunk.
                type: str
              priority:
                description: 1 or more; lower is tried first. Required to create an endpoint.
                type: int
              transport:
                description: V(UDP), V(TCP) or V(TLS), in any case; a new endpoint defaults to V(UDP).
                type: str
              enabled:
                description: Whether calls go to the endpoint; a new endpoint defaults to V(true).
                type: bool
          acls:
            description: The names of the ACLs bound to the trunk.
            type: list
            elements: str
          credential_lists:
            description: The names of the credential lists bound to the trunk.
            type: list
            elements: str
          phone_numbers:
            description:
              - E.164 numbers routed to the trunk (through the Numbers API, which applies a change after a while;
                a change already scheduled is not sent again). Each must be one of the project's EST numbers.
              - A number no longer listed (O(state=replaced), O(state=overridden)) is routed to no EST trunk.
            type: list
            elements: str
      acls:
        description: Access control lists with their IP ranges, as M(sinch.est.est_acl) takes them.
        type: list
        elements: dict
        suboptions:
          name:
            description: The ACL's name.
            type: str
            required: true
          enabled:
            description: Whether the ACL is in force; a new ACL defaults to V(true).
            type: bool
          ip_ranges:
            description:
              - The IPv4 networks the ACL admits, compared as networks. Required to create an ACL.
            type: list
            elements: dict
            suboptions:
              cidr:
                description: The network in CIDR notation, for example V(203.0.113.0/24).
                type: str
              ip_address:
                description: The network's address, with O(config.acls[].ip_ranges[].range).
                type: str
              range:
                description: The prefix length; V(32) when left out.
                type: int
              description:
                description: A note on the range; left out, the server's description is kept.
                type: str
      credential_lists:
        description: Credential lists with their credentials, as M(sinch.est.est_credential_list) takes them.
        type: list
        elements: dict
        suboptions:
          name:
            description: The list's name.
            type: str
            required: true
          credentials:
            description: The credentials in the list, compared by username.
            type: list
            elements: dict
            suboptions:
              username:
                description: The SIP username.
                type: str
                required: true
              password:
                description:
                  - The password, checked against Sinch's policy (12 or more characters with an upper-case letter,
                    a lower-case letter and a digit). Never returned, never shown.
                  - Needed only when the username is added (or with O(update_password=always)); V(gathered)
                    leaves it out.
                type: str
      enabled_countries:
        description:
          - ISO 3166-1 codes (and V(*)) of the countries that may be called. With O(state=replaced) and
            O(state=overridden) exactly these are enabled; with O(state=merged) they are enabled and others kept;
            with O(state=deleted) they are disabled.
        type: list
        elements: str
      call_blocking_rules:
        description: Call blocking rules by name, as M(sinch.est.est_call_blocking_rule) takes them.
        type: list
        elements: dict
        suboptions:
          name:
            description: The rule's name.
            type: str
            required: true
          direction:
            description: V(INBOUND) or V(OUTBOUND), in any case. Required to create a rule.
            type: str
          caller_country:
            description: The caller's ISO country code.
            type: str
          callee_country:
            description: The callee's ISO country code.
            type: str
          caller_match:
            description: A caller number prefix, for example V(+1900).
            type: str
          callee_match:
            description: A called number prefix.
            type: str
  state:
    description:
      - V(merged) creates and updates what O(config) gives and adds the members it lists; nothing is removed.
      - V(replaced) makes each object O(config) gives exactly as given, member lists included (an endpoint,
        range, credential, binding or number it does not list is removed); other objects are left alone.
      - V(overridden) makes each section O(config) gives exactly as given - what it does not list is
        removed (a trunk with its numbers, endpoints and bindings, in the service's teardown order).
      - V(deleted) deletes the trunks, ACLs, credential lists and rules O(config) names (a trunk after its
        numbers, endpoints and bindings) and disables the countries it lists; without O(config), every trunk,
        ACL, credential list and rule of the project (country permissions are left as they are).
      - V(gathered) reads the project and returns it as RV(gathered), in O(config)'s shape, without passwords.
      - V(rendered) returns the requests that would create O(config) in an empty project as RV(rendered),
        computed offline - nothing is sent, not even a read.
      - V(parsed) checks O(running_config) and returns it as RV(parsed), offline.
    type: str
    choices: [merged, replaced, overridden, deleted, gathered, rendered, parsed]
    default: merged
  update_password:
    description:
      - V(on_create) sends a password only when its username is added, so a rerun reports no change.
      - V(always) sends every given password on every run (the API cannot tell whether one differs).
    type: str
    choices: [on_create, always]
    default: on_create
  running_config:
    description:
      - With O(state=parsed), a project in O(config)'s shape as JSON or YAML text, for example a saved
        RV(gathered) result (a mapping with a C(gathered) key is read too).
    type: str
notes:
  - Changes to a trunk's ACLs or credential lists reach Sinch's SIP edge up to 60 seconds after the task.
  - O(state=rendered) and O(state=parsed) need O(project_id) like every module but send nothing.
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_trunk
  - module: sinch.est.est_endpoint
  - module: sinch.est.est_acl
  - module: sinch.est.est_credential_list
  - module: sinch.est.est_phone_number
  - name: Network resource modules
    description: The states this module follows.
    link: https://docs.ansible.com/ansible/latest/network/user_guide/network_resource_modules.html
"""

EXAMPLES = r"""
- name: Converge the project to the site's variables (the objects given; others left alone)
  sinch.est.est_site:
    state: replaced
    config:
      trunks: "{{ est_trunks }}"
      acls: "{{ est_acls }}"
      credential_lists: "{{ est_credential_lists }}"
      enabled_countries: "{{ est_enabled_countries }}"
      call_blocking_rules: "{{ est_call_blocking_rules }}"

- name: Add a backup SBC to one trunk, keep everything else
  sinch.est.est_site:
    config:
      trunks:
        - host_name: acme-prod
          endpoints:
            - {name: sbc-backup, address: 198.51.100.20, priority: 2}

- name: The project exactly as given; every trunk not listed goes, with its numbers, endpoints and bindings
  sinch.est.est_site:
    state: overridden
    config:
      trunks:
        - host_name: acme-prod
          endpoints:
            - {name: sbc-primary, address: 198.51.100.10, priority: 1}
          acls: [office]
      acls:
        - name: office
          ip_ranges:
            - cidr: 203.0.113.0/24

- name: Read the project in config's shape
  sinch.est.est_site:
    state: gathered
  register: est_project

- name: Apply what was gathered (converges to changed=0 on the same project)
  sinch.est.est_site:
    state: merged
    config: "{{ est_project.gathered }}"

- name: The requests a config would send to an empty project, without connecting
  sinch.est.est_site:
    state: rendered
    config:
      trunks:
        - host_name: acme-lab
  register: est_requests

- name: Delete one trunk (its numbers are taken off and its endpoints and bindings removed first)
  sinch.est.est_site:
    state: deleted
    config:
      trunks:
        - host_name: acme-lab
"""

RETURN = r"""
before:
  description: The project before the task, in O(config)'s shape (no passwords).
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: dict
  sample: {trunks: [], acls: [], credential_lists: [], enabled_countries: [US], call_blocking_rules: []}
after:
  description: The project after the task (in check mode, as it would be), in O(config)'s shape.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: dict
  sample: {trunks: [{host_name: acme-prod, name: ACME, endpoints: [], acls: [], credential_lists: [],
           phone_numbers: [], enable_caller_name: false, enable_call_forward: false, call_forward_number: ""}],
           acls: [], credential_lists: [], enabled_countries: [US], call_blocking_rules: []}
requests:
  description:
    - The requests sent, in order (in check mode, those that would be sent), without passwords. Each names its
      phase, what it does, the method, the API (V(est) or V(numbers)) and the path under the project, and the body.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample:
    - {phase: create and update trunks, what: create trunk acme-prod, method: POST, api: est, path: /trunks,
       body: {name: acme-prod, hostName: acme-prod, enableCallerName: false, enableCallForward: false}}
gathered:
  description: The project as read, in O(config)'s shape; credentials without passwords; rules without a name left out.
  returned: when O(state=gathered)
  type: dict
  sample: {trunks: [], acls: [], credential_lists: [], enabled_countries: [US, CA], call_blocking_rules: []}
rendered:
  description:
    - The requests that would create O(config) in an empty project, as in RV(requests); ids of objects created
      on the way are placeholders such as C(<id of trunk acme-prod>).
  returned: when O(state=rendered)
  type: list
  elements: dict
  sample:
    - {phase: create and update trunks, what: create trunk acme-lab, method: POST, api: est, path: /trunks,
       body: {name: acme-lab, hostName: acme-lab, enableCallerName: false, enableCallForward: false}}
parsed:
  description: O(running_config) checked like O(config), in O(config)'s shape.
  returned: when O(state=parsed)
  type: dict
  sample: {trunks: [{host_name: acme-prod}]}
done:
  description: When a request failed part-way, what was done before the task stopped.
  returned: failure
  type: list
  elements: str
  sample: ["create trunk acme-prod"]
not_done:
  description: When a request failed part-way, what was not done; a rerun does it.
  returned: failure
  type: list
  elements: str
  sample: ["create endpoint 'sbc-primary' of trunk acme-prod"]
"""

from ansible_collections.sinch.est.plugins.module_utils._module import run_module
from ansible_collections.sinch.est.plugins.module_utils._site import Site

ENDPOINT_OPTIONS = dict(
    name=dict(type="str", required=True),
    address=dict(type="str"),
    port=dict(type="int"),
    credential_username=dict(type="str"),
    priority=dict(type="int"),
    transport=dict(type="str"),
    enabled=dict(type="bool"),
)
CONFIG_OPTIONS = dict(
    trunks=dict(type="list", elements="dict", options=dict(
        host_name=dict(type="str", required=True),
        name=dict(type="str"),
        enable_caller_name=dict(type="bool"),
        enable_call_forward=dict(type="bool"),
        call_forward_number=dict(type="str"),
        endpoints=dict(type="list", elements="dict", options=ENDPOINT_OPTIONS),
        acls=dict(type="list", elements="str"),
        credential_lists=dict(type="list", elements="str"),
        phone_numbers=dict(type="list", elements="str"),
    )),
    acls=dict(type="list", elements="dict", options=dict(
        name=dict(type="str", required=True),
        enabled=dict(type="bool"),
        ip_ranges=dict(type="list", elements="dict", options=dict(
            cidr=dict(type="str"),
            ip_address=dict(type="str"),
            range=dict(type="int"),
            description=dict(type="str"),
        )),
    )),
    credential_lists=dict(type="list", elements="dict", options=dict(
        name=dict(type="str", required=True),
        credentials=dict(type="list", elements="dict", options=dict(
            username=dict(type="str", required=True),
            password=dict(type="str", no_log=True),
        )),
    )),
    enabled_countries=dict(type="list", elements="str"),
    call_blocking_rules=dict(type="list", elements="dict", options=dict(
        name=dict(type="str", required=True),
        direction=dict(type="str"),
        caller_country=dict(type="str"),
        callee_country=dict(type="str"),
        caller_match=dict(type="str"),
        callee_match=dict(type="str"),
    )),
)


class EstSite(Site):
    config_spec = CONFIG_OPTIONS


def main():
    run_module(
        EstSite,
        dict(
            config=dict(type="dict", options=CONFIG_OPTIONS),
            state=dict(type="str", default="merged",
                       choices=["merged", "replaced", "overridden", "deleted", "gathered", "rendered", "parsed"]),
            update_password=dict(type="str", choices=["on_create", "always"], default="on_create", no_log=False),
            running_config=dict(type="str"),
        ),
    )


if __name__ == "__main__":
    main()
