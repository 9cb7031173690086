"""Registering, changing, cancelling, approving; capacity and the waiting list.

Every change that can take or free a place locks the event's row first (SELECT ... FOR UPDATE on
PostgreSQL, the database's write lock on SQLite: eventsys.sqlite), so concurrent requests are
serialised per event: capacity is never exceeded and the
waiting list keeps the order in which registrations were accepted (their ids).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, and_, bindparam, exists, func, select
from sqlalchemy.orm import Session

from eventsys import locking
from eventsys.accounts.models import User
from eventsys.db import utcnow
from eventsys.errors import Conflict, Forbidden, ServiceError
from eventsys.events.models import Category, Event
from eventsys.i18n import localized
from eventsys.organisations.countries import is_country
from eventsys.registration import links, notifications, signals
from eventsys.registration.answers import FieldErrors, clean_answers, collect, plain_text
from eventsys.registration.capacity import Occupancy, status_for_new_registration
from eventsys.registration.enums import ACTIVE, HOLDS_PLACE, Status, Visibility
from eventsys.registration.models import Registration

MAX_NAME = 200
MAX_ORGANISATION = 300


@dataclass
class RegistrationData:
    email: str
    display_name: str
    category_id: int
    latin_name: str | None = None
    organisation_name: str = ""
    country: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    visibility: str = Visibility.ORGANISERS.value
    show_organisation: bool = True
    show_country: bool = True
    locale: str | None = None


def access_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def registration_for_token(session: Session, token: str) -> Registration | None:
    """The registration of a link's secret: the first mail's, or a later mail's signed one."""
    if not token or len(token) > 100:
        return None
    signed = links.read_mail_token(token, current_app.config["SECRET_KEY"])
    if signed is not None:
        registration = session.get(Registration, signed[0])
        digest = registration.access_digest if registration is not None else None
        if digest and secrets.compare_digest(digest[: links.DIGEST_PART], signed[1]):
            return registration
        return None
    return session.execute(
        select(Registration).where(Registration.access_digest == access_digest(token))
    ).scalar_one_or_none()


