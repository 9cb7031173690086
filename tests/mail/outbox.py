"""For tests that read a mail from the outbox without running the queue worker."""

from __future__ import annotations

from eventsys.extensions import db
from eventsys.mail.models import OutboundMail
from eventsys.mail.rendering import render_if_deferred


def written(mail: OutboundMail) -> OutboundMail:
    """The mail as the worker writes it before its first attempt (a confirmation is saved as
    the values it is written from, see eventsys.mail.rendering)."""
    render_if_deferred(db.session, mail)
    return mail
