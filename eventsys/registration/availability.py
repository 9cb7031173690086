"""What a visitor should know before registering: places left, full categories, people waiting.

Read without the event's lock: it informs, the lock still decides at the moment of registering.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eventsys.events.models import Category, Event
from eventsys.registration.enums import HOLDS_PLACE, Status
from eventsys.registration.models import Registration


@dataclass(frozen=True)
class CategoryPlaces:
    category: Category
    left: int | None  # None: no limit of its own

    @property
    def full(self) -> bool:
        return self.left is not None and self.left <= 0


@dataclass(frozen=True)
class Availability:
    places_left: int | None  # of the event; None: no limit
    waiting: int
    categories: list[CategoryPlaces] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return self.places_left is not None and self.places_left <= 0

    @property
    def full_categories(self) -> list[Category]:
        return [c.category for c in self.categories if c.full]

    @property
    def few_left(self) -> bool:
        """Worth telling: at most a tenth of the places, or ten, remain."""
        return self.places_left is not None and 0 < self.places_left <= 10


def availability(session: Session, event: Event) -> Availability:
    counts = session.execute(
        select(Registration.category_id, Registration.status, func.count())
        .where(Registration.event_id == event.id)
        .group_by(Registration.category_id, Registration.status)
    ).all()
    taken: dict[int, int] = {}
    waiting = 0
    for category_id, status, n in counts:
        if status in HOLDS_PLACE:
            taken[category_id] = taken.get(category_id, 0) + n
        elif status == Status.WAITLISTED:
            waiting += n
    total = sum(taken.values())
    left = None if event.capacity is None else max(event.capacity - total, 0)
    categories = [
        CategoryPlaces(c, None if c.capacity is None else max(c.capacity - taken.get(c.id, 0), 0))
        for c in event.categories
        if c.is_public
    ]
    return Availability(left, waiting, categories)
