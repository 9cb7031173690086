from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session


def init_app(app: Flask) -> None:
    """Mails saved in a transaction are handed to the queue once it commits, never before."""
    # Wiring, run when an app is built, so importing the package stays light (tests/test_layers.py).
    from eventsys.mail import jobs  # noqa: PLC0415

    if not event.contains(Session, "after_commit", jobs.enqueue_after_commit):
        event.listen(Session, "after_commit", jobs.enqueue_after_commit)
        event.listen(Session, "after_rollback", jobs.forget_after_rollback)
