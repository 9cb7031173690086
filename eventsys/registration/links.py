"""Links to a guest's own registration in later mails (moved up, approved).

A guest's page is reached through a secret whose digest alone is stored, so a later mail cannot
repeat the first mail's link. It carries a signed token instead: the registration's id and the
start of its current access digest, signed with the app's secret key. It opens the same page
and stops working whenever the original link would (a new secret, an erasure).
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

PREFIX = "m."
SALT = "eventsys.registration-mail-link"
DIGEST_PART = 16


def mail_token(registration_id: int, access_digest: str, secret_key: str) -> str:
    body = URLSafeSerializer(secret_key, salt=SALT).dumps(
        [registration_id, access_digest[:DIGEST_PART]]
    )
    return PREFIX + body


def read_mail_token(token: str, secret_key: str) -> tuple[int, str] | None:
    """(registration id, digest part) of a genuine token, else None."""
    if not token.startswith(PREFIX):
        return None
    try:
        value = URLSafeSerializer(secret_key, salt=SALT).loads(token[len(PREFIX) :])
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        return None
    return value[0], str(value[1])
