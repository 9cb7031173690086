"""A person's data: everything held about them (JSON), and deleting their account.
The optional participant list of an event, filtered by each person's consent."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.accounts.services import check_password
from eventsys.db import utcnow
from eventsys.errors import ServiceError
from eventsys.events.models import Event
from eventsys.privacy import audience as rules
from eventsys.privacy.registry import erasers, exporters
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration

EXPORT_FORMAT = "eventsys-personal-data/1"


def export_person(session: Session, user: User) -> dict[str, Any]:
    """Every area's part, under the area's name."""
    data: dict[str, Any] = {"format": EXPORT_FORMAT, "exported_at": utcnow()}
    for name, fn in exporters().items():
        data[name] = fn(session, user)
    return data


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def export_json(session: Session, user: User) -> bytes:
    return json.dumps(
        export_person(session, user), default=_json_default, ensure_ascii=False, indent=2
    ).encode("utf-8")


def delete_account(session: Session, user: User, password: str) -> dict[str, int]:
    """Erase the person everywhere (each area's eraser, the account last); returns rows per
    area. The password guards against a forgotten open session."""
    if user.deleted_at is not None:
        raise ServiceError(_("This account is already deleted."))
    if not check_password(user, password or ""):
        raise ServiceError(_("The password is wrong."), field="password")
    return erase_person(session, user)


def erase_person(session: Session, user: User) -> dict[str, int]:
    done = {}
    for name, fn in erasers():
        done[name] = int(fn(session, user) or 0)
    session.flush()
    return done


# --- participant list ---------------------------------------------------------------------


def is_participant(session: Session, event: Event, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        session.execute(
            select(Registration.id).where(
                Registration.event_id == event.id,
                Registration.user_id == user.id,
                Registration.status == Status.CONFIRMED,
            )
        ).first()
        is not None
    )


def participant_list(session: Session, event: Event, audience: str) -> list[rules.Entry]:
    """Confirmed participants this audience may see, with only the fields it may see."""
    registrations = session.execute(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == Status.CONFIRMED,
            Registration.visibility.in_(sorted(rules.visible_levels(audience))),
        )
        .order_by(Registration.display_name, Registration.id)
    ).scalars()
    entries = (
        rules.entry_for(
            audience,
            name=r.display_name,
            latin_name=r.latin_name,
            organisation=r.organisation_name,
            country=r.country,
            visibility=r.visibility.value,
            show_organisation=r.show_organisation,
            show_country=r.show_country,
        )
        for r in registrations
    )
    return [e for e in entries if e is not None]


def set_participant_list(session: Session, event: Event, enabled: bool) -> None:
    event.participant_list_enabled = bool(enabled)
    session.flush()
