"""Check-in codes printed in the badge's QR: an opaque random nonce with an HMAC, nothing else.

A code is `EB1` + nonce + tag in upper-case base32, so it survives hand-held scanners typing it on
any keyboard layout and fits the QR's compact alphanumeric mode. The nonce is random per
registration and stored; re-issuing it revokes the old badge. The tag (HMAC-SHA256 with a key
derived from the app's secret key) lets the door reject forged or mistyped codes before any lookup.
No database here: tests call it with plain values.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "EB1"
NONCE_BYTES = 15  # 120 random bits: 24 base32 characters
TAG_BYTES = 10  # 80 bits of HMAC: 16 base32 characters
NONCE_CHARS = 24
TAG_CHARS = 16
CODE_LENGTH = len(PREFIX) + NONCE_CHARS + TAG_CHARS
_PURPOSE = b"eventsys.badges.checkin-code.v1"


def _b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def _key(secret_key: str | bytes) -> bytes:
    """A key of its own for badge codes, so no other signed value of the app can pass as one."""
    raw = secret_key.encode() if isinstance(secret_key, str) else secret_key
    return hmac.new(raw, _PURPOSE, hashlib.sha256).digest()


def new_nonce() -> str:
    return _b32(secrets.token_bytes(NONCE_BYTES))


def _tag(nonce: str, secret_key: str | bytes) -> str:
    return _b32(hmac.new(_key(secret_key), nonce.encode("ascii"), hashlib.sha256).digest())[
        :TAG_CHARS
    ]


def make_code(nonce: str, secret_key: str | bytes) -> str:
    return f"{PREFIX}{nonce}{_tag(nonce, secret_key)}"


def nonce_from_code(code: str | None, secret_key: str | bytes) -> str | None:
    """The nonce of a genuine code, or None for anything forged, truncated or garbled."""
    text = "".join((code or "").split()).upper()
    if len(text) != CODE_LENGTH or not text.startswith(PREFIX) or not text.isascii():
        return None
    nonce = text[len(PREFIX) : len(PREFIX) + NONCE_CHARS]
    tag = text[len(PREFIX) + NONCE_CHARS :]
    if not hmac.compare_digest(tag, _tag(nonce, secret_key)):
        return None
    return nonce
