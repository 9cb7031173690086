"""The foundation's areas (accounts, registrations, mail, check-in) in the personal-data registry.

Those areas predate the registry, so the privacy area speaks for them.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from eventsys.accounts.models import ApiToken, User
from eventsys.checkin.models import CheckIn
from eventsys.db import rowcount, utcnow
from eventsys.mail.models import OutboundMail
from eventsys.privacy.registry import register_eraser, register_exporter
from eventsys.registration import signals
from eventsys.registration.enums import ACTIVE, Status, Visibility
from eventsys.registration.models import Registration
from eventsys.registration.services import lock_event, promote_waitlist

ERASED_NAME = "(erased)"
ACCOUNT_MAIL_KINDS = ("confirm_email", "reset_password")


def _registrations(session: Session, user: User) -> list[Registration]:
    # By address only once the account has confirmed it (see declarations/privacy.py).
    mine = Registration.user_id == user.id
    if user.email_confirmed_at is not None:
        mine = or_(mine, func.lower(Registration.email) == user.email)
    return list(
        session.execute(select(Registration).where(mine).order_by(Registration.id)).scalars()
    )


def export_account(session: Session, user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "latin_name": user.latin_name,
        "locale": user.locale,
        "created_at": user.created_at,
        "email_confirmed_at": user.email_confirmed_at,
        "api_tokens": [
            {"name": t.name, "created_at": t.created_at, "last_used_at": t.last_used_at}
            for t in user.tokens
        ],
    }


def export_registrations(session: Session, user: User) -> list[dict[str, Any]]:
    items = []
    for r in _registrations(session, user):
        checkins = session.execute(
            select(CheckIn.checked_in_at, CheckIn.reverted_at).where(
                CheckIn.registration_id == r.id
            )
        ).all()
        items.append(
            {
                "event": r.event.slug,
                "event_title": r.event.title,
                "status": r.status.value,
                "category": r.category.label,
                "email": r.email,
                "name": r.display_name,
                "latin_name": r.latin_name,
                "organisation": r.organisation_name,
                "country": r.country,
                "answers": r.answers,
                "visibility": r.visibility.value,
                "show_organisation": r.show_organisation,
                "show_country": r.show_country,
                "created_at": r.created_at,
                "confirmed_at": r.confirmed_at,
                "cancelled_at": r.cancelled_at,
                "check_ins": [{"at": at, "undone_at": undone} for at, undone in checkins],
            }
        )
    return items


def export_mail(session: Session, user: User) -> list[dict[str, Any]]:
    if user.email_confirmed_at is None:
        return []
    mails = session.execute(
        select(OutboundMail)
        .where(func.lower(OutboundMail.to_address) == user.email)
        .order_by(OutboundMail.id)
    ).scalars()
    return [
        {
            "subject": m.subject,
            "text": m.text_body,
            "status": m.status.value,
            "created_at": m.created_at,
            "sent_at": m.sent_at,
        }
        for m in mails
    ]


def erase_registrations(session: Session, user: User) -> int:
    """Registrations stay (counts, capacity, attendance) but name nobody. A place held for an
    event still to come is given up, so the waiting list moves."""
    now = utcnow()
    registrations = _registrations(session, user)
    freed_events = {}
    given_up = []
    for r in registrations:
        if r.status in ACTIVE and r.event.ends_at > now:
            lock_event(session, r.event)
            r.status, r.cancelled_at = Status.CANCELLED, now
            freed_events[r.event_id] = r.event
            given_up.append(r)
        r.user_id = None
        r.email = f"erased-{r.id}@invalid"
        r.display_name = ERASED_NAME
        r.latin_name = None
        r.organisation_name = ""
        r.country = None
        r.answers = {}
        r.visibility = Visibility.ORGANISERS
        r.show_organisation = r.show_country = False
        r.access_digest = None
        r.decision_message = None
    session.flush()
    for event in freed_events.values():
        promote_waitlist(session, event)
    for r in given_up:  # workshop places go too, so their waiting lists move
        signals.registration_cancelled.send(r, session=session)
    return len(registrations)


def erase_mail(session: Session, user: User) -> int:
    """Mails to the person (sent or still queued) carry their name and address: they go. Of an
    unconfirmed address only the account's own mails go; the rest may be its real owner's."""
    query = delete(OutboundMail).where(func.lower(OutboundMail.to_address) == user.email)
    if user.email_confirmed_at is None:
        query = query.where(OutboundMail.kind.in_(ACCOUNT_MAIL_KINDS))
    return rowcount(session.execute(query)) or 0


def erase_account(session: Session, user: User) -> int:
    """The row stays (other records point to it) but holds nothing personal; logins stop."""
    session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    user.email = f"deleted-{user.id}@invalid"
    user.display_name = ERASED_NAME
    user.latin_name = None
    user.password_hash = None
    user.locale = None
    user.email_confirmed_at = None
    user.deleted_at = utcnow()
    user.session_version += 1
    session.flush()
    return 1


def register(app: Flask) -> None:
    register_exporter(app, "account", export_account)
    register_exporter(app, "registrations", export_registrations)
    register_exporter(app, "mail", export_mail)
    register_eraser(app, "registrations", erase_registrations)
    register_eraser(app, "mail", erase_mail, order=900)  # after areas that may still queue mail
    register_eraser(app, "account", erase_account, order=1000)
