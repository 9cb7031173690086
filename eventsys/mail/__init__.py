from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session


def init_app(app: Flask) -> None:
    """Mails saved in a transaction are handed to the queue once it commits, never before."""
    from eventsys.mail import jobs

    if not event.contains(Session, "after_commit", jobs.enqueue_after_commit):
        event.listen(Session, "after_commit", jobs.enqueue_after_commit)
        event.listen(Session, "after_rollback", jobs.forget_after_rollback)
