"""Events through /api/v1/events."""

from __future__ import annotations

from flask import abort, g
from marshmallow import Schema, fields
from sqlalchemy import func, select

from eventsys.api.core import PageArgs, api_blueprint, page_of, page_schema, token_required
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.web.access import has_event_role

blp = api_blueprint("api_events", __name__, "/events", "Events, their categories and questions.")


class CategorySchema(Schema):
    id = fields.Integer()
    code = fields.String()
    label = fields.String()
    colour = fields.String()
    capacity = fields.Integer(allow_none=True)
    is_public = fields.Boolean()


class QuestionSchema(Schema):
    id = fields.Integer()
    label = fields.String()
    kind = fields.String()
    required = fields.Boolean()
    options = fields.List(fields.String())


class EventSchema(Schema):
    slug = fields.String()
    title = fields.String()
    description = fields.String()
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


def visible_event(slug: str) -> Event:
    """A published event, or any event the token's user organises."""
    event = db.session.execute(select(Event).where(Event.slug == slug)).scalar_one_or_none()
    if event is None or not (
        event.is_published or has_event_role(g.api_user, event, ("organiser",))
    ):
        abort(404, f"There is no event “{slug[:80]}”.")
    return event


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


@blp.route("/<slug>")
@token_required
@blp.response(200, EventSchema)
def get_event(slug: str):
    """One event with its categories and questions."""
    return visible_event(slug)
