from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.accounts.models import User
from eventsys.db import utcnow
from eventsys.extensions import Model, db
from eventsys.registration.models import Registration


class CheckIn(Model):
    """One admission at the door. Undoing keeps the row (reverted_at) for the record.

    The database allows one active check-in per registration, and one row per device nonce, so a
    scan sent twice (dropped connection, two devices at once) never admits twice.
    """

    __tablename__ = "checkins"
    __table_args__ = (
        Index(
            "uq_checkins_registration_active",
            "registration_id",
            unique=True,
            sqlite_where=db.text("reverted_at IS NULL"),
            postgresql_where=db.text("reverted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    # Sent by the scanning device with each scan; a resend of the same scan carries the same nonce.
    nonce: Mapped[str | None] = mapped_column(String(64), unique=True)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    method: Mapped[str] = mapped_column(String(10), default="scan")  # scan | manual
    checked_in_at: Mapped[datetime] = mapped_column(default=utcnow)
    reverted_at: Mapped[datetime | None]
    reverted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    registration: Mapped[Registration] = relationship()
    staff: Mapped[User | None] = relationship(foreign_keys=[staff_user_id])
    reverted_by: Mapped[User | None] = relationship(foreign_keys=[reverted_by_id])
