# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: token
author: sinch.est contributors (@sinch-est)
short_description: Fetch one Sinch OAuth2 access token
version_added: 0.1.0
description:
  - Fetches an OAuth2 access token for a Sinch access key from C({auth_url}/oauth2/token), with the
    client-credentials grant.
  - Fetch one token at the start of a play and pass it to every task as the C(access_token) option of the
    sinch.est modules (for example in C(module_defaults) for C(group/sinch.est.all)), so the play asks for one
    token instead of one per task.
  - Sinch tokens live for about an hour. Give the tasks C(key_id) and C(key_secret) as well, so that a task
    renews an expired token once instead of failing.
  - The request is retried like every request of this collection (rate limits, temporary server errors,
    connection errors), bounded by O(retries) and O(retry_deadline). A rejected key fails at once.
options:
  _terms:
    description: Not used; give no terms.
    required: false
  project_id:
    description:
      - The Sinch project; used only in messages (a token belongs to the access key, not to a project).
    type: str
    env:
      - name: SINCH_PROJECT_ID
  key_id:
    description:
      - The ID of the Sinch access key.
    type: str
    required: true
    env:
      - name: SINCH_KEY_ID
  key_secret:
    description:
      - The secret of the access key. Never logged or returned.
    type: str
    required: true
    env:
      - name: SINCH_KEY_SECRET
  auth_url:
    description:
      - Base URL of the Sinch OAuth2 service; the token is requested from C({auth_url}/oauth2/token).
      - Point it at the EST emulator (for example V(http://127.0.0.1:8765)) in tests.
      - Plain C(http://) is accepted only for loopback hosts unless O(allow_insecure_http=true).
    type: str
    default: https://auth.sinch.com
    env:
      - name: SINCH_AUTH_URL
  validate_certs:
    description:
      - Whether to check the TLS certificate of O(auth_url). V(false) wins over O(ca_path).
    type: bool
    default: true
    env:
      - name: SINCH_VALIDATE_CERTS
  ca_path:
    description:
      - A PEM file (or C(c_rehash) directory) of CA certificates to check O(auth_url) against.
    type: path
    env:
      - name: SINCH_CA_PATH
  allow_insecure_http:
    description:
      - Allow a plain C(http://) O(auth_url) on a host other than loopback. The key secret then crosses the
        network unencrypted.
    type: bool
    default: false
    env:
      - name: SINCH_ALLOW_INSECURE_HTTP
  timeout:
    description:
      - Seconds to wait for the token request.
    type: float
    default: 30
    env:
      - name: SINCH_API_TIMEOUT
  retries:
    description:
      - How many times the token request is repeated after a rate limit, a temporary server error or a
        connection error.
    type: int
    default: 5
    env:
      - name: SINCH_API_RETRIES
  retry_deadline:
    description:
      - Seconds from the first attempt after which the token request is not repeated any more.
    type: float
    default: 120
    env:
      - name: SINCH_API_RETRY_DEADLINE
notes:
  - The token is a credential. Keep it out of output with C(no_log) on tasks that print it, and don't write it
    to files.
  - Lookups run on the controller, so the controller (or the execution environment) needs the Python
    C(requests) library.
requirements:
  - requests >= 2.25
seealso:
  - name: Sinch OAuth2 authentication
    description: How Sinch issues access tokens for access keys.
    link: https://developers.sinch.com/docs/est/api-reference/authentication/
"""

EXAMPLES = r"""
# SINCH_PROJECT_ID, SINCH_KEY_ID and SINCH_KEY_SECRET come from the environment (or an AWX credential).
- name: Fetch one token for every task of the play (set_fact evaluates the lookup once)
  ansible.builtin.set_fact:
    est_token: "{{ lookup('sinch.est.token') }}"
  no_log: true

- name: List trunks with it
  sinch.est.est_trunk_info:
    access_token: "{{ est_token }}"

# In a play, hand it to every module at once:
#   module_defaults:
#     group/sinch.est.all:
#       access_token: "{{ est_token | default(omit) }}"

- name: A token from the local EST emulator
  ansible.builtin.set_fact:
    est_token: "{{ lookup('sinch.est.token', key_id='demo-key', key_secret='demo-secret',
                   auth_url='http://127.0.0.1:8765') }}"
  no_log: true
"""

RETURN = r"""
_raw:
  description:
    - "A list with one element: the access token, to send as C(Authorization: Bearer <token>)."
  type: list
  elements: str
"""

from ansible.errors import AnsibleLookupError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.sinch.est.plugins.module_utils._client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, client_from_options
from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError, EstConfigError

display = Display()


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        if terms:
            raise AnsibleLookupError("sinch.est.token takes no terms; pass key_id, key_secret and auth_url as options")
        if not HAS_REQUESTS:
            raise AnsibleLookupError(
                "sinch.est.token needs the Python library requests on the controller: %s" % REQUESTS_IMPORT_ERROR
            )
        try:
            client = client_from_options(self.get_option, warn=display.warning)
            return [client.token()]
        except (EstConfigError, EstApiError) as error:
            raise AnsibleLookupError("sinch.est.token: %s" % to_native(error))
