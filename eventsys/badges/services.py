"""Badge rules: who gets one, what it shows, its check-in code, layouts and bulk print jobs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from eventsys.badges import codes
from eventsys.badges.models import (
    BadgeCredential,
    BadgeLayout,
    BadgeSettings,
    JobStatus,
    PrintJob,
    SortOrder,
)
from eventsys.badges.render import BadgeContent, EventLook, render_pdf
from eventsys.db import utcnow
from eventsys.errors import Conflict, Forbidden, NotFound, ServiceError
from eventsys.events.enums import QuestionKind
from eventsys.events.models import Category, Event, Question
from eventsys.i18n import pick_translation, recipient_locale
from eventsys.i18n.content import localized_options
from eventsys.organisations.countries import country_name
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration
from eventsys.registration.notifications import recipient_locales


@dataclass
class PrintFilters:
    category: str | None = None  # category code
    since_last_print: bool = False
    registration_id: int | None = None
    sort: str = SortOrder.SURNAME.value


# --- layout -------------------------------------------------------------------------------------


def layout_of(session: Session, event: Event) -> BadgeLayout:
    settings = session.get(BadgeSettings, event.id)
    return settings.layout if settings else BadgeLayout.A4_SHEET


def set_layout(session: Session, event: Event, layout: str) -> BadgeLayout:
    try:
        chosen = BadgeLayout(layout)
    except ValueError as exc:
        raise ServiceError("Please choose one of the badge layouts.", field="layout") from exc
    settings = session.get(BadgeSettings, event.id) or BadgeSettings(event_id=event.id)
    settings.layout = chosen
    session.add(settings)
    session.flush()
    return chosen


# --- check-in codes -----------------------------------------------------------------------------


def _secret_key() -> str:
    return current_app.config["SECRET_KEY"]


def credentials_for(session: Session, registrations: list[Registration]) -> dict[int, str]:
    """The check-in code of each registration, issuing nonces where none exists yet (in bulk)."""
    ids = [r.id for r in registrations]
    existing = dict(
        session.execute(
            select(BadgeCredential.registration_id, BadgeCredential.nonce).where(
                BadgeCredential.registration_id.in_(ids)
            )
        )
        .tuples()
        .all()
    )
    for registration in registrations:
        if registration.id not in existing:
            credential = BadgeCredential(registration_id=registration.id, nonce=codes.new_nonce())
            session.add(credential)
            existing[registration.id] = credential.nonce
    session.flush()
    key = _secret_key()
    return {rid: codes.make_code(nonce, key) for rid, nonce in existing.items()}


def code_for(session: Session, registration: Registration) -> str:
    return credentials_for(session, [registration])[registration.id]


def reissue_code(session: Session, registration: Registration) -> str:
    """A new nonce: every badge printed before stops working at the door."""
    credential = session.execute(
        select(BadgeCredential).where(BadgeCredential.registration_id == registration.id)
    ).scalar_one_or_none()
    if credential is None:
        return code_for(session, registration)
    credential.nonce = codes.new_nonce()
    credential.issued_at = utcnow()
    credential.reissued_count += 1
    session.flush()
    return codes.make_code(credential.nonce, _secret_key())


def registration_for_code(session: Session, code: str | None) -> Registration | None:
    """The registration a genuine, current code belongs to; None for forged or revoked codes."""
    nonce = codes.nonce_from_code(code, _secret_key())
    if nonce is None:
        return None
    return session.execute(
        select(Registration)
        .join(BadgeCredential, BadgeCredential.registration_id == Registration.id)
        .where(BadgeCredential.nonce == nonce)
    ).scalar_one_or_none()


# --- what a badge shows -------------------------------------------------------------------------


def _answer_text(question: Question, value: object, locale: str | None = None) -> str:
    shown = dict(localized_options(question, locale)) if question.options else {}
    if isinstance(value, list):
        return ", ".join(shown.get(str(v), str(v)) for v in value)
    if str(value) in shown:
        return shown[str(value)]
    if question.kind == QuestionKind.YES_NO:
        return "Yes" if value in (True, "yes", "true", "1") else "No"
    if question.kind == QuestionKind.COUNTRY:
        return country_name(str(value))
    return str(value)


def badge_content(
    registration: Registration, code: str, questions: list[Question], locale: str = "en"
) -> BadgeContent:
    """Only what the person agreed to print: organisation and country by their choice; answers
    to the questions the organisers marked for the badge."""
    answers = []
    for question in questions:
        value = (registration.answers or {}).get(str(question.id))
        if value not in (None, "", []):
            label = pick_translation(question.label, question.label_translations, locale)
            answers.append((label, _answer_text(question, value, locale)))
    return BadgeContent(
        name=registration.display_name,
        latin_name=registration.latin_name
        if registration.latin_name and registration.latin_name != registration.display_name
        else None,
        organisation=registration.organisation_name if registration.show_organisation else "",
        country=country_name(registration.country, locale)
        if registration.show_country and registration.country
        else "",
        category_label=registration.category.localized_label(locale),
        category_colour=registration.category.colour,
        code=code,
        answers=answers,
    )


def badge_questions(event: Event) -> list[Question]:
    return [q for q in event.questions if q.on_badge and q.is_active]


def logo_url(event: Event) -> str | None:
    """The event's logo as a file URL when the file is really there; otherwise the title prints."""
    if not event.logo_path:
        return None
    candidates = [Path(event.logo_path)]
    if not candidates[0].is_absolute():
        candidates = [
            Path(current_app.config["UPLOAD_DIR"]) / event.logo_path,
            Path(current_app.static_folder or "") / event.logo_path,
        ]
    for path in candidates:
        if path.is_file():
            return path.resolve().as_uri()
    return None


