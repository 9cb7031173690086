"""Registrations through /api/v1: list (organisers), read, create, cancel, and decisions."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import abort, g
from flask_babel import get_locale
from flask_babel import gettext as _
from marshmallow import fields, validate
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from eventsys.api.core import (
    PageArgs,
    api_blueprint,
    event_for,
    page_of,
    page_schema,
    token_required,
)
from eventsys.api.schema import Schema
from eventsys.errors import ServiceError
from eventsys.events.access import has_event_role
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.registration import listing, services
from eventsys.registration.enums import Status, Visibility
from eventsys.registration.models import Registration

blp = api_blueprint("api_registrations", __name__, "", "Registrations to events.")


class RegistrationSchema(Schema):
    id = fields.Integer(dump_only=True)
    event = fields.Function(lambda r: r.event.slug, dump_only=True)
    status = fields.String(dump_only=True)
    category = fields.Function(lambda r: r.category.code, dump_only=True)
    email = fields.Email(dump_only=True)
    email_confirmed = fields.Function(lambda r: r.email_confirmed_at is not None, dump_only=True)
    display_name = fields.String(dump_only=True)
    latin_name = fields.String(allow_none=True, dump_only=True)
    organisation_name = fields.String(dump_only=True)
    country = fields.String(allow_none=True, dump_only=True)
    answers = fields.Dict(dump_only=True)
    visibility = fields.String(dump_only=True)
    decision_message = fields.String(allow_none=True, dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    waitlist_position = fields.Method("_position", dump_only=True, allow_none=True)

    def _position(self, registration: Registration) -> int | None:
        # Known positions for this request: a list's page (one query) or a new registration.
        known = g.get("waitlist_positions") or {}
        if registration.id in known:
            return known[registration.id]
        return services.waitlist_position(db.session, registration)


class RegistrationCreateSchema(Schema):
    category = fields.String(
        required=True,
        validate=validate.Length(min=1, max=40),
        metadata={"description": "A category code of the event, e.g. delegate, observer."},
    )
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
    show_organisation = fields.Boolean(load_default=True)
    show_country = fields.Boolean(load_default=True)


class RegistrationListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf([s.value for s in Status]))
    category = fields.String(metadata={"description": "A category code."})
    q = fields.String(
        validate=validate.Length(max=listing.MAX_SEARCH),
        metadata={"description": "Search in names, e-mail and organisation; any case or accent."},
    )


class DecisionSchema(Schema):
    message = fields.String(
        load_default="",
        validate=validate.Length(max=2000),
        metadata={"description": "Sent to the person with the decision."},
    )


def _organises(event: Event) -> bool:
    return has_event_role(g.api_user, event, ("organiser",))


def _own_or_organised(registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or not (
        registration.user_id == g.api_user.id or _organises(registration.event)
    ):
        abort(404, _("There is no registration with this id that you may see."))
    return registration


def _organised(registration_id: int) -> Registration:
    registration = _own_or_organised(registration_id)
    if not _organises(registration.event):
        abort(403, _("Only the event's organisers may decide on registrations."))
    return registration


def _with_positions(session, event: Event, items: list[Registration]) -> list[Registration]:
    waiting = session.execute(
        select(Registration.id)
        .where(Registration.event_id == event.id, Registration.status == Status.WAITLISTED)
        .order_by(Registration.id)
    ).scalars()
    positions = {registration_id: i for i, registration_id in enumerate(waiting, start=1)}
    g.waitlist_positions = {r.id: positions.get(r.id) for r in items}
    return items


@blp.route("/events/<slug>/registrations")
@token_required
@blp.arguments(RegistrationListArgs, location="query")
@blp.response(200, page_schema(RegistrationSchema, "RegistrationPage"))
def list_registrations(args: dict, slug: str):
    """All registrations of an event (organisers only), oldest first."""
    event = event_for(slug)
    if not _organises(event):
        abort(403, _("Only the event's organisers may list its registrations."))
    category_id = None
    if args.get("category"):
        category = next((c for c in event.categories if c.code == args["category"]), None)
        if category is None:
            raise ServiceError(
                f"“{args['category']}” is not a category of this event.", field="category"
            )
        category_id = category.id
    filt = listing.RegistrationFilter(
        status=Status(args["status"]) if args.get("status") else None,
        category_id=category_id,
        search=args.get("q") or "",
    )
    page = listing.page_of_registrations(
        db.session, event, filt, page=args["page"], per_page=args["per_page"], clamp=False
    )
    items = _with_positions(db.session, event, page.items)
    return page_of(items, page.total, args["page"], args["per_page"])


@blp.route("/events/<slug>/registrations", methods=["POST"])
@token_required
@blp.arguments(RegistrationCreateSchema)
@blp.response(201, RegistrationSchema)
def create_registration(data: dict, slug: str):
    """Register the token's user, or (organisers) someone else by e-mail."""
    # One round trip loads the categories and questions that validation reads; the service
    # takes the event's lock once the confirmation mail is rendered.
    event = db.session.execute(_event_statement(), {"slug": slug}).unique().scalar_one_or_none()
    if event is None or not (event.is_published or _organises(event)):
        abort(404, _("There is no event “%(slug)s”.", slug=slug[:80]))
    own = not data["email"] or data["email"].lower() == g.api_user.email
    category = next((c for c in event.categories if c.code == data["category"]), None)
    if category is None:
        raise ServiceError(
            f"“{data['category'][:40]}” is not a category of this event.", field="category"
        )
    # The role is looked up only when it matters: most people register themselves, openly.
    organiser = (not own or not category.is_public) and _organises(event)
    if not own and not organiser:
        abort(403, _("Only organisers may register someone else."))
    registration, _token = services.register(
        db.session,
        event,
        services.RegistrationData(
            email=data["email"] or g.api_user.email,
            display_name=data["display_name"],
            latin_name=data["latin_name"],
            category_id=category.id,
            organisation_name=data["organisation_name"],
            country=data["country"],
            answers=data["answers"],
            visibility=data["visibility"],
            show_organisation=data["show_organisation"],
            show_country=data["show_country"],
            locale=str(get_locale() or ""),
        ),
        user=g.api_user if own else None,
        organiser=organiser,
    )
    position = registration.__dict__.pop("waitlist_position_hint", None)
    _commit_keeping_loaded(db.session())
    g.waitlist_positions = {registration.id: position}
    return registration


