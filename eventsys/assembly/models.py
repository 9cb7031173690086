"""General Assembly tables.

Secrecy is built into the schema: `ballots` (what was chosen) and `poll_votes` (who has voted)
share nothing but the poll. A ballot's key is its random receipt, it carries no time and, in a
secret poll, no voting right (a CHECK constraint refuses one), so no query can join a voter to a
choice. `poll_votes` has the (poll, voting right) primary key that makes a second vote impossible.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.event import listens_for
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from eventsys.db import enum_type, utcnow
from eventsys.events.models import Event
from eventsys.extensions import Model
from eventsys.organisations.models import Organisation
from eventsys.registration.models import Registration


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    INCOMPLETE = "incomplete"
    COMPLETE = "complete"
    ON_AGENDA = "on_agenda"
    ADMITTED = "admitted"
    REJECTED = "rejected"


class MotionKind(enum.StrEnum):
    ADMISSION = "admission"
    RESOLUTION = "resolution"
    ELECTION = "election"


class PollState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ANNULLED = "annulled"


class Assembly(Model):
    """The General Assembly held at an event, with the settings its statutes fix."""

    __tablename__ = "assemblies"
    __table_args__ = (
        CheckConstraint("max_proxies >= 0", name="max_proxies"),
        CheckConstraint("quorum_percent >= 0 AND quorum_percent <= 100", name="quorum"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    # Other languages' versions {locale: text}, read with eventsys.i18n.localized(obj, "title").
    title_translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    held_on: Mapped[date]  # the Assembly's date: admissions start on it
    max_proxies: Mapped[int] = mapped_column(default=1)  # per delegate, from the statutes
    quorum_percent: Mapped[int] = mapped_column(default=50)  # default for new polls
    tie_rule: Mapped[str] = mapped_column(String(20), default="rejected")
    # The statutes' word on delegates who follow the Assembly online: counted for the quorum?
    remote_counts_for_quorum: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()
    network: Mapped[Organisation] = relationship()
    rights: Mapped[list[VotingRight]] = relationship(
        back_populates="assembly", order_by="VotingRight.id"
    )
    motions: Mapped[list[Motion]] = relationship(
        back_populates="assembly", order_by="Motion.position, Motion.id"
    )


class VotingRight(Model):
    """A member organisation's vote at one Assembly, exercised by its delegate or by a proxy.

    `proxy_holder_id` names the voting right whose delegate carries this one. The service refuses
    chains (a holder cannot give its own right away, a giver cannot hold) and too many proxies.
    """

    __tablename__ = "voting_rights"
    __table_args__ = (
        UniqueConstraint("assembly_id", "member_id"),
        CheckConstraint("weight > 0", name="positive_weight"),
        CheckConstraint("proxy_holder_id IS NULL OR proxy_holder_id <> id", name="no_self_proxy"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    weight: Mapped[int] = mapped_column(default=1)
    delegate_registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    proxy_holder_id: Mapped[int | None] = mapped_column(
        ForeignKey("voting_rights.id", ondelete="SET NULL"), index=True
    )

    assembly: Mapped[Assembly] = relationship(back_populates="rights")
    member: Mapped[Organisation] = relationship()
    delegate: Mapped[Registration | None] = relationship()
    proxy_holder: Mapped[VotingRight | None] = relationship(remote_side=[id])


class AttendanceMark(Model):
    """The chair's word on a delegate's presence, or the delegate's own when joining online
    (`mode` remote); it overrides the door's check-in either way."""

    __tablename__ = "assembly_attendance"
    __table_args__ = (UniqueConstraint("assembly_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    present: Mapped[bool]
    mode: Mapped[str] = mapped_column(String(10), default="hall", server_default="hall")
    marked_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MembershipApplication(Model):
    __tablename__ = "membership_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254))
    statement: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_type(ApplicationStatus), default=ApplicationStatus.SUBMITTED
    )
    board_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    assembly: Mapped[Assembly] = relationship()
    organisation: Mapped[Organisation] = relationship()
    documents: Mapped[list[ApplicationDocument]] = relationship(
        back_populates="application", order_by="ApplicationDocument.id"
    )


class ApplicationDocument(Model):
    """A PDF kept under UPLOAD_DIR by a random name; its SHA-256 identifies the content."""

    __tablename__ = "application_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("membership_applications.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))  # resolution | statutes | letter | other
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[MembershipApplication] = relationship(back_populates="documents")


