"""Badge layout per event, the per-registration check-in nonce, and bulk print jobs."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.db import enum_type, utcnow
from eventsys.extensions import Model
from eventsys.registration.models import Registration


class BadgeLayout(enum.StrEnum):
    A6 = "a6"  # one A6 portrait badge per page (badge printers, pre-cut A6 stock)
    A4_SHEET = "a4_sheet"  # four A6 badges on an A4 sheet with cut marks (office printers)
    CARD = "card"  # 85 x 54 mm card (card printers, lanyards with card holders)


class SortOrder(enum.StrEnum):
    SURNAME = "surname"
    ORGANISATION = "organisation"
    COUNTRY = "country"


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class BadgeSettings(Model):
    __tablename__ = "badge_settings"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    layout: Mapped[BadgeLayout] = mapped_column(
        enum_type(BadgeLayout, 20),
        default=BadgeLayout.A4_SHEET,
    )


class BadgeCredential(Model):
    """The random nonce behind a registration's QR code. Re-issuing replaces it, so a lost or
    copied badge stops working at the door; the code itself is signed (eventsys.badges.codes)."""

    __tablename__ = "badge_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    nonce: Mapped[str] = mapped_column(String(40), unique=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    reissued_count: Mapped[int] = mapped_column(default=0)

    registration: Mapped[Registration] = relationship()


class PrintJob(Model):
    """A bulk print running on the task queue; the organiser watches `done` of `total` grow."""

    __tablename__ = "badge_print_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[JobStatus] = mapped_column(
        enum_type(JobStatus, 20),
        default=JobStatus.QUEUED,
    )
    layout: Mapped[BadgeLayout] = mapped_column(enum_type(BadgeLayout, 20))
    sort: Mapped[SortOrder] = mapped_column(
        enum_type(SortOrder, 20),
        default=SortOrder.SURNAME,
    )
    # Filters as chosen: {"category": code, "since": iso time, "registration_id": id}
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    # Random file name under BADGE_OUTPUT_DIR: nothing personal, not guessable.
    file_name: Mapped[str | None] = mapped_column(String(80))
    file_size: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_full_print(self) -> bool:
        """A print of the whole event (no person or category filter) marks 'the last print'."""
        return not self.filters.get("registration_id") and not self.filters.get("category")
