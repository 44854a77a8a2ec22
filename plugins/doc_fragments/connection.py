# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The connection options of every module (plugins/module_utils/_client.py,
    # connection_argument_spec()). One module_defaults block for group/sinch.est.all sets them all.
    DOCUMENTATION = r"""
options:
  project_id:
    description:
      - The Sinch project that owns the EST objects.
      - Shown in the Sinch dashboard under Settings, Projects; every API path starts with it.
      - If not set, the value of the E(SINCH_PROJECT_ID) environment variable is used.
    type: str
    required: true
  key_id:
    description:
      - The ID of a Sinch access key of the project (dashboard Settings, Access Keys).
      - Used with O(key_secret) to fetch an OAuth2 token, or sent as is with O(auth_method=basic).
      - Required unless O(access_token) is set.
      - If not set, the value of the E(SINCH_KEY_ID) environment variable is used.
    type: str
  key_secret:
    description:
      - The secret of the access key named by O(key_id). Sinch shows it only once, when the key is created.
      - Required unless O(access_token) is set.
      - Never logged or returned.
      - If not set, the value of the E(SINCH_KEY_SECRET) environment variable is used.
    type: str
  access_token:
    description:
      - An OAuth2 access token to send instead of fetching one.
      - Use it to fetch one token per play with the P(sinch.est.token#lookup) lookup and hand it to every task,
        instead of one token fetch per task.
      - When the token expires during a task and O(key_id)/O(key_secret) are also set, a new token is fetched
        once; without them the task fails and says so.
      - If not set, the value of the E(SINCH_ACCESS_TOKEN) environment variable is used; if that is not set
        either, a token is fetched from O(auth_url) with O(key_id) and O(key_secret) once per task.
      - Never logged or returned.
    type: str
  auth_method:
    description:
      - How requests are authenticated.
      - V(oauth2) fetches a short-lived token with O(key_id) and O(key_secret) (or uses O(access_token)) and
        sends it as a bearer token.
      - V(basic) sends O(key_id) and O(key_secret) with every request. Sinch documents Basic authentication as
        for testing only and rate limits it heavily, so the module warns when it is used.
      - If not set, the value of the E(SINCH_AUTH_METHOD) environment variable is used.
    type: str
    choices: [oauth2, basic]
    default: oauth2
  api_url:
    description:
      - Base URL of the Elastic SIP Trunking API, without C(/v1/projects/...).
      - Point it at the EST emulator (for example V(http://127.0.0.1:8765)) to test playbooks without a
        Sinch account.
      - Plain C(http://) is accepted only for loopback hosts unless O(allow_insecure_http=true).
      - If not set, the value of the E(SINCH_EST_API_URL) environment variable is used.
    type: str
    default: https://elastic-trunking.api.sinch.com
  auth_url:
    description:
      - Base URL of the Sinch OAuth2 service; tokens are requested from C({auth_url}/oauth2/token).
      - Plain C(http://) is accepted only for loopback hosts unless O(allow_insecure_http=true).
      - If not set, the value of the E(SINCH_AUTH_URL) environment variable is used.
    type: str
    default: https://auth.sinch.com
  numbers_api_url:
    description:
      - Base URL of the Sinch Numbers API, which routes phone numbers to trunks (M(sinch.est.est_phone_number)).
      - Every module accepts it, so one C(module_defaults) block for C(group/sinch.est.all) serves them all;
        modules that do not use the Numbers API ignore it.
      - Plain C(http://) is accepted only for loopback hosts unless O(allow_insecure_http=true).
      - If not set, the value of the E(SINCH_NUMBERS_API_URL) environment variable is used.
    type: str
    default: https://numbers.api.sinch.com
  validate_certs:
    description:
      - Whether to check the TLS certificates of O(api_url), O(auth_url) and O(numbers_api_url).
      - Set to V(false) only for testing against a server with a self-signed certificate; prefer O(ca_path).
        V(false) wins over O(ca_path).
      - If not set, the value of the E(SINCH_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file (or a directory prepared with C(c_rehash)) of CA certificates to check the servers
        against, for example behind a TLS-inspecting proxy.
      - If not set, the value of the E(SINCH_CA_PATH) environment variable is used; if that is not set
        either, the CA bundle of the Python C(requests) library (or E(REQUESTS_CA_BUNDLE)) is used.
    type: path
  allow_insecure_http:
    description:
      - Allow plain C(http://) URLs to hosts other than loopback (V(127.0.0.0/8), V(::1), V(localhost)).
      - Credentials and tokens then cross the network unencrypted; use it only for an emulator on another
        host of a private test network.
      - Plain C(http://) to loopback is always allowed.
      - If not set, the value of the E(SINCH_ALLOW_INSECURE_HTTP) environment variable is used.
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait for each HTTP request, both to connect and between bytes of the reply.
      - If not set, the value of the E(SINCH_API_TIMEOUT) environment variable is used.
    type: float
    default: 30
  retries:
    description:
      - How many times a request is repeated after a rate limit (HTTP 429), a temporary server error
        (HTTP 502, 503, 504), a timeout or a connection error.
      - Waits grow exponentially (with random jitter, up to 30 seconds); a C(Retry-After) from the server
        is honoured.
      - A request that creates an object (C(POST)) is repeated only when the server certainly did not act
        on it (HTTP 429, or no connection made); otherwise the module looks the object up before trying again.
      - V(0) disables retries.
      - If not set, the value of the E(SINCH_API_RETRIES) environment variable is used.
    type: int
    default: 5
  retry_deadline:
    description:
      - Seconds from the first attempt of a request after which it is not repeated any more, whatever
        O(retries) allows. The client never sleeps past it.
      - If not set, the value of the E(SINCH_API_RETRY_DEADLINE) environment variable is used.
    type: float
    default: 120
  concurrency:
    description:
      - How many requests one task may have in flight at once when it writes many items the API has no
        bulk form for (the numbers of M(sinch.est.est_phone_number), the list forms of
        M(sinch.est.est_endpoint) and M(sinch.est.est_call_blocking_rule), credentials, IP ranges,
        country permissions). Each worker has its own connection; a HTTP 429 slows them all down.
      - Where order matters (add before remove, enable before disable) it is kept between phases; only
        the requests within a phase overlap.
      - V(1) sends one request after another. The default was measured with 50 ms of added latency; see
        the performance guide.
      - If not set, the value of the E(SINCH_API_CONCURRENCY) environment variable is used.
    type: int
    default: 8
requirements:
  - requests >= 2.25 (on the host that runs the module, normally localhost or the execution environment)
notes:
  - >-
    The modules talk to the Sinch API from the host they run on; run them on V(localhost) (C(connection: local))
    or in an execution environment, not on managed nodes.
  - Errors name the request, the HTTP status, the attempts made, and the API's status, message and request id;
    they never contain O(key_secret), O(access_token) or any other credential.
seealso:
  - name: Sinch Elastic SIP Trunking API reference
    description: The API these modules manage.
    link: https://developers.sinch.com/docs/est/api-reference/
  - name: Sinch OAuth2 authentication
    description: How Sinch issues access tokens for access keys.
    link: https://developers.sinch.com/docs/est/api-reference/authentication/
"""
