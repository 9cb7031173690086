"""Queueing mail in the outbox, delivering it over SMTP (or to the log), retrying, flagging."""

from __future__ import annotations

import base64
import logging
import smtplib
import ssl
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from eventsys.db import rowcount, utcnow
from eventsys.mail.models import MailStatus, OutboundMail, new_message_id

log = logging.getLogger("eventsys.mail")

PENDING_KEY = "eventsys_mail_ids"


def queue_mail(
    session: Session,
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Iterable[tuple[str, str, bytes]] = (),
    event_id: int | None = None,
    kind: str = "",
) -> OutboundMail:
    """Save a mail in the same transaction as the change it reports; it is sent after commit."""
    mail = OutboundMail(
        to_address=to,
        subject=subject[:300],
        text_body=text,
        html_body=html,
        attachments=encode_attachments(attachments),
        event_id=event_id,
        kind=kind,
    )
    return save_pending(session, mail)


def save_pending(session: Session, mail: OutboundMail) -> OutboundMail:
    """Written in the caller's transaction and handed to the queue once it commits."""
    session.add(mail)
    session.flush()
    remember_pending(session, mail.id)
    return mail


def encode_attachments(attachments: Iterable[tuple[str, str, bytes]]) -> list[dict[str, str]]:
    return [
        {"filename": name, "content_type": ctype, "data": base64.b64encode(data).decode()}
        for name, ctype, data in attachments
    ]


def remember_pending(session: Session, mail_id: int) -> None:
    """Handed to the queue once the transaction commits (see jobs.enqueue_after_commit)."""
    session.info.setdefault(PENDING_KEY, set()).add(mail_id)


def build_message(mail: OutboundMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id
    message.set_content(mail.text_body, charset="utf-8")
    if mail.html_body:
        message.add_alternative(mail.html_body, subtype="html", charset="utf-8")
    for item in mail.attachments:
        maintype, _, subtype = item["content_type"].partition("/")
        message.add_attachment(
            base64.b64decode(item["data"]),
            maintype=maintype,
            subtype=subtype.split(";")[0],
            filename=item["filename"],
        )
    return message


def send_over_smtp(message: EmailMessage, config: dict[str, Any]) -> None:
    host, port, timeout = (
        config["SMTP_HOST"],
        int(config["SMTP_PORT"]),
        float(config["SMTP_TIMEOUT"]),
    )
    if config.get("SMTP_SSL"):
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
        smtp.send_message(message)


def retry_delay(attempts: int, base_seconds: float = 60) -> timedelta:
    """1, 2, 4, 8 ... minutes (by default), at most an hour."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), 3600))


def unclaimed(now: datetime) -> Any:
    return or_(OutboundMail.claimed_until.is_(None), OutboundMail.claimed_until < now)


def claim(
    session: Session, mail_id: int, lease: timedelta, now: datetime | None = None
) -> OutboundMail | None:
    """Take the mail for one delivery attempt, atomically: None if it is sent, failed, or held
    by another worker whose lease has not run out. The caller commits before sending."""
    now = now or utcnow()
    claimed = session.execute(
        update(OutboundMail)
        .where(
            OutboundMail.id == mail_id,
            OutboundMail.status == MailStatus.QUEUED,
            unclaimed(now),
        )
        .values(claimed_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    if rowcount(claimed) != 1:
        return None
    mail = session.get(OutboundMail, mail_id, populate_existing=True)
    if mail is not None and not mail.message_id:  # saved by a release before Message-IDs
        mail.message_id = new_message_id()
    return mail


def lease_for(config: dict[str, Any]) -> timedelta:
    return timedelta(seconds=float(config["MAIL_LEASE_SECONDS"]))


def deliver(
    session: Session, mail: OutboundMail, config: dict[str, Any], now: datetime | None = None
) -> MailStatus:
    """One delivery attempt. A mail server's failure is recorded and rescheduled, not raised."""
    if mail.status != MailStatus.QUEUED:
        return mail.status
    now = now or utcnow()
    message = build_message(mail, config["MAIL_FROM"])
    mail.attempts += 1
    mail.claimed_until = None  # whatever happens, the outcome is recorded with this attempt
    if not config.get("SMTP_HOST"):
        log.info(
            "Mail (no SMTP configured) to=%s subject=%s\n%s",
            mail.to_address,
            mail.subject,
            mail.text_body,
        )
        mail.status, mail.sent_at, mail.next_attempt_at = MailStatus.LOGGED, now, None
        return mail.status
    try:
        send_over_smtp(message, config)
    except (OSError, smtplib.SMTPException) as exc:
        mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if mail.attempts >= int(config["MAIL_MAX_ATTEMPTS"]):
            mail.status, mail.next_attempt_at = MailStatus.FAILED, None
            log.error("Mail %s failed for good after %s attempts: %s", mail.id, mail.attempts, exc)
        else:
            mail.next_attempt_at = now + retry_delay(
                mail.attempts, float(config.get("MAIL_RETRY_SECONDS", 60))
            )
            log.warning("Mail %s attempt %s failed: %s", mail.id, mail.attempts, exc)
        return mail.status
    mail.status, mail.sent_at, mail.next_attempt_at, mail.last_error = (
        MailStatus.SENT,
        now,
        None,
        None,
    )
    return mail.status


def due_mail_ids(session: Session, now: datetime | None = None, limit: int = 200) -> list[int]:
    return list(
        session.execute(
            select(OutboundMail.id)
            .where(
                OutboundMail.status == MailStatus.QUEUED,
                OutboundMail.next_attempt_at <= (now or utcnow()),
                unclaimed(now or utcnow()),
            )
            .order_by(OutboundMail.id)
            .limit(limit)
        ).scalars()
    )


def failed_mails(session: Session, event_id: int) -> list[OutboundMail]:
    return list(
        session.execute(
            select(OutboundMail)
            .where(OutboundMail.event_id == event_id, OutboundMail.status == MailStatus.FAILED)
            .order_by(OutboundMail.id.desc())
        ).scalars()
    )


def failed_count(session: Session, event_id: int) -> int:
    return session.execute(
        select(func.count()).where(
            OutboundMail.event_id == event_id, OutboundMail.status == MailStatus.FAILED
        )
    ).scalar_one()


def requeue(session: Session, mail: OutboundMail) -> None:
    """An organiser retries a failed mail (for example after fixing an address)."""
    mail.status, mail.attempts, mail.next_attempt_at = MailStatus.QUEUED, 0, utcnow()
    mail.claimed_until = None
    session.flush()
    remember_pending(session, mail.id)
