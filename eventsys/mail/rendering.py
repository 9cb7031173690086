"""Mails written by the queue worker: the outbox row keeps a kind and a few values (JSON), and
the renderer a higher area registered for that kind writes subject, text and attachments just
before the first delivery attempt.

A request then saves a small row instead of rendering templates and calendar files while it
holds its locks. The mail layer is below the areas that send mail, so it never imports them:
they call `register_renderer` from their init_app, and the worker finds the renderer by kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from eventsys.mail.models import MailStatus, OutboundMail
from eventsys.mail.services import encode_attachments, save_pending


@dataclass
class RenderedMail:
    subject: str
    text: str
    html: str | None = None
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)


# Called with the session and the row's values; None when what the mail reports is gone (for
# example erased), so there is nothing left to say.
Renderer = Callable[[Session, dict[str, Any]], RenderedMail | None]

_renderers: dict[str, Renderer] = {}


def register_renderer(kind: str, renderer: Renderer) -> None:
    _renderers[kind] = renderer


def queue_rendered_later(
    session: Session,
    *,
    to: str,
    kind: str,
    values: dict[str, Any],
    event_id: int | None = None,
) -> OutboundMail:
    """Save a mail whose text the worker writes (`kind` must have a renderer), in the same
    transaction as the change it reports; it is handed to the queue after commit."""
    mail = OutboundMail(
        to_address=to,
        subject="",
        text_body="",
        attachments=[],
        render_values=values,
        event_id=event_id,
        kind=kind,
    )
    return save_pending(session, mail)


def render_if_deferred(session: Session, mail: OutboundMail) -> bool:
    """Write a deferred mail's content onto its row (once: retries send the same text). False
    when there is nothing to send any more; the mail is then marked failed, with the reason."""
    if mail.render_values is None:
        return True
    renderer = _renderers.get(mail.kind)
    if renderer is None:  # a bug or a missing init_app: raise, so the job is retried, not lost
        raise LookupError(f"no renderer registered for mail kind {mail.kind!r}")
    rendered = renderer(session, dict(mail.render_values))
    if rendered is None:
        mail.status, mail.next_attempt_at, mail.claimed_until = MailStatus.FAILED, None, None
        mail.last_error = "Nothing to send: what this mail reported no longer exists."
        return False
    mail.subject = rendered.subject[:300]
    mail.text_body = rendered.text
    mail.html_body = rendered.html
    mail.attachments = encode_attachments(rendered.attachments)
    mail.render_values = None
    return True