@functools.cache
def _event_statement() -> Select[tuple[Event]]:
    """Built once (as the token's and the place check's): keying a fresh statement with its two
    joinedloads cost more CPU on every registration than running it."""
    return (
        select(Event)
        .where(Event.slug == bindparam("slug"))
        .options(joinedload(Event.categories), joinedload(Event.questions))
    )


def _commit_keeping_loaded(session) -> None:
    """Commit without expiring what was just written: the answer needs no reload queries."""
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


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


def _decide(registration_id: int, action: Callable[[Registration], object]) -> Registration:
    registration = _organised(registration_id)
    action(registration)
    db.session.commit()
    return registration


@blp.route("/registrations/<int:registration_id>/approve", methods=["POST"])
@token_required
@blp.arguments(DecisionSchema)
@blp.response(200, RegistrationSchema)
def approve_registration(data: dict, registration_id: int):
    """Organisers: confirm a registration awaiting approval; the person is told by e-mail."""
    return _decide(registration_id, lambda r: services.approve(db.session, r, data["message"]))


@blp.route("/registrations/<int:registration_id>/reject", methods=["POST"])
@token_required
@blp.arguments(DecisionSchema)
@blp.response(200, RegistrationSchema)
def reject_registration(data: dict, registration_id: int):
    """Organisers: reject a registration awaiting approval or waiting, with a message."""
    return _decide(registration_id, lambda r: services.reject(db.session, r, data["message"]))


@blp.route("/registrations/<int:registration_id>/move-off-waitlist", methods=["POST"])
@token_required
@blp.response(200, RegistrationSchema)
def move_off_waitlist(registration_id: int):
    """Organisers: give a waiting person a free place out of turn."""
    return _decide(registration_id, lambda r: services.move_off_waitlist(db.session, r))
