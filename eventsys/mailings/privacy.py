"""What mailings hold about a person (who got which mailing; news opt-outs) and how it goes.

The record of a mailing keeps its row (the counts stay right) but not the address; an erased
person's opt-outs go with them, since their registrations name nobody any more."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from eventsys.mailings.models import Mailing, MailingRecipient, MailOptOut
from eventsys.registration.models import Registration


def _recipient_rows(session: Session, user: Any) -> list[tuple[MailingRecipient, Mailing]]:
    # By address only once the account has confirmed it (see declarations/privacy.py).
    mine = Registration.user_id == user.id
    if user.email_confirmed_at is not None:
        mine = or_(mine, func.lower(Registration.email) == user.email)
    rows = session.execute(
        select(MailingRecipient, Mailing)
        .join(Registration, Registration.id == MailingRecipient.registration_id)
        .join(Mailing, Mailing.id == MailingRecipient.mailing_id)
        .where(mine)
        .order_by(MailingRecipient.id)
    ).all()
    return [(r, m) for r, m in rows]


def _opt_outs(session: Session, user: Any) -> list[MailOptOut]:
    if user.email_confirmed_at is None:
        return []
    return list(
        session.execute(select(MailOptOut).where(MailOptOut.email == user.email.lower())).scalars()
    )


def export_mailings(session: Session, user: Any) -> dict[str, Any]:
    return {
        "received": [
            {
                "event": mailing.event.slug,
                "subject": mailing.subject,
                "language": recipient.locale,
                "queued_at": recipient.created_at,
            }
            for recipient, mailing in _recipient_rows(session, user)
        ],
        "news_opt_outs": [
            {"scope": o.scope, "since": o.created_at} for o in _opt_outs(session, user)
        ],
    }


def erase_mailings(session: Session, user: Any) -> int:
    """Runs before the registrations are erased, while they still name the person."""
    rows = _recipient_rows(session, user)
    for recipient, _mailing in rows:
        recipient.email = f"erased-{recipient.registration_id}@invalid"
    opt_outs = [o.id for o in _opt_outs(session, user)]
    if opt_outs:
        session.execute(delete(MailOptOut).where(MailOptOut.id.in_(opt_outs)))
    session.flush()
    return len(rows) + len(opt_outs)
