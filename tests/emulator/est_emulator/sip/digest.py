"""HTTP Digest for SIP (RFC 3261 22.4, RFC 2617; MD5, qop "auth" or none): nonces and answer checks.

A nonce is the time it was made and an HMAC of it with a per-process key, so the edge keeps no table
and a nonce from another run or forged by hand is refused. It is good for NONCE_LIFETIME seconds;
an answer with an older nonce is challenged again with `stale=TRUE` (RFC 2617 3.2.1), which SIPp
and Kamailio answer without counting it as a failure.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

NONCE_LIFETIME = 300.0


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


class Nonces:
    def __init__(self, key: bytes | None = None) -> None:
        self.key = key or os.urandom(16)

    def _mac(self, stamp: str) -> str:
        return hmac.new(self.key, stamp.encode(), hashlib.sha256).hexdigest()[:24]

    def new(self, now: float) -> str:
        stamp = f"{now:.6f}"
        return base64.b64encode(f"{stamp}:{self._mac(stamp)}".encode()).decode().rstrip("=")

    def state(self, nonce: str, now: float) -> str:
        """`fresh`, `stale` (ours, expired) or `bad` (not ours)."""
        try:
            stamp, _colon, mac = base64.b64decode(nonce + "=" * (-len(nonce) % 4)).decode().partition(":")
            made = float(stamp)
        except (ValueError, UnicodeDecodeError):
            return "bad"
        if not hmac.compare_digest(mac, self._mac(stamp)):
            return "bad"
        return "fresh" if 0 <= now - made <= NONCE_LIFETIME else "stale"


def challenge(realm: str, nonce: str, stale: bool = False) -> str:
    return (f'Digest realm="{realm}", nonce="{nonce}", algorithm=MD5, qop="auth"'
            + (", stale=TRUE" if stale else ""))


def expected_response(answer: dict, method: str, password: str) -> str:
    ha1 = md5(f"{answer.get('username', '')}:{answer.get('realm', '')}:{password}")
    ha2 = md5(f"{method}:{answer.get('uri', '')}")
    if answer.get("qop", "").lower() == "auth":
        return md5(f"{ha1}:{answer.get('nonce', '')}:{answer.get('nc', '')}:{answer.get('cnonce', '')}:auth:{ha2}")
    return md5(f"{ha1}:{answer.get('nonce', '')}:{ha2}")


def answer_matches(answer: dict, method: str, realm: str, password: str) -> bool:
    """The answer is for this realm, with MD5, and its response proves the password."""
    if answer.get("realm") != realm or answer.get("algorithm", "MD5").upper() != "MD5":
        return False
    if answer.get("qop") and answer.get("qop", "").lower() != "auth":
        return False
    return hmac.compare_digest(answer.get("response", "").lower(), expected_response(answer, method, password))
