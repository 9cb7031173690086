"""Mailings' rules: drafting with checked placeholders, previewing as one recipient, sending
through the outbox (by a queue job, idempotently), and the record of who got what."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from eventsys.db import rowcount, utcnow
from eventsys.errors import Conflict, NotFound, ServiceError
from eventsys.events.models import Event
from eventsys.i18n import recipient_locale
from eventsys.mail.models import MailStatus, OutboundMail
from eventsys.mail.services import queue_mail
from eventsys.mailings import content, optout
from eventsys.mailings.filters import MailingFilters, recipients_select
from eventsys.mailings.models import Mailing, MailingKind, MailingRecipient, MailingStatus
from eventsys.registration.answers import FieldErrors
from eventsys.registration.models import Registration
from eventsys.registration.notifications import own_links
from eventsys.web.urls import external_url

BATCH = 500  # recipients per transaction of the job: progress shows after each
MAIL_KIND = "mailing"  # OutboundMail.kind of every mailing's mails


@dataclass
class MailingData:
    kind: str
    subject: str
    body: str
    filters: MailingFilters = field(default_factory=MailingFilters)
    # locale -> (subject, body); a language left empty falls back to the default one.
    translations: dict[str, tuple[str, str]] = field(default_factory=dict)


def _unknown_message(names: list[str]) -> str:
    known = ", ".join("{" + n + "}" for n in content.PLACEHOLDERS)
    unknown = ", ".join("{" + n + "}" for n in names)
    return _("Unknown placeholder %(names)s. You can use %(known)s.", names=unknown, known=known)


def check_content(event: Event, data: MailingData) -> None:
    """Every text's placeholders are known; a translation has both its subject and body."""
    errors: dict[str, str] = {}
    texts = {"subject": data.subject, "body": data.body}
    for code, (subject, body) in data.translations.items():
        texts[f"subject_{code}"], texts[f"body_{code}"] = subject, body
        if bool(subject.strip()) != bool(body.strip()):
            missing = f"body_{code}" if subject.strip() else f"subject_{code}"
            errors[missing] = _("Write both the subject and the text of this language, or neither.")
    for name, text in texts.items():
        unknown = content.unknown_placeholders(text)
        if unknown:
            errors.setdefault(name, _unknown_message(unknown))
    if not data.subject.strip():
        errors["subject"] = _("Please enter a subject.")
    if not data.body.strip():
        errors["body"] = _("Please enter the text.")
    if data.kind not in {k.value for k in MailingKind}:
        errors["kind"] = _("Choose what the mailing is about.")
    if errors:
        raise FieldErrors(errors)


def _apply(event: Event, mailing: Mailing, data: MailingData) -> None:
    check_content(event, data)
    offered = set(content.translation_locales(event))
    mailing.kind = MailingKind(data.kind)
    mailing.filters = data.filters.to_json()
    mailing.subject, mailing.body = data.subject.strip(), data.body.strip()
    kept = {c: t for c, t in data.translations.items() if c in offered and t[0].strip()}
    mailing.subject_translations = {c: s.strip() for c, (s, _b) in kept.items()}
    mailing.body_translations = {c: b.strip() for c, (_s, b) in kept.items()}


def create_mailing(
    session: Session, event: Event, data: MailingData, user_id: int | None = None
) -> Mailing:
    mailing = Mailing(event=event, event_id=event.id, created_by_id=user_id)
    _apply(event, mailing, data)
    session.add(mailing)
    session.flush()
    return mailing


def update_mailing(session: Session, mailing: Mailing, data: MailingData) -> None:
    if mailing.status != MailingStatus.DRAFT:
        raise Conflict(_("This mailing is sent; it cannot be changed any more."))
    _apply(mailing.event, mailing, data)
    session.flush()


def mailings_of(session: Session, event: Event) -> list[Mailing]:
    return list(
        session.execute(
            select(Mailing).where(Mailing.event_id == event.id).order_by(Mailing.id.desc())
        ).scalars()
    )


