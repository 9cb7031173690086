"""Events: listing, creating, roles."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.db import utcnow
from eventsys.errors import Conflict, NotFound, ServiceError
from eventsys.events.models import (
    Category,
    Event,
    EventKind,
    EventRole,
    EventSeries,
    Question,
    QuestionKind,
    RoleName,
)
from eventsys.i18n import N_, catalogue_translations, is_valid_timezone
from eventsys.validation import DB_INT_MAX

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


# ---------------------------------------------------------------------------------------------
# Managing events: details, publishing, categories, questions, roles, the organisers' dashboard.
# ---------------------------------------------------------------------------------------------

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
)
TEXT_LIMITS = {"venue_name": 300, "venue_address": 500, "city": 200, "description": 20000}
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def next_position(positions: Iterable[int]) -> int:
    """After the last one, but within the column's range (a position set to the largest one
    makes the next share it)."""
    return min(max(positions, default=-1) + 1, DB_INT_MAX)


def parse_languages(text: str | list[str] | None) -> list[str]:
    """'en, pt' -> ['en', 'pt'], each a language code Babel knows; order kept, duplicates gone."""
    from babel import Locale, UnknownLocaleError

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


def check_event_details(session: Session, event: Event | None, fields: dict[str, Any]) -> None:
    """The rules on an event's other details; `fields` is what would be saved (may be partial)."""
    from eventsys.organisations.countries import is_country
    from eventsys.organisations.models import Organisation

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
    capacity_grew = _grows(event.capacity, changes.get("capacity", event.capacity))
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    for name, value in changes.items():
        setattr(event, name, value)
    session.flush()
    if capacity_grew:
        _fill_free_places(session, event)
    return event


def _grows(old: int | None, new: int | None) -> bool:
    return old is not None and (new is None or new > old)


def _fill_free_places(session: Session, event: Event) -> None:
    from eventsys.registration.services import lock_event, promote_waitlist

    lock_event(session, event)
    promote_waitlist(session, event)


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


def confirmed_counts(session: Session) -> dict[int, int]:
    """Confirmed registrations per event id, in one query."""
    from eventsys.registration.models import Registration, Status

    rows = session.execute(
        select(Registration.event_id, func.count())
        .where(Registration.status == Status.CONFIRMED)
        .group_by(Registration.event_id)
    ).all()
    return dict(rows)


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


# Categories ----------------------------------------------------------------------------------


def _category_values(values: dict[str, Any]) -> dict[str, Any]:
    clean = dict(values)
    if "code" in clean:
        clean["code"] = (clean["code"] or "").strip().lower()
        if not CODE_RE.match(clean["code"]):
            raise ServiceError(
                _("The code may hold lower-case letters, digits, - and _ (at most 40)."),
                field="code",
            )
    if "label" in clean:
        clean["label"] = " ".join((clean["label"] or "").split())
        if not clean["label"] or len(clean["label"]) > 100:
            raise ServiceError(_("Please give a label of at most 100 characters."), field="label")
    if "colour" in clean and not COLOUR_RE.match(clean["colour"] or ""):
        raise ServiceError(_("The colour must look like #1f6f43."), field="colour")
    if clean.get("capacity") is not None and clean["capacity"] < 0:
        raise ServiceError(_("The capacity cannot be negative."), field="capacity")
    return clean


def _refuse_duplicate_code(event: Event, code: str, exclude: Category | None = None) -> None:
    if any(c.code == code and c is not exclude for c in event.categories):
        raise Conflict(
            _("Another category of this event uses the code “%(code)s”.", code=code), field="code"
        )


def add_category(
    session: Session,
    event: Event,
    *,
    code: str,
    label: str,
    colour: str = "#2f6f4f",
    capacity: int | None = None,
    is_public: bool = True,
    position: int | None = None,
) -> Category:
    values = _category_values(
        {"code": code, "label": label, "colour": colour, "capacity": capacity}
    )
    _refuse_duplicate_code(event, values["code"])
    if position is None:
        position = next_position(c.position for c in event.categories)
    category = Category(event=event, is_public=is_public, position=position, **values)
    session.add(category)
    session.flush()
    return category