class Motion(Model):
    __tablename__ = "motions"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[MotionKind] = mapped_column(enum_type(MotionKind))
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    title_translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    text_translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership_applications.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assembly: Mapped[Assembly] = relationship(back_populates="motions")
    application: Mapped[MembershipApplication | None] = relationship()
    polls: Mapped[list[Poll]] = relationship(back_populates="motion", order_by="Poll.id")


class Poll(Model):
    __tablename__ = "polls"
    __table_args__ = (
        CheckConstraint("max_choices >= 1", name="max_choices"),
        CheckConstraint("quorum_percent >= 0 AND quorum_percent <= 100", name="quorum"),
        Index("ix_polls_assembly_state", "assembly_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id", ondelete="CASCADE"))
    motion_id: Mapped[int] = mapped_column(ForeignKey("motions.id", ondelete="CASCADE"), index=True)
    state: Mapped[PollState] = mapped_column(enum_type(PollState), default=PollState.DRAFT)
    secret: Mapped[bool] = mapped_column(default=True)
    election: Mapped[bool] = mapped_column(default=False)
    max_choices: Mapped[int] = mapped_column(default=1)
    seats: Mapped[int] = mapped_column(default=1)
    majority: Mapped[str] = mapped_column(String(20), default="simple")
    base: Mapped[str] = mapped_column(String(20), default="cast")
    double_majority: Mapped[bool] = mapped_column(default=False)
    quorum_percent: Mapped[int] = mapped_column(default=50)
    tie_rule: Mapped[str] = mapped_column(String(20), default="rejected")
    option_keys: Mapped[dict[str, Any]] = mapped_column(default=dict)  # option id -> key
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("polls.id", ondelete="SET NULL"))
    # What the delegates vote on, frozen when the poll opens.
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    annulled_at: Mapped[datetime | None]
    annul_reason: Mapped[str] = mapped_column(Text, default="")
    # Frozen at close: counts, presence and the decision in words.
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    decision: Mapped[str] = mapped_column(Text, default="")
    passed: Mapped[bool | None]

    motion: Mapped[Motion] = relationship(back_populates="polls")
    options: Mapped[list[PollOption]] = relationship(
        back_populates="poll", order_by="PollOption.position", cascade="all, delete-orphan"
    )
    repeat_of: Mapped[Poll | None] = relationship(remote_side=[id])


class PollOption(Model):
    __tablename__ = "poll_options"
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(20))  # yes | no | abstain | candidate
    label: Mapped[str] = mapped_column(String(200))

    poll: Mapped[Poll] = relationship(back_populates="options")


class PollVote(Model):
    """That a voting right has voted in a poll; never what it chose. One row per right, ever."""

    __tablename__ = "poll_votes"

    poll_id: Mapped[int] = mapped_column(
        ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True
    )
    right_id: Mapped[int] = mapped_column(
        ForeignKey("voting_rights.id", ondelete="CASCADE"), primary_key=True
    )
    cast_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Ballot(Model):
    """What one voting right chose, with its weight. Keyed by a random receipt; no time; in a
    secret poll no voting right (checked by the database).

    In a secret poll a right of weight w casts w ballots of weight 1, each with its own receipt:
    a published weight would single out a member whose weight is unique. `members` is 1 on one
    of them and 0 on the others, so members are still counted once (double majority)."""

    __tablename__ = "ballots"
    __table_args__ = (
        CheckConstraint("NOT secret OR right_id IS NULL", name="secret_is_anonymous"),
        CheckConstraint("weight > 0", name="positive_weight"),
        Index("ix_ballots_poll", "poll_id"),
    )

    receipt: Mapped[str] = mapped_column(String(24), primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    secret: Mapped[bool]
    right_id: Mapped[int | None] = mapped_column(ForeignKey("voting_rights.id", ondelete="CASCADE"))
    weight: Mapped[int] = mapped_column(Integer)
    choices: Mapped[list[Any]] = mapped_column(default=list)  # option ids; empty: blank ballot
    members: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class AuditEntry(Model):
    """Append-only record. Each entry's digest covers the previous one, so an edited or removed
    entry breaks the chain (`services.verify_audit`); the ORM refuses updates and deletes."""

    __tablename__ = "assembly_audit"
    __table_args__ = (UniqueConstraint("assembly_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    digest: Mapped[str] = mapped_column(String(64))


@listens_for(Session, "before_flush")
def _audit_is_append_only(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry):
            raise RuntimeError("The assembly audit log is append-only.")