def mailing_of(session: Session, event: Event, mailing_id: int) -> Mailing:
    mailing = session.get(Mailing, mailing_id)
    if mailing is None or mailing.event_id != event.id:
        raise NotFound(_("There is no such mailing at this event."))
    return mailing


def filters_of(mailing: Mailing) -> MailingFilters:
    return MailingFilters.from_json(mailing.filters)


# --- rendering one person's mail ------------------------------------------------------------


def person_locale(registration: Registration) -> str:
    user_locale = registration.user.locale if registration.user is not None else None
    return recipient_locale(user_locale, registration.locale, registration.event.default_locale)


def placeholder_values(registration: Registration) -> dict[str, str]:
    event = registration.event
    links = own_links(registration)
    event_page = external_url("events.show", slug=event.slug)
    if registration.user_id is not None:  # the agenda page hands out the personal feed
        calendar = external_url("programme.agenda", slug=event.slug)
    else:  # a guest has no personal feed: the event's calendar
        calendar = external_url("programme.event_ics", slug=event.slug)
    return {
        "name": registration.display_name,
        "registration_link": links["page_link"] or event_page,
        "badge_link": links["badge_link"] or event_page,
        "calendar_link": calendar,
    }


def opt_out_link(registration: Registration) -> str:
    token = optout.opt_out_token(registration.id, current_app.config["SECRET_KEY"])
    return external_url("mailings.opt_out", token=token)


def render_for(mailing: Mailing, registration: Registration) -> content.Content:
    """The subject and text this person receives, in their language (or the default)."""
    wanted = person_locale(registration)
    chosen = content.content_for(mailing, wanted)
    values = placeholder_values(registration)
    subject = " ".join(content.fill(chosen.subject, values).split())
    body = content.fill(chosen.body, values)
    if mailing.kind == MailingKind.NEWS:
        with force_locale(chosen.locale):
            body += "\n\n-- \n" + _(
                "You receive this news as a participant of %(event)s. "
                "To receive no more news mails from its organisers: %(link)s",
                event=mailing.event.localized("title", chosen.locale),
                link=opt_out_link(registration),
            )
    return content.Content(chosen.locale, subject, body)


# --- sending ---------------------------------------------------------------------------------


def start_sending(session: Session, mailing: Mailing, user_id: int | None) -> int:
    """Marks the mailing for the job (the caller commits, then enqueues jobs.send_mailing).
    Atomic, so a double click queues it once."""
    total = count_recipients(session, mailing)
    if mailing.status == MailingStatus.DRAFT and total == 0:
        raise ServiceError(_("Nobody matches these filters: there is no one to send it to."))
    now = utcnow()
    marked = session.execute(
        update(Mailing)
        .where(Mailing.id == mailing.id, Mailing.status == MailingStatus.DRAFT)
        .values(
            status=MailingStatus.QUEUED, total=total, queued=0, queued_at=now, sent_by_id=user_id
        )
        .execution_options(synchronize_session=False)
    )
    if rowcount(marked) != 1:
        raise Conflict(_("This mailing is already sent."))
    session.refresh(mailing)
    return total


def resume_sending(session: Session, mailing: Mailing) -> int:
    """After a job stopped on an error (or the queue could not be reached): the same job
    again, which carries on where it stopped. Returns how many it reaches."""
    if mailing.status not in (MailingStatus.QUEUED, MailingStatus.SENDING) or not mailing.error:
        raise Conflict(_("This mailing is already sent."))
    mailing.error = None
    session.flush()
    return mailing.total


def can_resume(mailing: Mailing) -> bool:
    return mailing.status in (MailingStatus.QUEUED, MailingStatus.SENDING) and bool(mailing.error)


def count_recipients(session: Session, mailing: Mailing) -> int:
    query = recipients_select(mailing.event, filters_of(mailing), mailing.kind).order_by(None)
    return session.execute(select(func.count()).select_from(query.subquery())).scalar_one()


def preview_choices(session: Session, mailing: Mailing, limit: int) -> list[Registration]:
    query = recipients_select(mailing.event, filters_of(mailing), mailing.kind)
    return list(session.execute(query.limit(limit)).scalars())


