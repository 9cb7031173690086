"""Mailings: an organiser's message to a filtered group of an event's participants, the record
of who got it, and the opt-outs from news mails."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.db import enum_type, utcnow
from eventsys.events.models import Event
from eventsys.extensions import Model


class MailingKind(enum.StrEnum):
    REGISTRATION = "registration"  # about the person's registration: no opt-out applies
    NEWS = "news"  # anything else: carries an opt-out link, skips those who opted out


class MailingStatus(enum.StrEnum):
    DRAFT = "draft"
    QUEUED = "queued"  # the job that writes the outbox rows waits for a worker
    SENDING = "sending"  # the job is writing them
    SENT = "sent"  # every recipient has a mail in the outbox
    FAILED = "failed"


class Mailing(Model):
    __tablename__ = "mailings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MailingKind] = mapped_column(enum_type(MailingKind, 20))
    status: Mapped[MailingStatus] = mapped_column(
        enum_type(MailingStatus, 20), default=MailingStatus.DRAFT
    )
    # As chosen: {"category_id", "statuses", "checked_in", "session_id", "country",
    # "organisation_id", "language"}; see services.MailingFilters.
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # In the event's default language; the other languages keyed by locale.
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    subject_translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    body_translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    queued_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # Progress of the job: `queued` of `total` recipients have their mail in the outbox.
    total: Mapped[int] = mapped_column(default=0)
    queued: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)

    event: Mapped[Event] = relationship()

    @property
    def percent(self) -> int:
        if self.status == MailingStatus.SENT:
            return 100
        return int(100 * self.queued / self.total) if self.total else 0

    def __repr__(self) -> str:
        return f"<Mailing {self.id} {self.status}>"


class MailingRecipient(Model):
    """Who got what: one row per person and mailing, written with its outbox mail. The unique
    constraint is what keeps a retried job from mailing anyone twice."""

    __tablename__ = "mailing_recipients"
    __table_args__ = (UniqueConstraint("mailing_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mailing_id: Mapped[int] = mapped_column(ForeignKey("mailings.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    outbound_mail_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbound_mails.id", ondelete="SET NULL")
    )
    email: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MailOptOut(Model):
    """Someone who wants no more news mails within a scope: the organiser network hosting the
    event ("organisation:<id>"), or the event alone when no network hosts it ("event:<id>").
    Keyed by e-mail address (lower case), since guests have no account."""

    __tablename__ = "mail_opt_outs"
    __table_args__ = (UniqueConstraint("scope", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
