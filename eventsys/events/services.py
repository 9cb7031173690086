"""Events: listing, creating, editing details, publishing, series.

Categories, questions and roles have modules of their own (categories.py, questions.py,
roles.py); their names are re-exported here, so
`from eventsys.events import services; services.add_category(...)` reads as before.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from babel import Locale, UnknownLocaleError
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.db import utcnow
from eventsys.errors import Conflict, NotFound, ServiceError
from eventsys.events.categories import add_category, category_of, delete_category, update_category
from eventsys.events.enums import EventKind, RoleName
from eventsys.events.models import Category, Event, EventRole, EventSeries
from eventsys.events.questions import (
    CHOICE_KINDS,
    add_question,
    answer_count,
    parse_options,
    question_of,
    remove_question,
    update_question,
)
from eventsys.events.roles import (
    event_roles,
    grant_role,
    grant_role_by_email,
    remove_role,
    revoke_role,
    user_roles,
)
from eventsys.events.rules import (
    CODE_RE,
    COLOUR_RE,
    capacity_grows,
    fill_free_places,
    next_position,
)
from eventsys.i18n import N_, catalogue_translations, clean_translations, is_valid_timezone
from eventsys.organisations.countries import is_country
from eventsys.organisations.models import Organisation

# Names of the modules split off from this one, still importable from here.
__all__ = [
    "add_category",
    "category_of",
    "delete_category",
    "update_category",
    "CHOICE_KINDS",
    "add_question",
    "answer_count",
    "parse_options",
    "question_of",
    "remove_question",
    "update_question",
    "event_roles",
    "grant_role",
    "grant_role_by_email",
    "remove_role",
    "revoke_role",
    "user_roles",
    "CODE_RE",
    "COLOUR_RE",
    "next_position",
]


SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RECENT_COUNT = 12

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
    """Published events: upcoming (soonest first) and the latest past ones (newest first)."""
    now = now or utcnow()
    published = select(Event).where(Event.is_published.is_(True), Event.parent_id.is_(None))
    upcoming = (
        session.execute(published.where(Event.ends_at >= now).order_by(Event.starts_at))
        .scalars()
        .all()
    )
    recent = (
        session.execute(
            published.where(Event.ends_at < now)
            .order_by(Event.starts_at.desc())
            .limit(RECENT_COUNT)
        )
        .scalars()
        .all()
    )
    return list(upcoming), list(recent)


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
            _(
                "“%(zone)s” is not a known time zone, e.g. Europe/Lisbon.",
                zone=(timezone or "")[:64],
            ),
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
    check_event_details(session, None, fields)
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


EDITABLE_FIELDS = (
    "title",
    "description",
    "kind",
    "timezone",
    "starts_at",
    "ends_at",
    "venue_name",
    "venue_address",
    "city",
    "country",
    "default_locale",
    "languages",
    "series_id",
    "parent_id",
    "host_organisation_id",
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
    "requires_approval",
    "is_published",
    "participant_list_enabled",
    "title_translations",
    "description_translations",
)
TEXT_LIMITS = {"venue_name": 300, "venue_address": 500, "city": 200, "description": 20000}


def parse_languages(text: str | list[str] | None) -> list[str]:
    """'en, pt' -> ['en', 'pt'], each a language code Babel knows; order kept, duplicates gone."""
    items = text if isinstance(text, list) else re.split(r"[\s,;]+", text or "")
    codes: list[str] = []
    for raw in items:
        code = str(raw).strip().replace("-", "_")
        if not code:
            continue
        try:
            Locale.parse(code)
        except (UnknownLocaleError, ValueError) as exc:
            raise ServiceError(
                _("“%(code)s” is not a language code such as en, pt or ru.", code=raw[:20]),
                field="languages",
            ) from exc
        if code not in codes:
            codes.append(code)
    return codes


def _check_versions(fields: dict[str, Any]) -> None:
    """The title and description in the event's other languages; None leaves them as they are.
    A version in the default language is kept: the default language may change later."""
    for name, limit in (("title_translations", 300), ("description_translations", 20000)):
        if name in fields and fields[name] is None:
            fields.pop(name)
        elif name in fields:
            fields[name] = clean_translations(fields[name], field=name, max_length=limit)


def check_event_details(session: Session, event: Event | None, fields: dict[str, Any]) -> None:
    """The rules on an event's other details; `fields` is what would be saved (may be partial)."""
    for name, limit in TEXT_LIMITS.items():
        if len(fields.get(name) or "") > limit:
            raise ServiceError(
                ngettext(
                    "This text is longer than %(num)s character.",
                    "This text is longer than %(num)s characters.",
                    limit,
                ),
                field=name,
            )
    if fields.get("kind") is not None:
        try:
            fields["kind"] = EventKind(fields["kind"])
        except ValueError as exc:
            raise ServiceError(_("Please choose the kind of event."), field="kind") from exc
    if fields.get("country") and not is_country(fields["country"]):
        raise ServiceError(_("Please choose a country from the list."), field="country")
    if "languages" in fields:
        fields["languages"] = parse_languages(fields["languages"])
    languages = fields.get("languages", event.languages if event else [])
    locale = fields.get("default_locale", event.default_locale if event else None)
    if locale and languages and locale not in languages:
        raise ServiceError(
            _("The default language must be one of the event's languages."),
            field="default_locale",
        )
    _check_versions(fields)
    if fields.get("series_id") and session.get(EventSeries, fields["series_id"]) is None:
        raise ServiceError(_("Please choose a series from the list."), field="series_id")
    if fields.get("host_organisation_id") and (
        session.get(Organisation, fields["host_organisation_id"]) is None
    ):
        raise ServiceError(
            _("Please choose an organisation from the list."), field="host_organisation_id"
        )
    if fields.get("parent_id"):
        _check_parent(session, event, fields["parent_id"])


