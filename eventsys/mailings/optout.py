"""The opt-out link of news mails: a signed token naming the registration it was sent to.

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
from eventsys.mailings.filters import opt_out_scope
from eventsys.mailings.models import MailOptOut
from eventsys.registration.models import Registration

SALT = "eventsys.mailings-opt-out"


def opt_out_token(registration_id: int, secret_key: str) -> str:
    """Names the registration, not the address, so no address shows in links or server logs."""
    return URLSafeSerializer(secret_key, salt=SALT).dumps([registration_id])


def read_opt_out_token(token: str, secret_key: str) -> int:
    """The registration id of a genuine token; a ServiceError (404) otherwise."""
    try:
        value = URLSafeSerializer(secret_key, salt=SALT).loads(token)
    except BadSignature:
        value = None
    if not (isinstance(value, list) and len(value) == 1 and type(value[0]) is int):
        raise ServiceError(_("This link is not valid."), status=404, code="not_found")
    return value[0]


def subject_of(session: Session, token: str, secret_key: str) -> tuple[str, str]:
    """(scope, address) a link opts out: the registration's event's scope and its address."""
    registration = session.get(Registration, read_opt_out_token(token, secret_key))
    if registration is None or registration.email.endswith("@invalid"):  # gone, or erased
        raise ServiceError(_("This link is not valid."), status=404, code="not_found")
    return opt_out_scope(registration.event), registration.email.lower()


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