def recipient_of(session: Session, mailing: Mailing, registration_id: int) -> Registration | None:
    """This person when the mailing reaches them; None otherwise (another event's, filtered out)."""
    query = recipients_select(mailing.event, filters_of(mailing), mailing.kind)
    return session.execute(query.where(Registration.id == registration_id)).scalar_one_or_none()


def pending_batch(session: Session, mailing: Mailing, limit: int = BATCH) -> list[Registration]:
    """Recipients without their mail yet: what a job (or its retry) still has to write."""
    done = select(MailingRecipient.registration_id).where(MailingRecipient.mailing_id == mailing.id)
    query = recipients_select(mailing.event, filters_of(mailing), mailing.kind)
    return list(
        session.execute(
            query.where(Registration.id.not_in(done))
            .options(selectinload(Registration.user))
            .limit(limit)
        ).scalars()
    )


def queue_one(session: Session, mailing: Mailing, registration: Registration) -> None:
    rendered = render_for(mailing, registration)
    mail = queue_mail(
        session,
        to=registration.email,
        subject=rendered.subject,
        text=rendered.body,
        event_id=mailing.event_id,
        kind=MAIL_KIND,
    )
    session.add(
        MailingRecipient(
            mailing_id=mailing.id,
            registration_id=registration.id,
            outbound_mail_id=mail.id,
            email=registration.email,
            locale=rendered.locale,
        )
    )


def run_batch(session: Session, mailing: Mailing, limit: int = BATCH) -> int:
    """Writes the next batch's outbox rows; how many. The caller commits after each batch."""
    batch = pending_batch(session, mailing, limit)
    for registration in batch:
        queue_one(session, mailing, registration)
    session.flush()  # the unique (mailing, registration) stops a second writer here
    mailing.queued = _recipient_count(session, mailing)
    mailing.total = max(mailing.total, mailing.queued)
    if not batch:
        mailing.status, mailing.finished_at = MailingStatus.SENT, utcnow()
    return len(batch)


def _recipient_count(session: Session, mailing: Mailing) -> int:
    return session.execute(
        select(func.count()).where(MailingRecipient.mailing_id == mailing.id)
    ).scalar_one()


# --- progress and the record -----------------------------------------------------------------


@dataclass
class Progress:
    total: int
    queued: int
    waiting: int
    sent: int
    failed: int


def progress(session: Session, mailing: Mailing) -> Progress:
    rows = session.execute(
        select(OutboundMail.status, func.count())
        .join(MailingRecipient, MailingRecipient.outbound_mail_id == OutboundMail.id)
        .where(MailingRecipient.mailing_id == mailing.id)
        .group_by(OutboundMail.status)
    ).all()
    by_status: dict[MailStatus, int] = {row[0]: row[1] for row in rows}
    return Progress(
        total=mailing.total,
        queued=mailing.queued,
        waiting=by_status.get(MailStatus.QUEUED, 0),
        sent=by_status.get(MailStatus.SENT, 0) + by_status.get(MailStatus.LOGGED, 0),
        failed=by_status.get(MailStatus.FAILED, 0),
    )


@dataclass
class RecipientRow:
    name: str
    email: str
    locale: str
    status: MailStatus | None
    sent_at: datetime | None


def recipient_rows(
    session: Session, mailing: Mailing, page: int = 1, per_page: int = 100
) -> tuple[list[RecipientRow], int]:
    """One page of who got what, with each mail's state in the outbox; and the total."""
    total = _recipient_count(session, mailing)
    rows = session.execute(
        select(
            Registration.display_name, MailingRecipient, OutboundMail.status, OutboundMail.sent_at
        )
        .join(Registration, Registration.id == MailingRecipient.registration_id)
        .outerjoin(OutboundMail, OutboundMail.id == MailingRecipient.outbound_mail_id)
        .where(MailingRecipient.mailing_id == mailing.id)
        .order_by(Registration.display_name, MailingRecipient.id)
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    ).all()
    return [
        RecipientRow(name, r.email, r.locale, status, sent_at) for name, r, status, sent_at in rows
    ], total
