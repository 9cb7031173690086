"""Queue tasks: deliver one mail; every minute, re-enqueue what is due (retries, mails whose
enqueueing failed because the queue was down, and mails of a worker that was killed)."""

from __future__ import annotations

import logging

from flask import current_app
from huey import crontab

from eventsys.extensions import db, huey
from eventsys.mail import rendering, services
from eventsys.mail.models import MailStatus

log = logging.getLogger("eventsys.mail")


# A database error (say, a restart) raises and is retried; a mail server's refusal is recorded
# on the row and rescheduled by the sweep instead.
@huey.task(retries=3, retry_delay=10)
def deliver_mail(mail_id: int) -> str:
    # The claim is committed before the mail leaves, so no other worker sends it meanwhile; if
    # this worker dies after sending, the mail goes once more, with the same Message-ID, once
    # the lease has run out.
    mail = services.claim(db.session, mail_id, services.lease_for(current_app.config))
    if mail is None:
        db.session.rollback()
        return "skipped"
    # A mail saved as a kind and its values is written now, once, and committed with the
    # claim: every attempt then sends the same text.
    if not rendering.render_if_deferred(db.session, mail):
        db.session.commit()
        return str(mail.status)
    db.session.commit()
    status = services.deliver(db.session, mail, current_app.config)
    db.session.commit()
    return str(status)


@huey.periodic_task(crontab(minute="*"))
def retry_due_mails() -> int:
    ids = services.due_mail_ids(db.session)
    db.session.rollback()
    for mail_id in ids:
        deliver_mail(mail_id)
    return len(ids)


def enqueue_after_commit(session: object) -> None:
    ids = getattr(session, "info", {}).pop(services.PENDING_KEY, None)
    try:
        for mail_id in sorted(ids or ()):
            deliver_mail(mail_id)
    except Exception as exc:  # noqa: BLE001 (any queue backend's error: Redis, SQLite)
        # What was committed stands: the mail waits in the outbox for the next sweep.
        log.warning("Queue unreachable, mail left in the outbox for the sweep: %s", exc)


def forget_after_rollback(session: object) -> None:
    getattr(session, "info", {}).pop(services.PENDING_KEY, None)


__all__ = ["deliver_mail", "retry_due_mails", "MailStatus"]
