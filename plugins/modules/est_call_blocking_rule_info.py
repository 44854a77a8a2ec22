#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: est_call_blocking_rule_info
short_description: List Sinch Elastic SIP Trunking call blocking rules
version_added: 0.1.0
description:
  - Returns the call blocking rules of a Sinch Elastic SIP Trunking (EST) project, all of them or those with
    one name.
  - Never changes anything. Returns an empty list when nothing matches.
author:
  - sinch.est contributors (@sinch-est)
options:
  name:
    description:
      - Only rules with exactly this name. Rule names are optional and not unique, so several may match.
    type: str
extends_documentation_fragment:
  - sinch.est.connection
  - sinch.est.attributes.info_module
  - sinch.est.attributes.actiongroup
seealso:
  - module: sinch.est.est_call_blocking_rule
  - name: EST API reference for call blocking rules
    description: Sinch's reference of the call blocking rule operations this module uses.
    link: https://developers.sinch.com/docs/est/api-reference/est/call-blocking-rules/
"""

EXAMPLES = r"""
- name: Read every call blocking rule
  sinch.est.est_call_blocking_rule_info:
  register: rules

- name: Show the inbound rules
  ansible.builtin.debug:
    msg: "{{ rules.rules | selectattr('direction', 'equalto', 'INBOUND') | list }}"

- name: Read the rule named block-premium
  sinch.est.est_call_blocking_rule_info:
    name: block-premium
  register: premium
"""

RETURN = r"""
rules:
  description: The rules found (keys in snake_case), in the order the API lists them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 01HZX5C8N3P9Q6R4S0T7V2W1XY
      name: block-premium
      direction: OUTBOUND
      caller_country: ""
      callee_country: GB
      caller_match: ""
      callee_match: "+449"
      create_time: "2026-01-14T08:12:40Z"
      update_time: null
"""

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._module import EstModule, run_module, snake


class CallBlockingRuleInfo(EstModule):
    noun = "call blocking rule"

    def run(self):
        name = self.params["name"]
        with self.step("Reading call blocking rules"):
            rules = [snake(rule) for rule in self.list_all(paths.CALL_BLOCKING_RULES)
                     if name is None or rule.get("name") == name]
        self.exit(rules=rules)


def main():
    run_module(CallBlockingRuleInfo, dict(name=dict(type="str")))


if __name__ == "__main__":
    main()
