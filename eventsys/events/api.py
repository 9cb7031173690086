"""Events through /api/v1/events: read (anyone with a token), create (administrators), change
events, their categories and questions (the event's organisers)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import abort, g
from flask_babel import gettext as _
from marshmallow import fields, validate
from sqlalchemy import func, select

from eventsys.api.core import (
    PageArgs,
    api_blueprint,
    event_for,
    page_of,
    page_schema,
    token_required,
)
from eventsys.api.schema import Schema, versions_field
from eventsys.errors import ServiceError
from eventsys.events import services
from eventsys.events.enums import EventKind, QuestionKind, RoleName
from eventsys.events.localtime import strict_local_to_utc, utc_to_wall
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.i18n import is_valid_timezone

blp = api_blueprint("api_events", __name__, "/events", "Events, their categories and questions.")


def option_versions_field() -> fields.Dict:
    return fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=10)),
        values=fields.List(fields.String(validate=validate.Length(max=200))),
        load_default=None,
        metadata={"description": "The options in the event's other languages, in the same "
                  "order as `options`: {locale: [text, ...]}. Answers hold the `options` text."},
    )  # fmt: skip


class CategorySchema(Schema):
    id = fields.Integer()
    code = fields.String()
    label = fields.String()
    label_translations = versions_field("label")
    colour = fields.String()
    capacity = fields.Integer(allow_none=True)
    is_public = fields.Boolean()


class QuestionSchema(Schema):
    id = fields.Integer()
    label = fields.String()
    label_translations = versions_field("label")
    kind = fields.String()
    required = fields.Boolean()
    options = fields.List(fields.String())
    options_translations = option_versions_field()


class EventSchema(Schema):
    slug = fields.String()
    title = fields.String()
    description = fields.String()
    title_translations = versions_field("title")
    description_translations = versions_field("description")
    kind = fields.String()
    timezone = fields.String(metadata={"description": "IANA time zone; times below are UTC."})
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    venue_name = fields.String()
    city = fields.String()
    country = fields.String(allow_none=True)
    registration_opens_at = fields.DateTime(allow_none=True)
    registration_closes_at = fields.DateTime(allow_none=True)
    capacity = fields.Integer(allow_none=True)
    requires_approval = fields.Boolean()
    categories = fields.List(fields.Nested(CategorySchema))
    questions = fields.List(fields.Nested(QuestionSchema))


@blp.route("/")
@token_required
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(EventSchema, "EventPage"))
def list_events(args: dict):
    """Published events, newest first."""
    query = select(Event).where(Event.is_published.is_(True))
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    items = (
        db.session.execute(
            query.order_by(Event.starts_at.desc())
            .offset((args["page"] - 1) * args["per_page"])
            .limit(args["per_page"])
        )
        .scalars()
        .all()
    )
    return page_of(items, total, args["page"], args["per_page"])


# Managing events through the API: administrators create, organisers change. -------------------

TIME_NOTE = (
    "ISO 8601. With an offset (or Z) it is that instant; without one it is the wall-clock time "
    "in the event's time zone, as an organiser types it. A local time that a daylight-saving "
    "change skips or repeats is refused."
)


def _time(description: str, *, allow_none: bool = True) -> fields.DateTime:
    return fields.DateTime(
        allow_none=allow_none, metadata={"description": f"{description} {TIME_NOTE}"}
    )


class EventWriteSchema(Schema):
    title = fields.String(validate=validate.Length(min=1, max=300))
    description = fields.String(validate=validate.Length(max=20000))
    title_translations = versions_field("title")
    description_translations = versions_field("description")
    kind = fields.String(validate=validate.OneOf([k.value for k in EventKind]))
    timezone = fields.String(metadata={"description": "IANA time zone, e.g. Europe/Lisbon."})
    starts_at = _time("Start.", allow_none=False)
    ends_at = _time("End.", allow_none=False)
    venue_name = fields.String(validate=validate.Length(max=300))
    venue_address = fields.String(validate=validate.Length(max=500))
    city = fields.String(validate=validate.Length(max=200))
    country = fields.String(allow_none=True, validate=validate.Length(equal=2))
    default_locale = fields.String(validate=validate.Length(min=2, max=10))
    languages = fields.List(fields.String(validate=validate.Length(max=10)))
    series = fields.String(
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={"description": "Series name; created when new."},
    )
    parent = fields.String(
        allow_none=True, metadata={"description": "Slug of the event this is a sub-event of."}
    )
    host_organisation_id = fields.Integer(allow_none=True)
    registration_opens_at = _time("Registration opens.")
    registration_closes_at = _time("Registration closes (default: when the event ends).")
    capacity = fields.Integer(allow_none=True, validate=validate.Range(min=0))
    requires_approval = fields.Boolean()
    is_published = fields.Boolean()
    participant_list_enabled = fields.Boolean()


class EventCreateSchema(EventWriteSchema):
    slug = fields.String(required=True, validate=validate.Length(min=1, max=80))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    timezone = fields.String(required=True)
    starts_at = _time("Start.", allow_none=False)
    ends_at = _time("End.", allow_none=False)
    with_default_categories = fields.Boolean(
        load_default=True,
        metadata={"description": "Add delegate, observer, speaker, press, staff, guest."},
    )
    organisers = fields.List(
        fields.Email(),
        load_default=list,
        metadata={"description": "E-mails of existing accounts made organisers."},
    )


class EventDetailSchema(EventSchema):
    id = fields.Integer()
    default_locale = fields.String()
    languages = fields.List(fields.String())
    is_published = fields.Boolean()
    participant_list_enabled = fields.Boolean()
    series = fields.Function(lambda e: e.series.name if e.series else None, allow_none=True)
    parent = fields.Function(lambda e: e.parent.slug if e.parent else None, allow_none=True)
    host_organisation_id = fields.Integer(allow_none=True)
    starts_at_local = fields.Function(
        lambda e: _wall(e.starts_at, e.timezone),
        metadata={"description": "The start as the clocks at the venue show it."},
    )
    ends_at_local = fields.Function(lambda e: _wall(e.ends_at, e.timezone))


def _wall(instant, zone: str) -> str | None:
    wall = utc_to_wall(instant, zone)
    return wall.isoformat(timespec="minutes") if wall else None


class CategoryWriteSchema(Schema):
    code = fields.String(validate=validate.Length(min=1, max=40))
    label = fields.String(validate=validate.Length(min=1, max=100))
    label_translations = versions_field("label")
    colour = fields.String(validate=validate.Regexp(r"^#[0-9a-fA-F]{6}$"))
    capacity = fields.Integer(allow_none=True, validate=validate.Range(min=0))
    is_public = fields.Boolean(
        metadata={"description": "False: organiser-assigned, hidden from the public form."}
    )
    position = fields.Integer(validate=validate.Range(min=0))


class CategoryCreateSchema(CategoryWriteSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    label = fields.String(required=True, validate=validate.Length(min=1, max=100))


class CategoryDetailSchema(CategorySchema):
    position = fields.Integer()


class QuestionWriteSchema(Schema):
    label = fields.String(validate=validate.Length(min=1, max=300))
    label_translations = versions_field("label")
    kind = fields.String(validate=validate.OneOf([k.value for k in QuestionKind]))
    required = fields.Boolean()
    options = fields.List(fields.String(validate=validate.Length(max=200)))
    options_translations = option_versions_field()
    on_badge = fields.Boolean()
    position = fields.Integer(validate=validate.Range(min=0))
    is_active = fields.Boolean()


class QuestionCreateSchema(QuestionWriteSchema):
    label = fields.String(required=True, validate=validate.Length(min=1, max=300))
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in QuestionKind]))


class QuestionDetailSchema(QuestionSchema):
    on_badge = fields.Boolean()
    position = fields.Integer()
    is_active = fields.Boolean()


def _event_values(data: dict, zone: str, event: Event | None = None) -> dict:
    """API input to service values: local times read in the zone, names resolved to ids (a
    parent only among the events the caller organises)."""
    values = dict(data)
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        if values.get(name) is not None:
            values[name] = _instant(values[name], zone, name)
    if "series" in values:
        name = values.pop("series")
        values["series_id"] = services.add_series(db.session, name).id if name else None
    if "parent" in values:
        slug = values.pop("parent")
        values["parent_id"] = (
            services.parent_by_slug(db.session, g.api_user, event, slug).id if slug else None
        )
    return values


def _instant(value: datetime, zone: str, name: str) -> datetime:
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    if not is_valid_timezone(zone):
        raise ServiceError(
            f"“{zone}” is not a known time zone, e.g. Europe/Lisbon.", field="timezone"
        )
    return strict_local_to_utc(value, zone, field=name)


def _organised_event(slug: str) -> Event:
    return event_for(slug, ("organiser",), refusal=_("Only the event's organisers may change it."))


@blp.route("/", methods=["POST"])
@token_required
@blp.arguments(EventCreateSchema)
@blp.response(201, EventDetailSchema)
def create_event(data: dict):
    """Create an event (administrators). It starts as a draft unless is_published is true."""
    if not g.api_user.is_admin:
        abort(403, _("Only administrators may create events."))
    for name in ("starts_at", "ends_at"):
        if data.get(name) is None:
            abort(422, _("%(name)s is required.", name=name))
    organisers = data.pop("organisers")
    slug = data.pop("slug")
    with_defaults = data.pop("with_default_categories")
    values = _event_values(data, data["timezone"])
    publish = values.pop("is_published", False)
    event = services.create_event(
        db.session, slug=slug, with_default_categories=with_defaults, **values
    )
    services.grant_role(db.session, event, g.api_user, RoleName.ORGANISER)
    for email in organisers:
        services.grant_role_by_email(db.session, event, email, RoleName.ORGANISER)
    if publish:
        services.set_published(db.session, event, True)
    db.session.commit()
    return event


@blp.route("/<slug>", methods=["PATCH"])
@token_required
@blp.arguments(EventWriteSchema)
@blp.response(200, EventDetailSchema)
def update_event(data: dict, slug: str):
    """Change an event (its organisers). Send only the fields to change."""
    event = _organised_event(slug)
    values = _event_values(data, data.get("timezone") or event.timezone, event)
    services.update_event(db.session, event, **values)
    db.session.commit()
    return event


def _create_and_update(
    kind: str,
    plural: str,
    schemas: tuple[type[Schema], type[Schema], type[Schema]],
    services_for: tuple[Callable[..., Any], Callable[[Event, int], Any], Callable[..., Any]],
    docs: tuple[str, str],
) -> None:
    """For the event's organisers: POST /<slug>/<plural> adds a `kind` (endpoint
    create_<kind>), PATCH /<slug>/<plural>/<kind>_id changes one (update_<kind>). `schemas`:
    the creation's, the change's and the answer's; `services_for`: add, find and update."""
    create_schema, write_schema, detail_schema = schemas
    add, find, update = services_for

    def create_row(data: dict, slug: str) -> Any:
        row = add(db.session, _organised_event(slug), **data)
        db.session.commit()
        return row

    def update_row(data: dict, slug: str, **row_id: int) -> Any:
        row = find(_organised_event(slug), row_id[f"{kind}_id"])
        update(db.session, row, **data)
        db.session.commit()
        return row

    create_row.__doc__, update_row.__doc__ = docs
    created = blp.response(201, detail_schema)(blp.arguments(create_schema)(create_row))
    blp.route(f"/<slug>/{plural}", endpoint=f"create_{kind}", methods=["POST"])(
        token_required(created)
    )
    updated = blp.response(200, detail_schema)(blp.arguments(write_schema)(update_row))
    blp.route(f"/<slug>/{plural}/<int:{kind}_id>", endpoint=f"update_{kind}", methods=["PATCH"])(
        token_required(updated)
    )


# The categories' and the questions' operations: schemas (create, change, answer), services (add,
# find, update) and the operations' descriptions.
CATEGORY_SCHEMAS = (CategoryCreateSchema, CategoryWriteSchema, CategoryDetailSchema)
QUESTION_SCHEMAS = (QuestionCreateSchema, QuestionWriteSchema, QuestionDetailSchema)
CATEGORY_SERVICES = (services.add_category, services.category_of, services.update_category)
QUESTION_SERVICES = (services.add_question, services.question_of, services.update_question)
CATEGORY_DOCS = (
    "Add a registration category (organisers).",
    "Change a category (organisers); a higher capacity fills places from the waiting list.",
)
QUESTION_DOCS = (
    "Add a question to the registration form (organisers).",
    "Change a question (organisers). is_active false stops asking it and keeps its answers.",
)
_create_and_update("category", "categories", CATEGORY_SCHEMAS, CATEGORY_SERVICES, CATEGORY_DOCS)
_create_and_update("question", "questions", QUESTION_SCHEMAS, QUESTION_SERVICES, QUESTION_DOCS)


@blp.route("/<slug>")
@token_required
@blp.response(200, EventDetailSchema)
def get_event(slug: str):
    """One event with its categories and questions."""
    return event_for(slug)
