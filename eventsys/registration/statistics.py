"""Counts of registrations: the organisers' dashboard (places and registrations per category),
confirmed registrations per event, and the answers events asks for (events/signals.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eventsys.events.models import Category, Event, Question
from eventsys.mail.services import failed_count
from eventsys.registration.capacity import places_left
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration


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


def confirmed_counts(session: Session) -> dict[int, int]:
    """Confirmed registrations per event id, in one query."""
    rows = (
        session.execute(
            select(Registration.event_id, func.count())
            .where(Registration.status == Status.CONFIRMED)
            .group_by(Registration.event_id)
        )
        .tuples()
        .all()
    )
    return dict(rows)


def registrations_in_category(category: Category, *, session: Session) -> int:
    """For events' `category_uses`: a category in use cannot be deleted."""
    return session.execute(
        select(func.count()).where(Registration.category_id == category.id)
    ).scalar_one()


def answers_to(question: Question, *, session: Session) -> int:
    """For events' `question_answers`: how many registrations answered the question (answers
    live in a JSON column)."""
    key = str(question.id)
    rows = session.execute(
        select(Registration.answers).where(Registration.event_id == question.event_id)
    ).scalars()
    return sum(1 for answers in rows if answers and answers.get(key) not in (None, "", []))