def event_look(event: Event) -> EventLook:
    return EventLook(title=event.title, logo_url=logo_url(event))


# --- which badges -------------------------------------------------------------------------------


def surname_key(registration: Registration) -> str:
    name = (registration.latin_name or registration.display_name).split()
    return (name[-1] if name else "").casefold()


def _sort_key(order: str):
    if order == SortOrder.ORGANISATION:
        return lambda r: ((r.organisation_name or "~").casefold(), surname_key(r))
    if order == SortOrder.COUNTRY:
        return lambda r: (country_name(r.country) if r.country else "~", surname_key(r))
    return lambda r: (surname_key(r), r.display_name.casefold())


def last_print_at(session: Session, event: Event) -> datetime | None:
    jobs = session.execute(
        select(PrintJob)
        .where(PrintJob.event_id == event.id, PrintJob.status == JobStatus.DONE)
        .order_by(PrintJob.created_at.desc())
    ).scalars()
    return next((job.created_at for job in jobs if job.is_full_print), None)


def select_registrations(
    session: Session, event: Event, filters: PrintFilters, *, since: datetime | None = None
) -> list[Registration]:
    """Confirmed registrations matching the filters, in the chosen order."""
    if filters.sort not in {s.value for s in SortOrder}:
        raise ServiceError("Please choose how to sort the badges.", field="sort")
    query = (
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == Status.CONFIRMED)
        .options(selectinload(Registration.category))
    )
    if filters.category:
        category = next((c for c in event.categories if c.code == filters.category), None)
        if category is None:
            raise ServiceError("This event has no such category.", field="category")
        query = query.where(Registration.category_id == category.id)
    if filters.registration_id is not None:
        query = query.where(Registration.id == filters.registration_id)
    if since is not None:
        query = query.where(
            func.coalesce(Registration.confirmed_at, Registration.created_at) > since
        )
    registrations = list(session.execute(query).scalars())
    if filters.registration_id is not None and not registrations:
        raise NotFound("This person has no confirmed registration for this event.", field="person")
    return sorted(registrations, key=_sort_key(filters.sort))


