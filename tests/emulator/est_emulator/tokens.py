"""POST /oauth2/token (client credentials)."""
# pylint: disable=disallowed-name  # "_" is the throwaway name here (ansible-test reserves it)

from urllib.parse import parse_qs

from .auth import unauthenticated


def token_endpoint(state, body, authz):
    scheme, _, value = authz.partition(" ")
    key_id = state.keys.basic(value) if scheme.lower() == "basic" else None
    if not key_id:
        raise unauthenticated("Invalid client: send Basic base64(keyId:keySecret)")
    form = parse_qs(body.decode("utf-8", "replace"))
    grant = (form.get("grant_type") or [""])[0]
    if grant != "client_credentials":
        from .errors import ApiError

        raise ApiError(400, "unsupported_grant_type: use grant_type=client_credentials",
                       [("grant_type", "must be client_credentials")])
    return 200, {"access_token": state.keys.issue(key_id), "expires_in": state.keys.token_ttl,
                 "scope": "", "token_type": "bearer"}
