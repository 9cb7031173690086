"""Registration's statuses and visibilities: a leaf, so pure rules (capacity.py) and other areas
use them without loading the models, the database or the web stack."""

from __future__ import annotations

import enum


class Status(enum.StrEnum):
    PENDING = "pending"  # holds a place while it awaits the organisers' approval
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


# Statuses that take a place within the capacity.
HOLDS_PLACE = (Status.PENDING, Status.CONFIRMED)
ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED)


class Visibility(enum.StrEnum):
    ORGANISERS = "organisers"  # default: nobody but the organisers sees that the person takes part
    PARTICIPANTS = "participants"
    PUBLIC = "public"
