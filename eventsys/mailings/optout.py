"""The opt-out link of news mails: a signed token naming the scope and the address.

Signed rather than stored: every news mail carries one, and nothing needs revoking (opting out
twice changes nothing; opting back in is the same page's other button)."""

from __future__ import annotations

from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eventsys.db import utcnow
from eventsys.errors import ServiceError
from eventsys.mailings.models import MailOptOut

SALT = "eventsys.mailings-opt-out"


def opt_out_token(scope: str, email: str, secret_key: str) -> str:
    return URLSafeSerializer(secret_key, salt=SALT).dumps([scope, email.strip().lower()])


def read_opt_out_token(token: str, secret_key: str) -> tuple[str, str]:
    """(scope, e-mail) of a genuine token; a ServiceError (404) otherwise."""
    try:
        value = URLSafeSerializer(secret_key, salt=SALT).loads(token)
    except BadSignature:
        value = None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise ServiceError(_("This link is not valid."), status=404, code="not_found")
    return value[0], value[1]


def is_opted_out(session: Session, scope: str, email: str) -> bool:
    row = session.execute(
        select(MailOptOut.id).where(MailOptOut.scope == scope, MailOptOut.email == email.lower())
    ).first()
    return row is not None


def opt_out(session: Session, scope: str, email: str) -> None:
    """Idempotent: a second click (or a mail scanner) changes nothing."""
    if is_opted_out(session, scope, email):
        return
    try:
        with session.begin_nested():  # two clicks at once: the second finds the first's row
            session.add(MailOptOut(scope=scope, email=email.lower(), created_at=utcnow()))
    except IntegrityError:
        pass


def opt_back_in(session: Session, scope: str, email: str) -> None:
    session.execute(
        delete(MailOptOut).where(MailOptOut.scope == scope, MailOptOut.email == email.lower())
    )
    session.flush()