def badge_contents(
    session: Session, event: Event, registrations: list[Registration], locale: str | None = None
) -> Iterator[BadgeContent]:
    """Without a `locale`, each badge in its wearer's language (their account's, else the
    event's): the category band, the questions' labels, the country."""
    questions = badge_questions(event)
    badge_codes = credentials_for(session, registrations)
    for registration in registrations:
        language = locale or recipient_locale(*recipient_locales(registration))
        yield badge_content(registration, badge_codes[registration.id], questions, language)


# --- one badge ----------------------------------------------------------------------------------


def own_badge_registration(registration: Registration | None, user_id: int | None) -> Registration:
    """A participant's own, confirmed registration; anything else is refused clearly."""
    if registration is None:
        raise NotFound("You have no registration for this event.")
    if user_id is not None and registration.user_id != user_id:
        raise Forbidden("This is not your registration.")
    if registration.status != Status.CONFIRMED:
        raise Conflict("A badge is available once your registration is confirmed.")
    return registration


def single_badge_pdf(session: Session, registration: Registration) -> bytes:
    event = registration.event
    contents = list(badge_contents(session, event, [registration]))
    layout = layout_of(session, event)
    # One badge on an A4 sheet would waste three quarters: print the A6 form of the layout.
    if layout == BadgeLayout.A4_SHEET:
        layout = BadgeLayout.A6
    return render_pdf(contents, layout.value, event_look(event))


# --- bulk print jobs ----------------------------------------------------------------------------


def start_print(
    session: Session, event: Event, filters: PrintFilters, *, user_id: int | None
) -> PrintJob:
    """Record a print job (the view enqueues it after commit); counts what it will print."""
    since = last_print_at(session, event) if filters.since_last_print else None
    if filters.since_last_print and since is None:
        filters.since_last_print = False  # never printed: everyone is new
    registrations = select_registrations(session, event, filters, since=since)
    if not registrations:
        raise Conflict("No confirmed registration matches these filters: nothing to print.")
    job = PrintJob(
        event_id=event.id,
        requested_by_id=user_id,
        layout=layout_of(session, event),
        sort=SortOrder(filters.sort),
        filters={
            "category": filters.category,
            "registration_id": filters.registration_id,
            "since": since.isoformat() if since else None,
        },
        total=len(registrations),
    )
    session.add(job)
    session.flush()
    return job


def job_filters(job: PrintJob) -> tuple[PrintFilters, datetime | None]:
    since = job.filters.get("since")
    return (
        PrintFilters(
            category=job.filters.get("category"),
            registration_id=job.filters.get("registration_id"),
            sort=job.sort.value,
        ),
        datetime.fromisoformat(since) if since else None,
    )


def output_path(job: PrintJob) -> Path:
    if not job.file_name:
        raise NotFound("This print has no file yet.")
    return Path(current_app.config["BADGE_OUTPUT_DIR"]) / job.file_name


def jobs_of(session: Session, event: Event, limit: int = 10) -> list[PrintJob]:
    return list(
        session.execute(
            select(PrintJob)
            .where(PrintJob.event_id == event.id)
            .order_by(PrintJob.id.desc())
            .limit(limit)
        ).scalars()
    )


def job_of_event(session: Session, event: Event, job_id: int) -> PrintJob:
    job = session.get(PrintJob, job_id)
    if job is None or job.event_id != event.id:
        raise NotFound("There is no such print for this event.")
    return job


def categories_of(event: Event) -> list[Category]:
    return list(event.categories)


def find_person(session: Session, event: Event, text: str) -> int:
    """The one confirmed registration whose e-mail or full name is exactly this."""
    needle = " ".join((text or "").split()).casefold()
    matches = [
        r.id
        for r in session.execute(
            select(Registration).where(
                Registration.event_id == event.id, Registration.status == Status.CONFIRMED
            )
        ).scalars()
        if needle
        in (r.email.casefold(), r.display_name.casefold(), (r.latin_name or "").casefold())
    ]
    if not matches:
        raise NotFound("Nobody confirmed for this event has this e-mail or name.", field="person")
    if len(matches) > 1:
        raise ServiceError(
            "Several people have this name: please give the e-mail address.", field="person"
        )
    return matches[0]