def parent_choices(session: Session, user: User, event: Event | None) -> list[tuple[int, str]]:
    """Events `user` may make `event` a sub-event of: those they organise (administrators: all),
    and its current parent; never the event itself. Others' drafts stay unseen."""
    query = select(Event.id, Event.title).order_by(Event.starts_at.desc())
    if not user.is_admin:
        organised = select(EventRole.event_id).where(
            EventRole.user_id == user.id, EventRole.role == RoleName.ORGANISER
        )
        current = event.parent_id if event is not None else None
        query = query.where(Event.id.in_(organised) | (Event.id == current))
    rows = session.execute(query).all()
    return [(pid, title) for pid, title in rows if event is None or pid != event.id]


def parent_by_slug(session: Session, user: User, event: Event | None, slug: str) -> Event:
    """The event named as a parent, if `user` may choose it; otherwise the same refusal whether
    or not such an event exists, so no one learns of another organiser's drafts."""
    parent = session.execute(select(Event).where(Event.slug == slug)).scalar_one_or_none()
    allowed = {pid for pid, _title in parent_choices(session, user, event)}
    if parent is None or parent.id not in allowed:
        raise ServiceError(_("Please choose a parent event from the list."), field="parent")
    return parent


def _check_parent(session: Session, event: Event | None, parent_id: int) -> None:
    parent = session.get(Event, parent_id)
    if parent is None:
        raise ServiceError(_("Please choose a parent event from the list."), field="parent_id")
    # Walk up from the parent: meeting the event itself would make a loop.
    seen = set()
    while parent is not None and parent.id not in seen:
        if event is not None and parent.id == event.id:
            raise ServiceError(
                _("An event cannot be a sub-event of itself or of its own sub-events."),
                field="parent_id",
            )
        seen.add(parent.id)
        parent = parent.parent


def update_event(session: Session, event: Event, **changes: Any) -> Event:
    """Organisers change an event's details; raising a capacity fills places from the list."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ServiceError(
            _("These details cannot be changed: %(f)s", f=", ".join(sorted(unknown)))
        )
    merged = {name: getattr(event, name) for name in EDITABLE_FIELDS} | changes
    validate_event_fields(
        slug=event.slug,
        title=merged["title"],
        timezone=merged["timezone"],
        starts_at=merged["starts_at"],
        ends_at=merged["ends_at"],
        registration_opens_at=merged["registration_opens_at"],
        registration_closes_at=merged["registration_closes_at"],
        capacity=merged["capacity"],
    )
    check_event_details(session, event, changes)
    if changes.get("is_published") and not event.is_published:
        _check_publishable(event)
    capacity_grew = capacity_grows(event.capacity, changes.get("capacity", event.capacity))
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    for name, value in changes.items():
        setattr(event, name, value)
    session.flush()
    if capacity_grew:
        fill_free_places(session, event)
    return event


def _check_publishable(event: Event) -> None:
    if not any(c.is_public for c in event.categories):
        raise Conflict(
            _("Add at least one public category before publishing, so people can register."),
            field="is_published",
        )


def set_published(session: Session, event: Event, published: bool) -> Event:
    if published:
        _check_publishable(event)
    event.is_published = published
    session.flush()
    return event


def all_events(session: Session) -> list[Event]:
    """Every event, drafts included, newest first (the administrators' list)."""
    return list(session.execute(select(Event).order_by(Event.starts_at.desc())).scalars())


def events_with_roles(session: Session, user: User) -> list[tuple[Event, list[str]]]:
    """The events a person organises or staffs, drafts included, newest first, with the roles."""
    rows = session.execute(
        select(Event, EventRole.role)
        .join(EventRole, EventRole.event_id == Event.id)
        .where(EventRole.user_id == user.id)
        .order_by(Event.starts_at.desc(), EventRole.role)
    ).all()
    found: dict[int, tuple[Event, list[str]]] = {}
    for event, role in rows:
        found.setdefault(event.id, (event, []))[1].append(str(role))
    return list(found.values())


def series_list(session: Session) -> list[EventSeries]:
    return list(session.execute(select(EventSeries).order_by(EventSeries.name)).scalars())


def add_series(session: Session, name: str) -> EventSeries:
    """A new series by name; its slug is derived, and an existing series of that name is reused."""
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise ServiceError(
            _("Please give the series a name of at most 200 characters."), field="new_series"
        )
    existing = session.execute(
        select(EventSeries).where(func.lower(EventSeries.name) == name.lower())
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:70] or "series"
    slug, n = base, 1
    while session.execute(select(EventSeries.id).where(EventSeries.slug == slug)).first():
        n += 1
        slug = f"{base}-{n}"
    series = EventSeries(slug=slug, name=name)
    session.add(series)
    session.flush()
    return series
