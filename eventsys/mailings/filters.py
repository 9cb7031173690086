"""Who a mailing reaches: the filters as plain query functions (they combine with AND)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, select
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.checkin.models import CheckIn
from eventsys.events.models import Event
from eventsys.mailings.models import MailingKind, MailOptOut
from eventsys.organisations.models import Organisation
from eventsys.programme.models import ProgrammeSession, SignUp, SignUpStatus
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration

# What an organiser may write to: never cancelled or rejected registrations.
MAILABLE = (Status.CONFIRMED, Status.WAITLISTED, Status.PENDING)
CHECKED_IN_CHOICES = ("", "yes", "no")


@dataclass
class MailingFilters:
    """Empty values mean "anyone"; `statuses` empty means every mailable status."""

    category_id: int | None = None
    statuses: list[str] = field(default_factory=lambda: [Status.CONFIRMED.value])
    checked_in: str = ""  # "", "yes" or "no"
    session_id: int | None = None  # signed up (confirmed) for this programme session
    country: str | None = None
    organisation_id: int | None = None
    language: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> MailingFilters:
        data = data or {}
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


def preferred_language(event: Event) -> ColumnElement[str]:
    """The person's language, as their mails use it: the account's, else the one they
    registered in, else the event's. Needs the outer join to User (see recipients_select)."""
    return func.coalesce(User.locale, Registration.locale, event.default_locale)


def is_checked_in() -> ColumnElement[bool]:
    return exists().where(CheckIn.registration_id == Registration.id, CheckIn.reverted_at.is_(None))


def signed_up_for(session_id: int) -> ColumnElement[bool]:
    return exists().where(
        SignUp.registration_id == Registration.id,
        SignUp.session_id == session_id,
        SignUp.status == SignUpStatus.CONFIRMED,
    )


def filter_clauses(event: Event, filters: MailingFilters) -> list[ColumnElement[bool]]:
    """One condition per filter chosen, for registrations of this event."""
    statuses = [Status(s) for s in filters.statuses if s in {m.value for m in MAILABLE}]
    clauses: list[ColumnElement[bool]] = [
        Registration.event_id == event.id,
        Registration.status.in_(statuses or MAILABLE),
    ]
    if filters.category_id:
        clauses.append(Registration.category_id == filters.category_id)
    if filters.checked_in == "yes":
        clauses.append(is_checked_in())
    elif filters.checked_in == "no":
        clauses.append(~is_checked_in())
    if filters.session_id:
        clauses.append(signed_up_for(filters.session_id))
    if filters.country:
        clauses.append(Registration.country == filters.country)
    if filters.organisation_id:
        clauses.append(Registration.organisation_id == filters.organisation_id)
    if filters.language:
        clauses.append(preferred_language(event) == filters.language)
    return clauses


def opt_out_scope(event: Event) -> str:
    """News opt-outs hold for the whole organiser network hosting the event (one "no more news"
    covers its other events too), or for the event alone when no network hosts it."""
    if event.host_organisation_id is not None:
        return f"organisation:{event.host_organisation_id}"
    return f"event:{event.id}"


def not_opted_out(event: Event) -> ColumnElement[bool]:
    return ~exists().where(
        MailOptOut.scope == opt_out_scope(event),
        MailOptOut.email == func.lower(Registration.email),
    )


def recipients_select(
    event: Event, filters: MailingFilters, kind: MailingKind
) -> Select[tuple[Registration]]:
    """Registrations a mailing of this kind reaches; news skips those who opted out."""
    clauses = filter_clauses(event, filters)
    if kind == MailingKind.NEWS:
        clauses.append(not_opted_out(event))
    return (
        select(Registration)
        .outerjoin(User, User.id == Registration.user_id)
        .where(and_(*clauses))
        .order_by(Registration.display_name, Registration.id)
    )


def recipients(
    session: Session, event: Event, filters: MailingFilters, kind: MailingKind
) -> list[Registration]:
    return list(session.execute(recipients_select(event, filters, kind)).scalars())


def recipient_count(
    session: Session, event: Event, filters: MailingFilters, kind: MailingKind
) -> int:
    query = recipients_select(event, filters, kind).order_by(None)
    return session.execute(select(func.count()).select_from(query.subquery())).scalar_one()


@dataclass
class FilterOptions:
    """What the filter form offers: only values some registration of the event has."""

    sessions: list[tuple[int, str]]
    countries: list[str]
    organisations: list[tuple[int, str]]


def filter_options(session: Session, event: Event) -> FilterOptions:
    sessions = session.execute(
        select(ProgrammeSession.id, ProgrammeSession.title)
        .where(ProgrammeSession.event_id == event.id, ProgrammeSession.signup_required.is_(True))
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    ).all()
    active = Registration.event_id == event.id, Registration.status.in_(MAILABLE)
    countries = session.execute(
        select(Registration.country).where(*active, Registration.country.is_not(None)).distinct()
    ).scalars()
    organisations = session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.id.in_(select(Registration.organisation_id).where(*active)))
        .order_by(Organisation.name)
    ).all()
    return FilterOptions(
        sessions=[(i, t) for i, t in sessions],
        countries=sorted(c for c in countries if c),
        organisations=[(i, n) for i, n in organisations],
    )
