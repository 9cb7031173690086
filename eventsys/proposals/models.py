"""Calls for proposals, the proposals sent to them, their speakers and their reviews."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.db import enum_type, utcnow
from eventsys.events.models import Event
from eventsys.extensions import Model

FORMATS = ("workshop", "panel", "side_event", "poster")
DECISIONS = ("accept", "reject", "waitlist")


class ProposalStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WAITLISTED = "waitlisted"


class SpeakerStatus(enum.StrEnum):
    INVITED = "invited"
    CONFIRMED = "confirmed"


class Call(Model):
    """One call per event. Lists are plain JSON: they are short and read whole."""

    __tablename__ = "proposal_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    intro: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[datetime]  # UTC; shown in the event's zone
    formats: Mapped[list[Any]] = mapped_column(default=list)  # values of FORMATS
    tracks: Mapped[list[Any]] = mapped_column(default=list)  # names
    languages: Mapped[list[Any]] = mapped_column(default=list)  # locale codes
    questions: Mapped[list[Any]] = mapped_column(default=list)  # free-text question labels
    criteria: Mapped[list[Any]] = mapped_column(default=list)  # review criterion names
    max_organisations: Mapped[int] = mapped_column(default=3)
    max_speakers: Mapped[int] = mapped_column(default=4)
    anonymous_review: Mapped[bool] = mapped_column(default=False)
    is_open: Mapped[bool] = mapped_column(default=True)  # the organiser may close it early
    # {"accept": {"subject": "...", "body": "..."}, "reject": {...}, "waitlist": {...}}
    mail_templates: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()

    def accepts_submissions(self, now: datetime) -> bool:
        return self.is_open and now < self.deadline


class Proposal(Model):
    __tablename__ = "proposals"
    __table_args__ = (Index("ix_proposals_call_status", "call_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("proposal_calls.id", ondelete="CASCADE"))
    submitter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    submitter_name: Mapped[str] = mapped_column(String(200), default="")
    # The submitter's own organisation: an existing one, or a name typed in.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    organisation_name: Mapped[str] = mapped_column(String(300), default="")
    # {"en": {"title": "...", "abstract": "..."}, "pt": {...}}: one or more of the call's languages.
    texts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    format: Mapped[str] = mapped_column(String(20))
    track: Mapped[str] = mapped_column(String(120), default="")
    session_language: Mapped[str] = mapped_column(String(10), default="en")
    # [{"organisation_id": 3 | None, "name": "..."}]
    co_organisers: Mapped[list[Any]] = mapped_column(default=list)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)  # question label -> text
    status: Mapped[ProposalStatus] = mapped_column(
        enum_type(ProposalStatus, 20), default=ProposalStatus.SUBMITTED
    )
    decided_at: Mapped[datetime | None]
    # The programme entry made on acceptance (an unscheduled session).
    unscheduled_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_unscheduled.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    call: Mapped[Call] = relationship()
    speakers: Mapped[list[ProposalSpeaker]] = relationship(
        back_populates="proposal", order_by="ProposalSpeaker.position", cascade="all, delete-orphan"
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan"
    )

    def text(self, field: str, locale: str | None = None) -> str:
        """The text in the reader's language, else the first language written."""
        texts = self.texts or {}
        chosen: dict[str, Any] = texts.get(locale or "") or next(iter(texts.values()), {})
        return str(chosen.get(field, ""))

    @property
    def title(self) -> str:
        return self.text("title")

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.status}>"


class ProposalSpeaker(Model):
    """A speaker named by the submitter, invited by mail to confirm and complete a profile."""

    __tablename__ = "proposal_speakers"
    __table_args__ = (UniqueConstraint("proposal_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(300), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[SpeakerStatus] = mapped_column(
        enum_type(SpeakerStatus, 20), default=SpeakerStatus.INVITED
    )
    position: Mapped[int] = mapped_column(default=0)
    confirmed_at: Mapped[datetime | None]

    proposal: Mapped[Proposal] = relationship(back_populates="speakers")


class Review(Model):
    __tablename__ = "proposal_reviews"
    __table_args__ = (UniqueConstraint("proposal_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scores: Mapped[dict[str, Any]] = mapped_column(default=dict)  # criterion -> 0..5
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="reviews")

    @property
    def mean(self) -> float | None:
        values = [float(v) for v in (self.scores or {}).values()]
        return sum(values) / len(values) if values else None
