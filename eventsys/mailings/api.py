"""Mailings through /api/v1/events/{slug}/mailings: drafts, their recipients' count, sending
and progress. For the event's organisers only."""

from __future__ import annotations

from flask import g
from flask_babel import gettext as _
from marshmallow import fields, validate

from eventsys.api.core import api_blueprint, event_for, list_and_create, token_required
from eventsys.api.schema import Schema
from eventsys.extensions import db
from eventsys.mailings import jobs, services
from eventsys.mailings.filters import MAILABLE, MailingFilters
from eventsys.mailings.models import Mailing, MailingKind, MailingStatus

blp = api_blueprint(
    "api_mailings",
    __name__,
    "",
    "Mailings: organisers write to a filtered group of an event's participants.",
)


class FiltersSchema(Schema):
    category_id = fields.Integer(load_default=None, allow_none=True)
    statuses = fields.List(
        fields.String(validate=validate.OneOf([s.value for s in MAILABLE])),
        load_default=lambda: ["confirmed"],
        validate=validate.Length(max=3),
    )
    checked_in = fields.String(load_default="", validate=validate.OneOf(["", "yes", "no"]))
    session_id = fields.Integer(
        load_default=None, allow_none=True, metadata={"description": "Signed up for it."}
    )
    country = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2))
    organisation_id = fields.Integer(load_default=None, allow_none=True)
    language = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=10))


class VersionSchema(Schema):
    subject = fields.String(required=True, validate=validate.Length(max=300))
    body = fields.String(required=True, validate=validate.Length(max=20000))


class MailingInSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in MailingKind]))
    subject = fields.String(required=True, validate=validate.Length(max=300))
    body = fields.String(
        required=True,
        validate=validate.Length(max=20000),
        metadata={
            "description": "Plain text; placeholders {name}, {registration_link}, "
            "{badge_link}, {calendar_link}."
        },
    )
    filters = fields.Nested(FiltersSchema, load_default=lambda: FiltersSchema().load({}))
    translations = fields.Dict(
        keys=fields.String(validate=validate.Length(max=10)),
        values=fields.Nested(VersionSchema),
        load_default=dict,
        validate=validate.Length(max=20),
    )


class ProgressSchema(Schema):
    total = fields.Integer()
    queued = fields.Integer(metadata={"description": "Recipients with their mail in the outbox"})
    waiting = fields.Integer()
    sent = fields.Integer()
    failed = fields.Integer()


class MailingSchema(Schema):
    id = fields.Integer()
    kind = fields.Function(lambda m: m.kind.value)
    status = fields.Function(
        lambda m: m.status.value, metadata={"description": "draft, queued, sending, sent"}
    )
    subject = fields.String()
    body = fields.String()
    subject_translations = fields.Dict(keys=fields.String(), values=fields.String())
    body_translations = fields.Dict(keys=fields.String(), values=fields.String())
    filters = fields.Dict()
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    recipients = fields.Method("_recipients", metadata={"description": "How many it reaches"})
    progress = fields.Method("_progress", allow_none=True)

    def _recipients(self, mailing: Mailing) -> int:
        if mailing.status == MailingStatus.DRAFT:
            return services.count_recipients(db.session, mailing)
        return mailing.total

    def _progress(self, mailing: Mailing) -> dict | None:
        if mailing.status == MailingStatus.DRAFT:
            return None
        return ProgressSchema().dump(services.progress(db.session, mailing))


def _organised(slug: str):
    refusal = _("Only the event's organisers may write to its participants.")
    return event_for(slug, ("organiser",), refusal=refusal)


def _data(args: dict) -> services.MailingData:
    return services.MailingData(
        kind=args["kind"],
        subject=args["subject"],
        body=args["body"],
        filters=MailingFilters(**args["filters"]),
        translations={c: (v["subject"], v["body"]) for c, v in args["translations"].items()},
    )


def _create(args: dict, slug: str) -> Mailing:
    return services.create_mailing(db.session, _organised(slug), _data(args), user_id=g.api_user.id)


list_and_create(
    blp,
    "/events/<slug>/mailings",
    MailingSchema,
    lambda slug: services.mailings_of(db.session, _organised(slug)),
    _create,
    name="mailing",
    docs=(
        "The event's mailings, the latest first.",
        "A draft; unknown placeholders are refused, naming them.",
    ),
    arguments=MailingInSchema,
)


@blp.route("/events/<slug>/mailings/<int:mailing_id>")
@token_required
@blp.response(200, MailingSchema)
def get_mailing(slug: str, mailing_id: int):
    """One mailing, with its progress once sent."""
    return services.mailing_of(db.session, _organised(slug), mailing_id)


@blp.route("/events/<slug>/mailings/<int:mailing_id>/send", methods=["POST"])
@token_required
@blp.response(202, MailingSchema)
def send_mailing(slug: str, mailing_id: int):
    """Send a draft: a queue job writes one outbox mail per recipient; poll its progress."""
    mailing = services.mailing_of(db.session, _organised(slug), mailing_id)
    services.start_sending(db.session, mailing, g.api_user.id)
    db.session.commit()
    jobs.send_mailing(mailing.id)
    return mailing
