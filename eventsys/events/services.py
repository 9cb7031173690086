"""Events: listing, creating, roles."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.db import utcnow
from eventsys.errors import Conflict, NotFound, ServiceError
from eventsys.events.models import Category, Event, EventRole, RoleName
from eventsys.i18n import N_, catalogue_translations, is_valid_timezone

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RECENT_DAYS = 180

# Labels are stored in English with their catalogue translations (label_translations), so each
# reader sees them in their language and organisers can still rename them per event.
DEFAULT_CATEGORIES = (
    ("delegate", N_("Delegate of a member organisation"), "#1f6f43", True),
    ("observer", N_("Observer"), "#3b6ea8", True),
    ("speaker", N_("Speaker"), "#b5512c", True),
    ("press", N_("Press"), "#6b3fa0", True),
    ("staff", N_("Staff"), "#444444", False),
    ("guest", N_("Guest"), "#a07a12", True),
)


def event_by_slug(session: Session, slug: str) -> Event:
    event = session.execute(select(Event).where(Event.slug == slug)).scalar_one_or_none()
    if event is None:
        raise NotFound(_("There is no event “%(slug)s”.", slug=slug[:80]))
    return event


def listed_events(session: Session, now: datetime | None = None) -> tuple[list[Event], list[Event]]:
    """Published events: upcoming (soonest first) and those ended in the last half year."""
    now = now or utcnow()
    published = select(Event).where(Event.is_published.is_(True), Event.parent_id.is_(None))
    upcoming = (
        session.execute(published.where(Event.ends_at >= now).order_by(Event.starts_at))
        .scalars()
        .all()
    )
    recent = (
        session.execute(
            published.where(
                Event.ends_at < now, Event.ends_at >= now - timedelta(days=RECENT_DAYS)
            ).order_by(Event.starts_at.desc())
        )
        .scalars()
        .all()
    )
    return list(upcoming), list(recent)


def user_roles(session: Session, event: Event, user: User) -> set[str]:
    rows = session.execute(
        select(EventRole.role).where(EventRole.event_id == event.id, EventRole.user_id == user.id)
    ).scalars()
    return {str(role) for role in rows}


def grant_role(session: Session, event: Event, user: User, role: RoleName | str) -> EventRole:
    role = RoleName(role)
    existing = session.execute(
        select(EventRole).where(
            EventRole.event_id == event.id, EventRole.user_id == user.id, EventRole.role == role
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    grant = EventRole(event=event, user_id=user.id, role=role)
    session.add(grant)
    session.flush()
    return grant


def revoke_role(session: Session, event: Event, user: User, role: RoleName | str) -> None:
    grant = session.execute(
        select(EventRole).where(
            EventRole.event_id == event.id,
            EventRole.user_id == user.id,
            EventRole.role == RoleName(role),
        )
    ).scalar_one_or_none()
    if grant is not None:
        session.delete(grant)
        session.flush()


def validate_event_fields(
    *,
    slug: str,
    title: str,
    timezone: str,
    starts_at: datetime,
    ends_at: datetime,
    registration_opens_at: datetime | None = None,
    registration_closes_at: datetime | None = None,
    capacity: int | None = None,
) -> None:
    if not SLUG_RE.match(slug or "") or len(slug) > 80:
        raise ServiceError(
            _("The short name may hold lower-case letters, digits and single hyphens."),
            field="slug",
        )
    if not (title or "").strip() or len(title) > 300:
        raise ServiceError(_("Please give a title of at most 300 characters."), field="title")
    if not is_valid_timezone(timezone):
        raise ServiceError(
            _("“%(zone)s” is not a known time zone, e.g. Europe/Lisbon.", zone=str(timezone)[:64]),
            field="timezone",
        )
    if ends_at <= starts_at:
        raise ServiceError(_("The event must end after it starts."), field="ends_at")
    if (
        registration_opens_at
        and registration_closes_at
        and registration_closes_at <= registration_opens_at
    ):
        raise ServiceError(
            _("Registration must close after it opens."), field="registration_closes_at"
        )
    if capacity is not None and capacity < 0:
        raise ServiceError(_("The capacity cannot be negative."), field="capacity")


def create_event(
    session: Session,
    *,
    slug: str,
    title: str,
    timezone: str,
    starts_at: datetime,
    ends_at: datetime,
    with_default_categories: bool = True,
    **fields: object,
) -> Event:
    validate_event_fields(
        slug=slug,
        title=title,
        timezone=timezone,
        starts_at=starts_at,
        ends_at=ends_at,
        registration_opens_at=fields.get("registration_opens_at"),  # type: ignore[arg-type]
        registration_closes_at=fields.get("registration_closes_at"),  # type: ignore[arg-type]
        capacity=fields.get("capacity"),  # type: ignore[arg-type]
    )
    if session.execute(select(Event.id).where(Event.slug == slug)).first():
        raise Conflict(
            _("The short name “%(slug)s” is taken by another event.", slug=slug), field="slug"
        )
    event = Event(
        slug=slug,
        title=title.strip(),
        timezone=timezone,
        starts_at=starts_at,
        ends_at=ends_at,
        **fields,
    )
    if with_default_categories:
        event.categories = [
            Category(
                code=code,
                label=label,
                label_translations=catalogue_translations(label),
                colour=colour,
                is_public=public,
                position=i,
            )
            for i, (code, label, colour, public) in enumerate(DEFAULT_CATEGORIES)
        ]
    session.add(event)
    session.flush()
    return event
