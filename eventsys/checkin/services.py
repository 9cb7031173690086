"""Check-in at the door. Attendance read by other areas (the Assembly's quorum) comes from here."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.checkin.models import CheckIn


def checked_in_registration_ids(session: Session, event_id: int) -> set[int]:
    """Registrations of the event admitted at the door and not undone."""
    return set(
        session.execute(
            select(CheckIn.registration_id).where(
                CheckIn.event_id == event_id, CheckIn.reverted_at.is_(None)
            )
        ).scalars()
    )
