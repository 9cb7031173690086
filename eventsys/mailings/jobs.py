"""Sending a mailing on the task queue: one outbox row per recipient, never in a web request."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError

from eventsys.db import utcnow
from eventsys.extensions import db, huey
from eventsys.mailings import services
from eventsys.mailings.models import Mailing, MailingStatus

log = logging.getLogger(__name__)


# A database error (a restart) raises and the task is retried; the retry carries on where the
# last committed batch ended, since recipients with a row are left out of the next batch.
@huey.task(retries=3, retry_delay=10)
def send_mailing(mailing_id: int) -> str:
    mailing = db.session.get(Mailing, mailing_id)
    if mailing is None or mailing.status not in (MailingStatus.QUEUED, MailingStatus.SENDING):
        return "skipped"  # sent already (a repeated task), or deleted
    mailing.status = MailingStatus.SENDING
    db.session.commit()
    try:
        while services.run_batch(db.session, mailing):
            db.session.commit()  # the mails of this batch leave; the page shows the progress
        db.session.commit()
    except IntegrityError:
        # Another worker runs the same mailing (a duplicated task): it finishes the work.
        db.session.rollback()
        return "taken"
    except Exception as exc:
        db.session.rollback()
        _record_failure(mailing_id, exc)
        raise
    return "sent"


def _record_failure(mailing_id: int, exc: Exception) -> None:
    """Kept as the last error for the organiser; the status stays "sending" so a retry (or a
    second click of send) can carry on."""
    mailing = db.session.get(Mailing, mailing_id)
    if mailing is not None:
        mailing.error = f"{type(exc).__name__}: {exc}"[:500]
        db.session.commit()
    log.exception("mailing %s stopped at %s", mailing_id, utcnow())
