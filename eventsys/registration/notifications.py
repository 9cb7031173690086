"""The mails a registration sends; all go through the outbox, in the recipient's language."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from eventsys.events.ical import event_ics
from eventsys.i18n import localized, mail_language
from eventsys.mail.rendering import RenderedMail, queue_rendered_later
from eventsys.mail.services import queue_mail
from eventsys.registration.enums import Status
from eventsys.registration.links import mail_token
from eventsys.registration.models import Registration
from eventsys.web.urls import external_url, site_domain

if TYPE_CHECKING:
    from eventsys.events.models import Event


def recipient_locales(registration: Registration) -> tuple[str | None, ...]:
    """The person's own choice when they have an account, else the language they registered in
    (once registrations record it), else the event's language."""
    user_locale = registration.user.locale if registration.user is not None else None
    registered_in = getattr(registration, "locale", None)
    return (user_locale, registered_in, registration.event.default_locale)


class PreparedMail(NamedTuple):
    kind: str
    subject: str
    text: str
    attachments: list[tuple[str, str, bytes]]


def _send(
    session: Session,
    registration: Registration,
    kind: str,
    subject: Callable[[str], str],
    **context: object,
) -> None:
    queue_prepared(session, registration, _render(registration, kind, subject, context))


def _render(
    registration: Registration,
    kind: str,
    subject: Callable[[str], str],
    extra: dict[str, object],
    status: Status | None = None,
) -> PreparedMail:
    """`subject` receives the event's title in the recipient's language; `status` is the one
    the mail reports (the registration's own unless given)."""
    event = registration.event
    status = status or registration.status
    context = {"registration": registration, "event": event, "status": status.value, **extra}
    attachments = []
    if kind in ("confirmed", "approved", "promoted") or (
        kind == "received" and status == Status.CONFIRMED
    ):
        attachments.append((f"{event.slug}.ics", "text/calendar; method=PUBLISH", _ics(event)))
    with mail_language(*recipient_locales(registration)):
        title = localized(event, "title")
        subject_text = subject(title)
        text = render_template(f"mail/registration_{kind}.txt", **context)
    return PreparedMail(kind, subject_text, text, attachments)


def queue_prepared(session: Session, registration: Registration, mail: PreparedMail) -> None:
    queue_mail(
        session,
        to=registration.email,
        subject=mail.subject,
        text=mail.text,
        attachments=mail.attachments,
        event_id=registration.event.id,
        kind=f"registration_{mail.kind}",
    )


class _EventFields(NamedTuple):
    """What the calendar file shows: the cache key, so an edited event gets a new file."""

    id: int
    slug: str
    title: str
    description: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    venue_name: str
    venue_address: str
    city: str


def _ics(event) -> bytes:
    """The event's calendar file, built once per version of the event in each process: the time
    zone definition icalendar adds costs tens of milliseconds, on every registration otherwise."""
    fields = _EventFields(*(getattr(event, name) for name in _EventFields._fields))
    return _cached_ics(fields, external_url("events.show", slug=event.slug), site_domain())


@functools.lru_cache(maxsize=64)
def _cached_ics(fields: _EventFields, url: str, domain: str) -> bytes:
    # The fields are every attribute event_ics reads from an event.
    return event_ics(cast("Event", fields), url=url, domain=domain)


RECEIVED = "registration_received"


def _received_subjects() -> dict[Status, Callable[[str], str]]:
    return {
        Status.CONFIRMED: lambda title: _("Your registration is confirmed: %(event)s", event=title),
        Status.PENDING: lambda title: _("We received your registration: %(event)s", event=title),
        Status.WAITLISTED: lambda title: _("You are on the waiting list: %(event)s", event=title),
    }


def registration_received(session: Session, registration: Registration, token: str) -> None:
    """The confirmation, saved as what the worker needs to write it (render_received): the
    request that registers only inserts a small row, and holds the event's lock no longer for
    templates and calendar files. The status is the one the registration got now, whatever it
    has become by the time the mail is written (a later change sends its own mail)."""
    queue_rendered_later(
        session,
        to=registration.email,
        kind=RECEIVED,
        values={
            "registration": registration.id,
            "status": registration.status.value,
            "token": token,
        },
        event_id=registration.event_id,
    )


def render_received(session: Session, values: dict[str, Any]) -> RenderedMail | None:
    """The confirmation mail of `registration_received`, in the recipient's language (as the
    person chose it by then); None if the registration is gone or erased."""
    registration = session.get(Registration, values["registration"])
    if registration is None or registration.access_digest is None:  # erased: nobody to tell
        return None
    status = Status(values["status"])
    link = external_url("registration.by_token", token=values["token"])
    mail = _render(registration, "received", _received_subjects()[status], {"link": link}, status)
    return RenderedMail(mail.subject, mail.text, attachments=mail.attachments)


def registration_cancelled(session: Session, registration: Registration) -> None:
    _send(
        session,
        registration,
        "cancelled",
        lambda title: _("Registration cancelled: %(event)s", event=title),
    )


def own_links(registration: Registration) -> dict[str, str | None]:
    """Where the person finds their registration and badge: their account's pages, or for a
    guest a signed link (see links.py)."""
    slug = registration.event.slug
    if registration.user_id is not None:
        return {
            "page_link": external_url("registration.mine", slug=slug),
            "badge_link": external_url("badges.my_badge", slug=slug),
        }
    if not registration.access_digest:
        return {"page_link": None, "badge_link": None}
    token = mail_token(
        registration.id, registration.access_digest, current_app.config["SECRET_KEY"]
    )
    page = external_url("registration.by_token", token=token)
    return {"page_link": page, "badge_link": f"{page}/badge.pdf"}


def registration_approved(session: Session, registration: Registration) -> None:
    _send(
        session,
        registration,
        "approved",
        lambda title: _("Your registration is confirmed: %(event)s", event=title),
        **own_links(registration),
    )


def registration_rejected(session: Session, registration: Registration) -> None:
    _send(
        session,
        registration,
        "rejected",
        lambda title: _("Your registration: %(event)s", event=title),
    )


def promoted_from_waitlist(session: Session, registration: Registration) -> None:
    _send(
        session,
        registration,
        "promoted",
        lambda title: _("A place is free for you: %(event)s", event=title),
        **own_links(registration),
    )