def update_category(session: Session, category: Category, **changes: Any) -> Category:
    allowed = {"code", "label", "colour", "capacity", "is_public", "position"}
    values = _category_values({k: v for k, v in changes.items() if k in allowed})
    if "code" in values:
        _refuse_duplicate_code(category.event, values["code"], exclude=category)
    grew = "capacity" in values and _grows(category.capacity, values["capacity"])
    for name, value in values.items():
        setattr(category, name, value)
    session.flush()
    if grew:
        _fill_free_places(session, category.event)
    return category


def category_of(event: Event, category_id: int) -> Category:
    category = next((c for c in event.categories if c.id == category_id), None)
    if category is None:
        raise NotFound(_("This event has no such category."))
    return category


def delete_category(session: Session, category: Category) -> None:
    from eventsys.registration.models import Registration

    used = session.execute(
        select(func.count()).where(Registration.category_id == category.id)
    ).scalar_one()
    if used:
        raise Conflict(
            ngettext(
                "%(num)s registration uses “%(label)s”, so it cannot be deleted. Make it "
                "organiser-assigned instead to hide it from the public form.",
                "%(num)s registrations use “%(label)s”, so it cannot be deleted. Make it "
                "organiser-assigned instead to hide it from the public form.",
                used,
                label=category.label,
            )
        )
    category.event.categories.remove(category)
    session.flush()


# Questions -----------------------------------------------------------------------------------

CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


def parse_options(text: str | list[str] | None) -> list[str]:
    """One option a line (or a list); blank lines and repeats dropped."""
    items = text if isinstance(text, list) else (text or "").splitlines()
    options: list[str] = []
    for raw in items:
        option = " ".join(str(raw).split())
        if len(option) > 200:
            raise ServiceError(_("Each option can hold at most 200 characters."), field="options")
        if option and option not in options:
            options.append(option)
    return options


def _question_values(values: dict[str, Any], current: Question | None = None) -> dict[str, Any]:
    clean = dict(values)
    if "label" in clean:
        clean["label"] = " ".join((clean["label"] or "").split())
        if not clean["label"] or len(clean["label"]) > 300:
            raise ServiceError(
                _("Please give a question of at most 300 characters."), field="label"
            )
    if "kind" in clean:
        try:
            clean["kind"] = QuestionKind(clean["kind"])
        except ValueError as exc:
            raise ServiceError(_("Please choose the type of answer."), field="kind") from exc
    if "options" in clean:
        clean["options"] = parse_options(clean["options"])
    kind = clean.get("kind", current.kind if current else None)
    options = clean.get("options", current.options if current else [])
    if kind in CHOICE_KINDS and len(options) < 2:
        raise ServiceError(_("A choice needs at least two options, one a line."), field="options")
    if kind not in CHOICE_KINDS:
        clean["options"] = []
    return clean


def add_question(
    session: Session,
    event: Event,
    *,
    label: str,
    kind: str,
    required: bool = False,
    options: str | list[str] | None = None,
    on_badge: bool = False,
    position: int | None = None,
    is_active: bool = True,
) -> Question:
    values = _question_values({"label": label, "kind": kind, "options": options})
    if position is None:
        position = next_position(q.position for q in event.questions)
    question = Question(
        event=event,
        required=required,
        on_badge=on_badge,
        position=position,
        is_active=is_active,
        **values,
    )
    session.add(question)
    session.flush()
    return question


def question_of(event: Event, question_id: int) -> Question:
    question = next((q for q in event.questions if q.id == question_id), None)
    if question is None:
        raise NotFound(_("This event has no such question."))
    return question


def answer_count(session: Session, question: Question) -> int:
    """How many registrations answered the question (answers live in a JSON column)."""
    from eventsys.registration.models import Registration

    key = str(question.id)
    rows = session.execute(
        select(Registration.answers).where(Registration.event_id == question.event_id)
    ).scalars()
    return sum(1 for answers in rows if answers and answers.get(key) not in (None, "", []))


