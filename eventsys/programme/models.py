"""Rooms, tracks, sessions, speakers, sign-ups, stars, published versions and feed tokens."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime, time
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.db import enum_type, utcnow
from eventsys.events.models import Event
from eventsys.extensions import Model


class SessionKind(enum.StrEnum):
    PLENARY = "plenary"
    WORKSHOP = "workshop"
    PANEL = "panel"
    BREAK = "break"
    GENERAL_ASSEMBLY = "general_assembly"


class SignUpStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"


class Room(Model):
    __tablename__ = "programme_rooms"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # Other languages' versions {locale: text}, read with eventsys.i18n.localized(room, "name").
    name_translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    capacity: Mapped[int | None]
    # Wall-clock opening hours in the event's zone, the same every day; None: always open.
    opens_at: Mapped[time | None] = mapped_column(Time)
    closes_at: Mapped[time | None] = mapped_column(Time)
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship()


class Track(Model):
    __tablename__ = "programme_tracks"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    colour: Mapped[str] = mapped_column(String(7), default="#2f6f4f")
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship()


def new_uid() -> str:
    return str(uuid.uuid4())


class ProgrammeSession(Model):
    """One timetable entry. `uid` never changes, so calendars and apps update rather than copy."""

    __tablename__ = "programme_sessions"
    __table_args__ = (Index("ix_programme_sessions_event_start", "event_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    kind: Mapped[SessionKind] = mapped_column(enum_type(SessionKind, 20))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    title_translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    description_translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    language: Mapped[str] = mapped_column(String(10), default="en")
    room_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_rooms.id", ondelete="SET NULL"), index=True
    )
    track_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_tracks.id", ondelete="SET NULL"), index=True
    )
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    # Places for sign-up; None: the room's capacity. Sign-up only where the organiser asks for it.
    capacity: Mapped[int | None]
    signup_required: Mapped[bool] = mapped_column(default=False)
    is_cancelled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    room: Mapped[Room | None] = relationship()
    track: Mapped[Track | None] = relationship()
    speakers: Mapped[list[SessionSpeaker]] = relationship(
        back_populates="session", order_by="SessionSpeaker.position", cascade="all, delete-orphan"
    )

    @property
    def places(self) -> int | None:
        if self.capacity is not None:
            return self.capacity
        return self.room.capacity if self.room is not None else None

    def __repr__(self) -> str:
        return f"<ProgrammeSession {self.id} {self.title!r}>"


class SessionSpeaker(Model):
    """A registered person (user_id) or an external name."""

    __tablename__ = "programme_speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[ProgrammeSession] = relationship(back_populates="speakers")


class SignUp(Model):
    __tablename__ = "programme_signups"
    __table_args__ = (
        UniqueConstraint("session_id", "registration_id"),
        Index("ix_programme_signups_session_status", "session_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("programme_sessions.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[SignUpStatus] = mapped_column(enum_type(SignUpStatus, 20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[ProgrammeSession] = relationship()


class Star(Model):
    __tablename__ = "programme_stars"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("programme_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProgrammeVersion(Model):
    """A published version: a frozen copy of the timetable and what changed since the last one.

    Participants, feeds and exports read only these, so drafts never leak."""

    __tablename__ = "programme_versions"
    __table_args__ = (UniqueConstraint("event_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    number: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # {"rooms": [...], "tracks": [...], "sessions": [...]}, see services.snapshot_of.
    snapshot: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # [{"uid", "id", "title", "change": "new"|"moved"|"room_changed"|"cancelled"|"changed"}]
    changes: Mapped[list[Any]] = mapped_column(default=list)
    # A fresh random value whenever the snapshot is written (publishing; the privacy eraser
    # rewriting it): caches of the parsed snapshot and of the feeds built from it use it as key,
    # and it is unique across databases, so a restored or recreated database never hits them.
    revision: Mapped[str] = mapped_column(String(32), default=lambda: uuid.uuid4().hex)


class ProgrammeSeen(Model):
    """The published version a person last marked as seen, for the 'changed' marks."""

    __tablename__ = "programme_seen"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    version_number: Mapped[int]


class FeedToken(Model):
    """The secret of a personal calendar feed; only the digest is stored. Revoked ones stay."""

    __tablename__ = "programme_feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class UnscheduledSession(Model):
    """A session that has no room or time yet (an accepted proposal, say): the editor lists it
    and schedules it, which makes the timetable entry. Kept apart from ProgrammeSession so the
    timetable, feeds and published versions only ever see sessions with a time."""

    __tablename__ = "programme_unscheduled"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SessionKind] = mapped_column(enum_type(SessionKind, 20))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(10), default="en")
    track_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_tracks.id", ondelete="SET NULL")
    )
    # [{"name": "...", "user_id": 3 | None}], copied to SessionSpeaker rows when scheduled.
    speakers: Mapped[list[Any]] = mapped_column(default=list)
    # Where it came from, for people: "Proposal 12".
    source: Mapped[str] = mapped_column(String(100), default="")
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_sessions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    track: Mapped[Track | None] = relationship()
    session: Mapped[ProgrammeSession | None] = relationship()