def clean_email(email: str) -> str:
    try:
        return validate_email((email or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ServiceError(
            _("This e-mail address is not valid: %(reason)s", reason=str(exc)), field="email"
        ) from exc


def _clean_name(value: str, field_name: str, *, required: bool) -> str | None:
    text = plain_text(value or "")
    if not text:
        if required:
            raise ServiceError(_("Please enter your name."), field=field_name)
        return None
    if len(text) > MAX_NAME:
        message = (
            _("Your name is longer than %(max)d characters.", max=MAX_NAME)
            if field_name == "display_name"
            else _("The Latin spelling is longer than %(max)d characters.", max=MAX_NAME)
        )
        raise ServiceError(message, field=field_name)
    return text


def _category(event: Event, category_id: int, *, organiser: bool) -> Category:
    category = next((c for c in event.categories if c.id == category_id), None)
    if category is None or (not category.is_public and not organiser):
        raise ServiceError(_("Please choose one of the categories offered."), field="category_id")
    return category


def _validate(event: Event, data: RegistrationData, *, organiser: bool) -> dict[str, Any]:
    """The cleaned values; or FieldErrors naming every field at fault, so a form shows all of
    them on one submit."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}

    def check(name: str, clean: Any) -> None:
        try:
            values[name] = clean()
        except ServiceError as exc:
            collect(errors, exc, name)

    check("email", lambda: clean_email(data.email))
    check("display_name", lambda: _clean_name(data.display_name, "display_name", required=True))
    check("latin_name", lambda: _clean_name(data.latin_name or "", "latin_name", required=False))
    check("organisation_name", lambda: _clean_organisation(data.organisation_name))
    check("country", lambda: _clean_country(data.country))
    check("visibility", lambda: _clean_visibility(data.visibility))
    check("category", lambda: _category(event, data.category_id, organiser=organiser))
    check("answers", lambda: clean_answers(event.questions, data.answers))
    if errors:
        raise FieldErrors(errors)
    values["show_organisation"] = bool(data.show_organisation)
    values["show_country"] = bool(data.show_country)
    locale = (data.locale or "").strip()
    values["locale"] = locale if locale.replace("_", "").isalpha() and len(locale) <= 10 else None
    return values


def validation_errors(event: Event, data: RegistrationData, *, organiser: bool) -> dict[str, str]:
    """Every refusal the details would meet, by field, without saving: a form whose own checks
    failed shows these beside its own."""
    try:
        _validate(event, data, organiser=organiser)
    except ServiceError as exc:
        errors: dict[str, str] = {}
        collect(errors, exc, exc.field or "")
        return errors
    return {}


def _clean_organisation(value: str | None) -> str:
    organisation = plain_text(value or "")
    if len(organisation) > MAX_ORGANISATION:
        raise ServiceError(
            _("The organisation name is longer than %(max)d characters.", max=MAX_ORGANISATION),
            field="organisation_name",
        )
    return organisation


def _clean_country(value: str | None) -> str | None:
    country = (value or "").strip().upper() or None
    if country and not is_country(country):
        raise ServiceError(
            _("“%(code)s” is not a known country.", code=str(value)[:20]), field="country"
        )
    return country


def _clean_visibility(value: str) -> Visibility:
    try:
        return Visibility(value)
    except ValueError as exc:
        raise ServiceError(
            _("Please choose who may see that you take part."), field="visibility"
        ) from exc


def registration_window_state(event: Event, now: datetime) -> str:
    """'open', 'not_yet' or 'closed'."""
    if event.registration_opens_at and now < event.registration_opens_at:
        return "not_yet"
    closes = event.registration_closes_at or event.ends_at
    if now >= closes:
        return "closed"
    return "open"


def _check_window(event: Event, now: datetime) -> None:
    state = registration_window_state(event, now)
    if state == "not_yet":
        raise Conflict(_("Registration for this event has not opened yet."), code="window_not_open")
    if state == "closed":
        raise Conflict(_("Registration for this event is closed."), code="window_closed")


def lock_event(session: Session, event: Event) -> Event:
    """Take the per-event lock that serialises every change of places (the row is locked,
    not read again: callers hold the event already)."""
    locking.lock_row(session, Event, event.id)
    return event


def occupancy(session: Session, event: Event, category: Category) -> Occupancy:
    rows = (
        session.execute(
            select(Registration.category_id, func.count())
            .where(Registration.event_id == event.id, Registration.status.in_(HOLDS_PLACE))
            .group_by(Registration.category_id)
        )
        .tuples()
        .all()
    )
    per_category = dict(rows)
    return Occupancy(
        event_capacity=event.capacity,
        event_taken=sum(per_category.values()),
        category_capacity=category.capacity,
        category_taken=per_category.get(category.id, 0),
    )


@dataclass(frozen=True)
class PlaceCheck:
    occupancy: Occupancy
    duplicate: bool
    waiting: int


def _place_check(session: Session, event: Event, category: Category, email: str) -> PlaceCheck:
    """Places taken, people waiting and whether the address is registered: one round trip,
    each count answered from the (event_id, status) index."""
    event_taken, category_taken, waiting, duplicate = session.execute(
        _place_check_statement(),
        {"event_id": event.id, "category_id": category.id, "email": email},
    ).one()
    return PlaceCheck(
        Occupancy(event.capacity, event_taken, category.capacity, category_taken),
        bool(duplicate),
        waiting,
    )


@functools.cache
def _place_check_statement() -> Select[Any]:
    """Built once: the statement runs under the event's lock on every registration, and building
    and keying a fresh four-subquery SELECT cost more CPU than running it."""
    mine = Registration.event_id == bindparam("event_id")
    holds = and_(mine, Registration.status.in_(HOLDS_PLACE))

    def count(*where: Any) -> Any:
        return select(func.count(Registration.id)).where(*where).scalar_subquery()

    return select(
        count(holds),
        count(holds, Registration.category_id == bindparam("category_id")),
        count(mine, Registration.status == Status.WAITLISTED),
        exists().where(
            mine, Registration.email == bindparam("email"), Registration.status.in_(ACTIVE)
        ),
    )


def register(
    session: Session,
    event: Event,
    data: RegistrationData,
    *,
    user: User | None = None,
    organiser: bool = False,
    now: datetime | None = None,
) -> tuple[Registration, str]:
    """Create a registration; returns it with the opaque token for its own page (shown once).

    The event's lock is held for the counts, the two inserts (the registration and its
    confirmation mail, saved as what the queue worker writes it from) and the caller's commit:
    nothing is rendered in between."""
    now = now or utcnow()
    values = _validate(event, data, organiser=organiser)
    if not organiser:
        _check_window(event, now)
    category = values.pop("category")
    approval = event.requires_approval and not organiser
    token = secrets.token_urlsafe(24)
    lock_event(session, event)
    check = _place_check(session, event, category, values["email"])
    if check.duplicate:
        raise _duplicate_error()
    status = status_for_new_registration(check.occupancy, approval)
    registration = Registration(
        event=event,
        user=user,
        category=category,
        status=status,
        access_digest=access_digest(token),
        email_confirmed_at=now
        if (user is not None and user.email_confirmed_at) or organiser
        else None,
        confirmed_at=now if status == Status.CONFIRMED else None,
        created_at=now,
        **values,
    )
    # Known under the lock: saves the API's answer a query (see waitlist_position).
    registration.waitlist_position_hint = check.waiting + 1 if status == Status.WAITLISTED else None
    session.add(registration)
    session.flush()  # its id, for the mail
    notifications.registration_received(session, registration, token)
    if status == Status.CONFIRMED:
        signals.registration_confirmed.send(registration, session=session)
    return registration, token


def _duplicate_error() -> Conflict:
    return Conflict(
        _("This e-mail address is already registered for this event."),
        field="email",
        code="duplicate",
    )


def _refuse_duplicate(
    session: Session, event: Event, email: str, exclude_id: int | None = None
) -> None:
    query = select(Registration.id).where(
        Registration.event_id == event.id,
        Registration.email == email,
        Registration.status.in_(ACTIVE),
    )
    if exclude_id is not None:
        query = query.where(Registration.id != exclude_id)
    if session.execute(query).first() is not None:
        raise _duplicate_error()


def update_details(
    session: Session, registration: Registration, data: RegistrationData, *, organiser: bool = False
) -> Registration:
    """The participant changes their details; a new category must have room."""
    event = registration.event
    if registration.status in (Status.CANCELLED, Status.REJECTED):
        raise Conflict(_("This registration is no longer active."))
    values = _validate(event, data, organiser=organiser)
    lock_event(session, event)
    if values["email"] != registration.email:
        _refuse_duplicate(session, event, values["email"], exclude_id=registration.id)
    category = values.pop("category")
    freed = category.id != registration.category_id
    if freed:
        _check_room_to_move(session, registration, category)
    registration.category = category
    for key, value in values.items():
        setattr(registration, key, value)
    session.flush()
    if freed:
        promote_waitlist(session, event)
    return registration


def change_category(session: Session, registration: Registration, category_id: int) -> Registration:
    """An organiser moves a registration to another category, closed ones (staff, press) too.

    Someone holding a place keeps it only if the new category has room; leaving a category may
    free a place there for the next person waiting."""
    event = registration.event
    if registration.status in (Status.CANCELLED, Status.REJECTED):
        raise Conflict(_("This registration is no longer active."))
    category = _category(event, category_id, organiser=True)
    if category.id == registration.category_id:
        return registration
    lock_event(session, event)
    _check_room_to_move(session, registration, category)
    registration.category = category
    session.flush()
    promote_waitlist(session, event)
    return registration


def _check_room_to_move(session: Session, registration: Registration, category: Category) -> None:
    """The one rule for a move to another category (the participant's edit and the organiser's
    change): someone holding a place already counts in the event's total, so only the new
    category's own limit can refuse them. Someone waiting keeps waiting (the move takes nothing).
    Must run with the event lock held."""
    if not registration.holds_place or category.capacity is None:
        return
    if occupancy(session, registration.event, category).category_taken >= category.capacity:
        raise Conflict(
            _("The category “%(category)s” is full.", category=localized(category, "label")),
            field="category_id",
        )


def cancel(
    session: Session, registration: Registration, *, now: datetime | None = None
) -> Registration:
    if registration.status in (Status.CANCELLED, Status.REJECTED):
        raise Conflict(_("This registration is already cancelled."), code="already_cancelled")
    lock_event(session, registration.event)
    freed = registration.holds_place
    registration.status = Status.CANCELLED
    registration.cancelled_at = now or utcnow()
    session.flush()
    notifications.registration_cancelled(session, registration)
    if freed:
        promote_waitlist(session, registration.event)
    signals.registration_cancelled.send(registration, session=session)
    return registration


def approve(session: Session, registration: Registration, message: str = "") -> Registration:
    if registration.status != Status.PENDING:
        raise Conflict(_("Only a registration awaiting approval can be approved."))
    registration.status = Status.CONFIRMED
    registration.confirmed_at = utcnow()
    registration.decision_message = message.strip() or None
    session.flush()
    notifications.registration_approved(session, registration)
    signals.registration_confirmed.send(registration, session=session)
    return registration


def reject(session: Session, registration: Registration, message: str = "") -> Registration:
    if registration.status not in (Status.PENDING, Status.WAITLISTED):
        raise Conflict(
            _("Only a registration awaiting approval or on the waiting list can be rejected.")
        )
    lock_event(session, registration.event)
    freed = registration.holds_place
    registration.status = Status.REJECTED
    registration.decision_message = message.strip() or None
    session.flush()
    notifications.registration_rejected(session, registration)
    if freed:
        promote_waitlist(session, registration.event)
    return registration


def move_off_waitlist(session: Session, registration: Registration) -> Registration:
    """An organiser confirms someone waiting, out of turn; the capacity still holds."""
    if registration.status != Status.WAITLISTED:
        raise Conflict(_("This person is not on the waiting list."))
    lock_event(session, registration.event)
    if not occupancy(session, registration.event, registration.category).has_place:
        raise Conflict(
            _("There is no free place: raise the capacity or cancel a registration first."),
            code="full",
        )
    _promote(session, registration, Status.CONFIRMED)
    return registration


def fill_free_places(event: Event, *, session: Session) -> None:
    """For events' `capacity_grew`: more places, so the waiting list moves up."""
    lock_event(session, event)
    promote_waitlist(session, event)


def promote_waitlist(session: Session, event: Event) -> list[Registration]:
    """Fill free places from the waiting list in the order people joined it.

    Must run with the event lock held (every caller takes it)."""
    waiting = session.execute(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == Status.WAITLISTED)
        .order_by(Registration.id)
    ).scalars()
    promoted = []
    for registration in waiting:
        current = occupancy(session, event, registration.category)
        if current.event_capacity is not None and current.event_taken >= current.event_capacity:
            break
        if not current.has_place:
            continue  # this person's category is full; someone later in another may fit
        _promote(
            session, registration, Status.PENDING if event.requires_approval else Status.CONFIRMED
        )
        promoted.append(registration)
    return promoted


def _promote(session: Session, registration: Registration, status: Status) -> None:
    registration.status = status
    if status == Status.CONFIRMED:
        registration.confirmed_at = utcnow()
    session.flush()
    notifications.promoted_from_waitlist(session, registration)
    if status == Status.CONFIRMED:
        signals.registration_confirmed.send(registration, session=session)


def waitlist_position(session: Session, registration: Registration) -> int | None:
    if registration.status != Status.WAITLISTED:
        return None
    ahead = session.execute(
        select(func.count()).where(
            Registration.event_id == registration.event_id,
            Registration.status == Status.WAITLISTED,
            Registration.id < registration.id,
        )
    ).scalar_one()
    return ahead + 1


def registration_of(session: Session, event: Event, user: User) -> Registration | None:
    return (
        session.execute(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.user_id == user.id)
            .order_by(Registration.id.desc())
        )
        .scalars()
        .first()
    )


def ensure_owner(registration: Registration, user: User | None) -> None:
    if user is None or registration.user_id != user.id:
        raise Forbidden(_("This is not your registration."))