def update_question(session: Session, question: Question, **changes: Any) -> Question:
    allowed = {"label", "kind", "required", "options", "on_badge", "position", "is_active"}
    values = _question_values({k: v for k, v in changes.items() if k in allowed}, question)
    if values.get("kind", question.kind) != question.kind and answer_count(session, question):
        raise Conflict(
            _(
                "People have answered this question, so its type cannot change. Deactivate it "
                "and add a new one."
            ),
            field="kind",
        )
    for name, value in values.items():
        setattr(question, name, value)
    session.flush()
    return question


def remove_question(session: Session, question: Question) -> str:
    """Delete a question nobody answered; keep an answered one, deactivated, with its answers.

    Returns 'deleted' or 'deactivated'."""
    if answer_count(session, question):
        question.is_active = False
        session.flush()
        return "deactivated"
    question.event.questions.remove(question)
    session.flush()
    return "deleted"


# Roles ---------------------------------------------------------------------------------------


def event_roles(session: Session, event: Event) -> list[EventRole]:
    return list(
        session.execute(
            select(EventRole)
            .join(User, User.id == EventRole.user_id)
            .where(EventRole.event_id == event.id)
            .order_by(EventRole.role, User.display_name)
        ).scalars()
    )


def grant_role_by_email(session: Session, event: Event, email: str, role: str) -> EventRole:
    from eventsys.accounts.services import find_user_by_email

    try:
        role_name = RoleName(role)
    except ValueError as exc:
        raise ServiceError(_("Please choose a role."), field="role") from exc
    user = find_user_by_email(session, email)
    if user is None or not user.is_active:
        raise NotFound(
            _(
                "No account uses %(email)s. Ask the person to sign up first, then add them.",
                email=(email or "").strip()[:254],
            ),
            field="email",
        )
    return grant_role(session, event, user, role_name)


def remove_role(session: Session, event: Event, role_id: int, *, by_admin: bool) -> EventRole:
    grant = session.get(EventRole, role_id)
    if grant is None or grant.event_id != event.id:
        raise NotFound(_("This person has no such role at this event."))
    organisers = [r for r in event.roles if r.role == RoleName.ORGANISER]
    if grant.role == RoleName.ORGANISER and len(organisers) == 1 and not by_admin:
        raise Conflict(_("This is the event's last organiser. Add another organiser first."))
    session.delete(grant)
    session.flush()
    return grant


# The organisers' dashboard -------------------------------------------------------------------


@dataclass
class CategoryCounts:
    category: Category
    counts: dict[str, int]
    places_left: int | None

    @property
    def taken(self) -> int:
        return self.counts.get("confirmed", 0) + self.counts.get("pending", 0)


@dataclass
class Dashboard:
    rows: list[CategoryCounts]
    totals: dict[str, int]
    places_left: int | None
    failed_mails: int


DASHBOARD_STATUSES = ("confirmed", "pending", "waitlisted", "cancelled")


def _smallest(*limits: int | None) -> int | None:
    """The tightest of several limits; None (no limit) when none applies."""
    known = [n for n in limits if n is not None]
    return min(known) if known else None


def dashboard(session: Session, event: Event) -> Dashboard:
    """Registrations per category and status, places left, mails that could not be delivered."""
    from eventsys.mail.services import failed_count
    from eventsys.registration.capacity import places_left
    from eventsys.registration.models import Registration

    counted = session.execute(
        select(Registration.category_id, Registration.status, func.count())
        .where(Registration.event_id == event.id)
        .group_by(Registration.category_id, Registration.status)
    ).all()
    by_category: dict[int, dict[str, int]] = {}
    for category_id, status, count in counted:
        by_category.setdefault(category_id, {})[str(status)] = count
    rows = [
        CategoryCounts(category, by_category.get(category.id, {}), None)
        for category in event.categories
    ]
    totals = {s: sum(r.counts.get(s, 0) for r in rows) for s in (*DASHBOARD_STATUSES, "rejected")}
    event_left = places_left(event.capacity, totals["confirmed"] + totals["pending"])
    for row in rows:
        # A category's own room counts only as far as the event has room left.
        row.places_left = _smallest(places_left(row.category.capacity, row.taken), event_left)
    return Dashboard(rows, totals, event_left, failed_count(session, event.id))
