"""The mails a registration sends; all go through the outbox."""

from __future__ import annotations

from flask import render_template
from sqlalchemy.orm import Session

from eventsys.events.ical import event_ics
from eventsys.mail.services import queue_mail
from eventsys.registration.models import Registration, Status
from eventsys.web.urls import external_url, site_domain


def _send(
    session: Session, registration: Registration, kind: str, subject: str, **context: object
) -> None:
    event = registration.event
    context = {"registration": registration, "event": event, **context}
    attachments = []
    if kind in ("confirmed", "approved", "promoted") or (
        kind == "received" and registration.status == Status.CONFIRMED
    ):
        attachments.append((f"{event.slug}.ics", "text/calendar; method=PUBLISH", _ics(event)))
    queue_mail(
        session,
        to=registration.email,
        subject=subject,
        text=render_template(f"mail/registration_{kind}.txt", **context),
        attachments=attachments,
        event_id=event.id,
        kind=f"registration_{kind}",
    )


_ICS_CACHE: dict[tuple, bytes] = {}
_ICS_CACHE_SIZE = 64


def _ics(event) -> bytes:
    """The event's calendar file, built once per version of the event in each process: the time
    zone definition icalendar adds costs tens of milliseconds, on every registration otherwise."""
    url = external_url("events.show", slug=event.slug)
    key = (
        event.id, event.slug, event.title, event.description, event.timezone, event.starts_at,
        event.ends_at, event.venue_name, event.venue_address, event.city, url, site_domain(),
    )  # fmt: skip
    ics = _ICS_CACHE.get(key)
    if ics is None:
        if len(_ICS_CACHE) >= _ICS_CACHE_SIZE:
            _ICS_CACHE.clear()
        ics = _ICS_CACHE[key] = event_ics(event, url=url, domain=site_domain())
    return ics


def registration_received(session: Session, registration: Registration, token: str) -> None:
    link = external_url("registration.by_token", token=token)
    subjects = {
        Status.CONFIRMED: "Your registration is confirmed: {}",
        Status.PENDING: "We received your registration: {}",
        Status.WAITLISTED: "You are on the waiting list: {}",
    }
    _send(
        session,
        registration,
        "received",
        subjects[registration.status].format(registration.event.title),
        link=link,
    )


def registration_cancelled(session: Session, registration: Registration) -> None:
    _send(session, registration, "cancelled", f"Registration cancelled: {registration.event.title}")


def registration_approved(session: Session, registration: Registration) -> None:
    _send(
        session,
        registration,
        "approved",
        f"Your registration is confirmed: {registration.event.title}",
    )


def registration_rejected(session: Session, registration: Registration) -> None:
    _send(session, registration, "rejected", f"Your registration: {registration.event.title}")


def promoted_from_waitlist(session: Session, registration: Registration) -> None:
    _send(session, registration, "promoted", f"A place is free for you: {registration.event.title}")
