"""The Assembly's agenda: items in order, one open at a time, each with its list of speakers.

Modelled on OpenSlides' lists of speakers: a request is a row with a weight (its place in the
queue), a begin and an end time; a request not yet begun can be withdrawn (the row goes), one
begun stays as the record of who spoke and for how long.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.assembly.models import (
    ApplicationDocument,
    Assembly,
    MembershipApplication,
    Motion,
)
from eventsys.db import utcnow
from eventsys.extensions import Model
from eventsys.registration.models import Registration


class ItemKind(enum.StrEnum):
    REPORT = "report"
    MOTION = "motion"
    APPLICATION = "application"
    ELECTION = "election"
    OTHER = "other"


class ItemState(enum.StrEnum):
    PENDING = "pending"
    OPEN = "open"
    CLOSED = "closed"


class AgendaItem(Model):
    __tablename__ = "agenda_items"
    __table_args__ = (
        CheckConstraint("speaking_seconds >= 0", name="speaking_seconds"),
        Index("ix_agenda_items_assembly", "assembly_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20), default=ItemKind.OTHER.value)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    motion_id: Mapped[int | None] = mapped_column(
        ForeignKey("motions.id", ondelete="SET NULL"), index=True
    )
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership_applications.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[str] = mapped_column(String(10), default=ItemState.PENDING.value)
    # Each speaker's time, shown as a countdown on the projector; 0: no limit.
    speaking_seconds: Mapped[int] = mapped_column(default=180)
    speakers_closed: Mapped[bool] = mapped_column(default=False, server_default=false())
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    assembly: Mapped[Assembly] = relationship()
    motion: Mapped[Motion | None] = relationship()
    application: Mapped[MembershipApplication | None] = relationship()
    speakers: Mapped[list[Speaker]] = relationship(
        back_populates="item",
        order_by="(Speaker.begun_at.is_(None), Speaker.begun_at, Speaker.weight, Speaker.id)",
        cascade="all, delete-orphan",
    )

    own_documents: Mapped[list[AgendaDocument]] = relationship(
        back_populates="item", order_by="AgendaDocument.id", cascade="all, delete-orphan"
    )

    @property
    def documents(self) -> list[ApplicationDocument]:
        """The papers of the application the item is about, directly or through its motion."""
        application = self.application or (self.motion.application if self.motion else None)
        return list(application.documents) if application else []


class Speaker(Model):
    __tablename__ = "agenda_speakers"
    __table_args__ = (
        # One waiting request per person and item; once they have spoken they may ask again.
        Index(
            "uq_agenda_speakers_waiting",
            "item_id",
            "registration_id",
            unique=True,
            sqlite_where=text("begun_at IS NULL"),
            postgresql_where=text("begun_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    weight: Mapped[int] = mapped_column(default=0)  # place in the queue, smallest first
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    begun_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]

    item: Mapped[AgendaItem] = relationship(back_populates="speakers")
    registration: Mapped[Registration] = relationship()

    @property
    def seconds(self) -> int | None:
        """How long they spoke, once they have finished."""
        if self.begun_at is None or self.ended_at is None:
            return None
        return int((self.ended_at - self.begun_at).total_seconds())


class AgendaDocument(Model):
    """A PDF the chair attaches to an item (a report, a budget): stored like an application's
    documents, under UPLOAD_DIR/assembly by a random name, identified by its SHA-256."""

    __tablename__ = "agenda_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[AgendaItem] = relationship(back_populates="own_documents")
