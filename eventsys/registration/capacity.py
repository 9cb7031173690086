"""Whether a place is free: plain arithmetic, no database, so tests can call it directly."""

from __future__ import annotations

from dataclasses import dataclass

from eventsys.registration.enums import Status


@dataclass(frozen=True)
class Occupancy:
    """Places taken (pending + confirmed) against the limits; None means unlimited."""

    event_capacity: int | None
    event_taken: int
    category_capacity: int | None
    category_taken: int

    @property
    def has_place(self) -> bool:
        return _free(self.event_capacity, self.event_taken) and _free(
            self.category_capacity, self.category_taken
        )


def _free(capacity: int | None, taken: int) -> bool:
    return capacity is None or taken < capacity


def status_for_new_registration(occupancy: Occupancy, requires_approval: bool) -> Status:
    if not occupancy.has_place:
        return Status.WAITLISTED
    return Status.PENDING if requires_approval else Status.CONFIRMED


def places_left(capacity: int | None, taken: int) -> int | None:
    return None if capacity is None else max(capacity - taken, 0)
