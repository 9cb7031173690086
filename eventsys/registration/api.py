"""Registrations through /api/v1: list (organisers), read, create, cancel."""

from __future__ import annotations

from flask import abort, g
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select

from eventsys.api.core import PageArgs, api_blueprint, page_of, page_schema, token_required
from eventsys.events.api import visible_event
from eventsys.extensions import db
from eventsys.registration import services
from eventsys.registration.models import Registration, Status, Visibility
from eventsys.web.access import has_event_role

blp = api_blueprint("api_registrations", __name__, "", "Registrations to events.")


class RegistrationSchema(Schema):
    id = fields.Integer(dump_only=True)
    event = fields.Function(lambda r: r.event.slug, dump_only=True)
    status = fields.String(dump_only=True)
    category = fields.Function(lambda r: r.category.code, dump_only=True)
    email = fields.Email(dump_only=True)
    display_name = fields.String(dump_only=True)
    latin_name = fields.String(allow_none=True, dump_only=True)
    organisation_name = fields.String(dump_only=True)
    country = fields.String(allow_none=True, dump_only=True)
    answers = fields.Dict(dump_only=True)
    visibility = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    waitlist_position = fields.Method("_position", dump_only=True, allow_none=True)

    def _position(self, registration: Registration) -> int | None:
        return services.waitlist_position(db.session, registration)


class RegistrationCreateSchema(Schema):
    category = fields.String(required=True, validate=validate.Length(min=1, max=40))
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(
        load_default=None, metadata={"description": "Organisers only: register someone else."}
    )
    latin_name = fields.String(load_default=None, validate=validate.Length(max=200))
    organisation_name = fields.String(load_default="", validate=validate.Length(max=300))
    country = fields.String(load_default=None, validate=validate.Length(equal=2))
    answers = fields.Dict(keys=fields.String(), load_default=dict)
    visibility = fields.String(
        load_default=Visibility.ORGANISERS.value,
        validate=validate.OneOf([v.value for v in Visibility]),
    )


class RegistrationListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf([s.value for s in Status]))


def _own_or_organised(registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or not (
        registration.user_id == g.api_user.id
        or has_event_role(g.api_user, registration.event, ("organiser",))
    ):
        abort(404, "There is no registration with this id that you may see.")
    return registration


@blp.route("/events/<slug>/registrations")
@token_required
@blp.arguments(RegistrationListArgs, location="query")
@blp.response(200, page_schema(RegistrationSchema, "RegistrationPage"))
def list_registrations(args: dict, slug: str):
    """All registrations of an event (organisers only), oldest first."""
    event = visible_event(slug)
    if not has_event_role(g.api_user, event, ("organiser",)):
        abort(403, "Only the event's organisers may list its registrations.")
    query = select(Registration).where(Registration.event_id == event.id)
    if args.get("status"):
        query = query.where(Registration.status == Status(args["status"]))
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    items = (
        db.session.execute(
            query.order_by(Registration.id)
            .offset((args["page"] - 1) * args["per_page"])
            .limit(args["per_page"])
        )
        .scalars()
        .all()
    )
    return page_of(items, total, args["page"], args["per_page"])


@blp.route("/events/<slug>/registrations", methods=["POST"])
@token_required
@blp.arguments(RegistrationCreateSchema)
@blp.response(201, RegistrationSchema)
def create_registration(data: dict, slug: str):
    """Register the token's user, or (organisers) someone else by e-mail."""
    event = visible_event(slug)
    organiser = has_event_role(g.api_user, event, ("organiser",))
    if data["email"] and data["email"].lower() != g.api_user.email and not organiser:
        abort(403, "Only organisers may register someone else.")
    category = next((c for c in event.categories if c.code == data["category"]), None)
    registration, _token = services.register(
        db.session,
        event,
        services.RegistrationData(
            email=data["email"] or g.api_user.email,
            display_name=data["display_name"],
            latin_name=data["latin_name"],
            category_id=category.id if category else -1,
            organisation_name=data["organisation_name"],
            country=data["country"],
            answers=data["answers"],
            visibility=data["visibility"],
        ),
        user=g.api_user if not data["email"] or data["email"].lower() == g.api_user.email else None,
        organiser=organiser,
    )
    db.session.commit()
    return registration


@blp.route("/registrations/<int:registration_id>")
@token_required
@blp.response(200, RegistrationSchema)
def get_registration(registration_id: int):
    """One registration: your own, or any at an event you organise."""
    return _own_or_organised(registration_id)


@blp.route("/registrations/<int:registration_id>/cancel", methods=["POST"])
@token_required
@blp.response(200, RegistrationSchema)
def cancel_registration(registration_id: int):
    """Cancel; the first person waiting moves up."""
    registration = _own_or_organised(registration_id)
    services.cancel(db.session, registration)
    db.session.commit()
    return registration
