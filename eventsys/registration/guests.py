"""Guests who have not confirmed their e-mail address hold a place only for a short while.

A guest (no account) registers with any address; only opening the link mailed to it proves the
address (see registration.views.by_token). Until then the place is held for GUEST_HOLD_MINUTES
(from registering, or from being promoted off the waiting list); after that it is released and
the waiting list moves up. Without this, anyone could fill an event with made-up addresses.

Release happens in two ways, on purpose:
- a periodic queue task sweeps every event each minute, so the people waiting are promoted (and
  mailed) even when nobody else registers;
- the registration form releases the event's overdue holds before it counts places, so a newcomer
  is never sent to the waiting list by holds that are already over, whether or not a queue worker
  runs. The counting itself (services.occupancy) stays one plain query, not a time-dependent one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from eventsys.db import utcnow
from eventsys.events.models import Event
from eventsys.registration.enums import HOLDS_PLACE, Status
from eventsys.registration.models import Registration
from eventsys.registration.services import lock_event, promote_waitlist

DEFAULT_HOLD_MINUTES = 30


def hold_time() -> timedelta:
    """EVENTSYS_GUEST_HOLD_MINUTES; a value that is not a positive number falls back to 30."""
    try:
        minutes = float(current_app.config.get("GUEST_HOLD_MINUTES", DEFAULT_HOLD_MINUTES))
    except (TypeError, ValueError):
        minutes = DEFAULT_HOLD_MINUTES
    return timedelta(minutes=minutes if minutes > 0 else DEFAULT_HOLD_MINUTES)


def hold_minutes() -> int:
    """The hold in whole minutes, for the texts that tell guests how long they have."""
    return max(1, int(hold_time().total_seconds() // 60))


def _overdue(now: datetime, hold: timedelta) -> tuple:
    """Unconfirmed guests holding a place since before now - hold."""
    since = func.coalesce(Registration.confirmed_at, Registration.created_at)
    return (
        Registration.user_id.is_(None),
        Registration.email_confirmed_at.is_(None),
        Registration.status.in_(HOLDS_PLACE),
        since <= now - hold,
    )


def has_overdue_holds(session: Session, event: Event, now: datetime, hold: timedelta) -> bool:
    return bool(
        session.execute(
            select(exists().where(Registration.event_id == event.id, *_overdue(now, hold)))
        ).scalar()
    )


def release_overdue_holds(
    session: Session, event: Event, *, now: datetime | None = None, hold: timedelta | None = None
) -> list[Registration]:
    """Release the event's overdue guest holds and promote the waiting list; the caller commits.

    Takes the event's lock first, so the rows are chosen and the places refilled as one step."""
    now = now or utcnow()
    hold = hold or hold_time()
    lock_event(session, event)
    released = list(
        session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, *_overdue(now, hold))
            .order_by(Registration.id)
        )
    )
    for registration in released:
        # No mail: the address was never shown to work, and it may not be the guest's at all.
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
    if released:
        session.flush()
        promote_waitlist(session, event)
    return released


def release_due_for_event(
    session: Session, event: Event, *, now: datetime | None = None
) -> list[Registration]:
    """The form's lazy path: one cheap EXISTS query, and the release only when something is due."""
    now = now or utcnow()
    hold = hold_time()
    if not has_overdue_holds(session, event, now, hold):
        return []
    return release_overdue_holds(session, event, now=now, hold=hold)


def release_all_overdue(session: Session, *, now: datetime | None = None) -> int:
    """The periodic sweep: every event with overdue holds, each committed on its own so one
    event's lock is never held while another is processed. Returns how many were released."""
    now = now or utcnow()
    hold = hold_time()
    event_ids = session.scalars(
        select(Registration.event_id).where(*_overdue(now, hold)).distinct()
    ).all()
    count = 0
    for event_id in event_ids:
        event = session.get(Event, event_id)
        if event is None:
            continue
        count += len(release_overdue_holds(session, event, now=now, hold=hold))
        session.commit()
    return count
