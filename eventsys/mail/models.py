from __future__ import annotations

import enum
from datetime import datetime
from email.utils import make_msgid
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from eventsys.db import enum_type, utcnow
from eventsys.extensions import Model


class MailStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    LOGGED = "logged"  # no SMTP server configured: written to the log instead
    FAILED = "failed"  # gave up after the last attempt; shown to the organisers


def new_message_id() -> str:
    """One Message-ID per outbox row, fixed when it is saved: a mail sent again after a crash
    carries the same one, so mail clients show it once."""
    sender = current_app.config["MAIL_FROM"] if has_app_context() else ""
    return make_msgid(domain=sender.rpartition("@")[2].strip("> ") or "eventsys.local")


class OutboundMail(Model):
    """The outbox: a mail is saved with the change that caused it, then delivered by a job."""

    __tablename__ = "outbound_mails"
    __table_args__ = (Index("ix_outbound_mails_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(60), default="")
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    # [{"filename", "content_type", "data" (base64)}]
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    # Set while the worker is still to write subject, text and attachments: the values the
    # renderer registered for `kind` needs (see eventsys.mail.rendering); None once written.
    render_values: Mapped[dict[str, Any] | None]
    status: Mapped[MailStatus] = mapped_column(
        enum_type(MailStatus, 10),
        default=MailStatus.QUEUED,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # Nullable so a previous release, still serving during an upgrade, can insert rows; such
    # rows get theirs when claimed.
    message_id: Mapped[str | None] = mapped_column(String(255), default=new_message_id)
    # A worker owns the mail until then (a lease): set before sending, so a killed worker's
    # mails are taken up again only once it has run out.
    claimed_until: Mapped[datetime | None]
