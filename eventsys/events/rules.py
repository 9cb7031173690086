"""Small rules shared by an event's details, its categories and its questions."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy.orm import Session

from eventsys.events.models import Event
from eventsys.events.signals import capacity_grew
from eventsys.validation import DB_INT_MAX

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def next_position(positions: Iterable[int]) -> int:
    """After the last one, but within the column's range (a position set to the largest one
    makes the next share it)."""
    return min(max(positions, default=-1) + 1, DB_INT_MAX)


def capacity_grows(old: int | None, new: int | None) -> bool:
    return old is not None and (new is None or new > old)


def fill_free_places(session: Session, event: Event) -> None:
    """The event has more places: the areas above fill them (registration: its waiting list)."""
    capacity_grew.send(event, session=session)
