"""The organisers' dashboard: places and registrations per category."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eventsys.events.models import Category, Event


@dataclass
class CategoryCounts:
    category: Category
    counts: dict[str, int]
    places_left: int | None

    @property
    def taken(self) -> int:
        return self.counts.get("confirmed", 0) + self.counts.get("pending", 0)


@dataclass
class Dashboard:
    rows: list[CategoryCounts]
    totals: dict[str, int]
    places_left: int | None
    failed_mails: int


DASHBOARD_STATUSES = ("confirmed", "pending", "waitlisted", "cancelled")


def _smallest(*limits: int | None) -> int | None:
    """The tightest of several limits; None (no limit) when none applies."""
    known = [n for n in limits if n is not None]
    return min(known) if known else None


def dashboard(session: Session, event: Event) -> Dashboard:
    """Registrations per category and status, places left, mails that could not be delivered."""
    from eventsys.mail.services import failed_count
    from eventsys.registration.capacity import places_left
    from eventsys.registration.models import Registration

    counted = session.execute(
        select(Registration.category_id, Registration.status, func.count())
        .where(Registration.event_id == event.id)
        .group_by(Registration.category_id, Registration.status)
    ).all()
    by_category: dict[int, dict[str, int]] = {}
    for category_id, status, count in counted:
        by_category.setdefault(category_id, {})[str(status)] = count
    rows = [
        CategoryCounts(category, by_category.get(category.id, {}), None)
        for category in event.categories
    ]
    totals = {s: sum(r.counts.get(s, 0) for r in rows) for s in (*DASHBOARD_STATUSES, "rejected")}
    event_left = places_left(event.capacity, totals["confirmed"] + totals["pending"])
    for row in rows:
        # A category's own room counts only as far as the event has room left.
        row.places_left = _smallest(places_left(row.category.capacity, row.taken), event_left)
    return Dashboard(rows, totals, event_left, failed_count(session, event.id))
