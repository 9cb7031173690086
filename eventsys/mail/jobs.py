"""Queue tasks: deliver one mail; every minute, retry what is due (and anything never enqueued)."""

from __future__ import annotations

from flask import current_app
from huey import crontab
from sqlalchemy import select

from eventsys.extensions import db, huey
from eventsys.mail import services
from eventsys.mail.models import MailStatus, OutboundMail


@huey.task()
def deliver_mail(mail_id: int) -> str:
    # Lock the row so two workers never send the same mail twice.
    mail = db.session.execute(
        select(OutboundMail).where(OutboundMail.id == mail_id).with_for_update(skip_locked=True)
    ).scalar_one_or_none()
    if mail is None:
        db.session.rollback()
        return "skipped"
    status = services.deliver(db.session, mail, current_app.config)
    db.session.commit()
    return str(status)


@huey.periodic_task(crontab(minute="*"))
def retry_due_mails() -> int:
    ids = services.due_mail_ids(db.session)
    db.session.rollback()
    for mail_id in ids:
        deliver_mail.call_local(mail_id)
    return len(ids)


def enqueue_after_commit(session: object) -> None:
    ids = getattr(session, "info", {}).pop(services.PENDING_KEY, None)
    for mail_id in sorted(ids or ()):
        deliver_mail(mail_id)


def forget_after_rollback(session: object) -> None:
    getattr(session, "info", {}).pop(services.PENDING_KEY, None)


__all__ = ["deliver_mail", "retry_due_mails", "MailStatus"]
