# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # A resource module: changes things, and says truthfully what it would change.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - "Check mode sends no write request; the result holds the object as it would be, in the form the real run
        returns it (the values the service fills in included); the id of an object yet to be created shows as
        C((created: id assigned by Sinch\\))."
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details:
      - Secrets such as passwords never appear in the diff.
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: all
    details:
      - The module talks to the Sinch API over HTTPS; run it on V(localhost) or an execution environment.
"""

    # A read-only module.
    INFO_MODULE = r"""
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - This module only reads; it behaves the same in check mode.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: N/A
    details:
      - This module only reads.
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: all
    details:
      - The module talks to the Sinch API over HTTPS; run it on V(localhost) or an execution environment.
"""

    ACTIONGROUP = r"""
attributes:
  action_group:
    description: Use C(group/sinch.est.all) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - sinch.est.all
"""
