#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_call_blocking_rule
short_description: Manage call blocking rules of Sinch Elastic SIP Trunking
version_added: 0.1.0
description:
  - Create, update and delete the call blocking rules of a Sinch Elastic SIP Trunking (EST) project. A rule
    blocks inbound or outbound calls by the caller's or callee's country or number prefix.
  - "Two ways to use it: one rule per task, identified by O(name) or O(id); or many rules in one task with
    O(rules) (one read of the project's rules for the whole list, then only the writes that are needed),
    optionally deleting every rule not listed with O(purge_rules=true)."
  - Only the options you set are compared and sent; an option left out keeps the rule's value on the
    server. Updates send the whole rule (the API's C(PUT) replaces it), merged from the current values and
    your changes. Set a country or prefix option to an empty string to clear it.
  - Rule names are not unique on the server. When two rules have the name you give, the task fails and
    names both ids; use O(id) (or rename or delete one) to resolve it.
author:
  - sinch.est contributors (@sinch-est)
options:
  id:
    description:
      - The rule's id. Addresses an existing rule directly; it is an error if no rule has it (a rule is
        never created from an id).
      - Use it with O(name) to rename a rule.
    type: str
  name:
    description:
      - The rule's name; identifies the rule unless O(id) is given. An empty string fails the task before any
        request (a rule without a name cannot be found again by name).
      - One of O(name), O(id) and O(rules) is required.
    type: str
  direction:
    description:
      - Which calls the rule applies to, V(INBOUND) or V(OUTBOUND), in any case.
      - Required to create a rule.
      - A direction alone does not say which calls the rule blocks, so a rule needs at least one of
        O(caller_country), O(callee_country), O(caller_match) and O(callee_match) as well; a create (or an
        update clearing the last of them) without one fails before any request.
    type: str
  caller_country:
    description:
      - Block calls from numbers of this country, as a two-letter ISO 3166-1 code in any case (V(US)).
      - Checked against the ISO 3166-1 list before any request; a common slip such as V(UK) (the code is
        V(GB)) fails the task with a hint.
      - An empty string clears it.
    type: str
  callee_country:
    description:
      - Block calls to numbers of this country, as a two-letter ISO 3166-1 code in any case (V(CA)).
      - An empty string clears it.
    type: str
  caller_match:
    description:
      - Block calls whose caller number starts with this prefix, for example V(+1900) or V(1900).
      - An optional V(+) followed by up to 15 digits. An empty string clears it.
    type: str
  callee_match:
    description:
      - Block calls whose called number starts with this prefix, for example V(+1900).
      - An optional V(+) followed by up to 15 digits. An empty string clears it.
    type: str
  state:
    description:
      - V(present) creates the rule (or each rule of O(rules)) or updates it to match the options given.
      - V(absent) deletes it (or each rule of O(rules), by name); nothing happens when it does not exist.
    type: str
    choices: [present, absent]
    default: present
  rules:
    description:
      - Many rules converged in one task, each identified by its O(rules[].name) (names in the list must be
        unique). The project's rules are read once for the whole list.
      - Cannot be used with O(id), O(name), O(direction), O(caller_country), O(callee_country),
        O(caller_match) or O(callee_match).
    type: list
    elements: dict
    suboptions:
      name:
        description: The rule's name; identifies it.
        type: str
        required: true
      direction:
        description: V(INBOUND) or V(OUTBOUND), in any case. Required to create the rule.
        type: str
      caller_country:
        description: Caller country as an ISO 3166-1 code; an empty string clears it.
        type: str
      callee_country:
        description: Callee country as an ISO 3166-1 code; an empty string clears it.
        type: str
      caller_match:
        description: Caller number prefix (optional V(+), then digits); an empty string clears it.
        type: str
      callee_match:
        description: Called number prefix (optional V(+), then digits); an empty string clears it.
        type: str
  purge_rules:
    description:
      - With O(rules) and O(state=present), delete every rule of the project that O(rules) does not name,
        rules without a name included, so the list is the project's exact set of blocking rules.
      - Deleting a blocking rule lets the calls it blocked through; new and changed rules are written
        before any rule is deleted.
    type: bool
    default: false
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_call_blocking_rule_info
  - module: sinch.est.est_country_permission
  - name: EST API reference for call blocking rules
    description: Sinch's reference of the call blocking rule operations this module uses.
    link: https://developers.sinch.com/docs/est/api-reference/est/call-blocking-rules/
"""

EXAMPLES = r"""
- name: Block outbound calls to premium-rate numbers
  sinch.est.est_call_blocking_rule:
    name: no-premium
    direction: outbound
    callee_match: "+1900"

- name: Block inbound calls from a country (ISO 3166-1 alpha-2; the United Kingdom is GB, not UK)
  sinch.est.est_call_blocking_rule:
    name: no-inbound-from-gb
    direction: INBOUND
    caller_country: GB

- name: Rename a rule by id
  sinch.est.est_call_blocking_rule:
    id: 01KG5BN8Z0HSR2P9GM3K9YA8RE
    name: no-premium-us

- name: Delete a rule
  sinch.est.est_call_blocking_rule:
    name: no-inbound-from-gb
    state: absent

- name: Keep exactly these rules, delete every other one
  sinch.est.est_call_blocking_rule:
    purge_rules: true
    rules:
      - name: no-premium
        direction: OUTBOUND
        callee_match: "+1900"
      - name: no-premium-976
        direction: OUTBOUND
        callee_match: "+1976"
"""

RETURN = r"""
rule:
  description:
    - The rule as the API returned it (keys in snake_case); in check mode, the rule as it would be.
    - An empty dictionary when O(state=absent).
  returned: when O(rules) is not used
  type: dict
  contains:
    id:
      description: The rule's id.
      type: str
      sample: 01KG5BN8Z0HSR2P9GM3K9YA8RE
    name:
      description: The rule's name.
      type: str
      sample: no-premium
    direction:
      description: V(INBOUND) or V(OUTBOUND).
      type: str
      sample: OUTBOUND
    caller_country:
      description: Caller country ISO code, or an empty string.
      type: str
      sample: ""
    callee_country:
      description: Callee country ISO code, or an empty string.
      type: str
      sample: ""
    caller_match:
      description: Caller number prefix, or an empty string.
      type: str
      sample: ""
    callee_match:
      description: Called number prefix, or an empty string.
      type: str
      sample: "+1900"
    project_id:
      description: The project the rule belongs to.
      type: str
      sample: 5f4d1c2e-0000-4000-8000-000000000000
    create_time:
      description: When the rule was created (UTC).
      type: str
      sample: "2026-01-14T08:08:48Z"
    update_time:
      description: When the rule was last changed (UTC); null before the first change.
      type: str
      sample: "2026-01-15T09:10:11Z"
rules:
  description:
    - With O(rules), the listed rules after the task in the order given (keys as in RV(rule)); in check mode,
      as they would be. Empty with O(state=absent).
  returned: when O(rules) is used
  type: list
  elements: dict
  sample:
    - id: 01KG5BN8Z0HSR2P9GM3K9YA8RE
      name: no-premium
      direction: OUTBOUND
      caller_country: ""
      callee_country: ""
      caller_match: ""
      callee_match: "+1900"
"""

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._module import run_module
from ansible_collections.sinch.est.plugins.module_utils._resource import EstResource, Field
from ansible_collections.sinch.est.plugins.module_utils._validation import RULE_CRITERIA, check_rule_criteria, rule_problems

RULE_OPTIONS = ("name", "direction", "caller_country", "callee_country", "caller_match", "callee_match")


class CallBlockingRule(EstResource):
    noun = "call blocking rule"
    result_key = "rule"
    collection = paths.CALL_BLOCKING_RULES
    item = paths.CALL_BLOCKING_RULE
    item_readable = False  # the references have no GET of one rule (only PUT and DELETE)
    fields = {
        "name": Field("name"),
        "direction": Field("direction", compare="casefold", upper=True),
        "caller_country": Field("callerCountry", compare="casefold", upper=True),
        "callee_country": Field("calleeCountry", compare="casefold", upper=True),
        "caller_match": Field("callerMatch"),
        "callee_match": Field("calleeMatch"),
    }
    identity = ("name",)
    unique_identity = False
    required_for_create = ("direction",)
    create_defaults = {"name": "", "callerCountry": "", "calleeCountry": "", "callerMatch": "", "calleeMatch": ""}
    list_option = "rules"
    purge_option = "purge_rules"

    def validate(self, problems):
        for problem in rule_problems("", self.params):
            problems.add(problem)
        seen = set()
        for index, entry in enumerate(self.params["rules"] or []):
            for problem in rule_problems(f"rules[{index}].", entry):
                problems.add(problem)
            if entry["name"] in seen:
                problems.add(f"rules[{index}].name: {entry['name']!r} is listed twice")
            seen.add(entry["name"])
        if self.params["purge_rules"] and self.params["rules"] is None:
            problems.add("purge_rules: only used with rules")
        if self.params["purge_rules"] and self.params["state"] == "absent":
            problems.add("purge_rules: only used with state=present")

    def check_desired(self, target):
        """A rule with only a direction says nothing about which calls it blocks (no reference says
        whether the service blocks all of them or none), so it is refused: on create, and on an
        update that would clear the last criterion."""
        touched = target.current is None or any(target.params.get(option) is not None for option in RULE_CRITERIA.values())
        if touched:
            problem = check_rule_criteria(self.label(target), dict(target.current or {}, **target.desired))
            if problem:
                self.fail(problem)


def main():
    # One rule's options, at the top level and for each item of `rules`.
    rule_options = {option: dict(type="str") for option in RULE_OPTIONS if option != "name"}
    run_module(
        CallBlockingRule,
        dict(
            id=dict(type="str"),
            name=dict(type="str"),
            **rule_options,
            state=dict(type="str", choices=["present", "absent"], default="present"),
            rules=dict(type="list", elements="dict", options=dict(name=dict(type="str", required=True), **rule_options)),
            purge_rules=dict(type="bool", default=False),
        ),
        required_one_of=[("id", "name", "rules")],
        mutually_exclusive=[("rules", option) for option in ("id",) + RULE_OPTIONS],
    )


if __name__ == "__main__":
    main()
