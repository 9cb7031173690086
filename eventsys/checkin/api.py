"""Check-in through /api/v1: scans, check-in by hand, undo, search and live counts."""

from __future__ import annotations

from flask import g
from marshmallow import fields, validate

from eventsys.api.core import api_blueprint, event_for, token_required
from eventsys.api.schema import Schema
from eventsys.checkin import services
from eventsys.events.models import Event
from eventsys.extensions import db

blp = api_blueprint("api_checkin", __name__, "", "Check-in at the door (staff and organisers).")

NONCE = fields.String(
    required=True,
    validate=validate.Regexp(services.NONCE_PATTERN),
    metadata={"description": "Chosen by the device per scan; a resend reuses it (idempotent)."},
)


class ScanSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(max=services.MAX_CODE))
    nonce = NONCE


class ManualSchema(Schema):
    registration_id = fields.Integer(required=True)
    nonce = NONCE


class PersonSchema(Schema):
    id = fields.Integer()
    display_name = fields.String()
    latin_name = fields.String(allow_none=True)
    category = fields.Function(lambda r: r.category.code)
    category_label = fields.Function(lambda r: r.category.label)
    category_colour = fields.Function(lambda r: r.category.colour)


class CheckInSchema(Schema):
    id = fields.Integer()
    checked_in_at = fields.DateTime()
    method = fields.String()
    checked_in_by = fields.Function(lambda c: c.staff.display_name if c.staff else None)
    reverted_at = fields.DateTime(allow_none=True)


class ScanResultSchema(Schema):
    outcome = fields.Function(
        lambda r: r.outcome.value,
        metadata={
            "description": "checked_in, already_checked_in, cancelled, not_confirmed, "
            "unknown_code, wrong_event, empty, or undone (a resent scan whose check-in staff "
            "undid since: nobody is admitted; scanning the badge again admits)"
        },
    )
    admitted = fields.Boolean()
    replayed = fields.Boolean()
    person = fields.Nested(PersonSchema, attribute="registration", allow_none=True)
    checkin = fields.Nested(CheckInSchema, allow_none=True)
    other_event = fields.Function(lambda r: r.other_event.slug if r.other_event else None)


class SearchArgs(Schema):
    q = fields.String(required=True, validate=validate.Length(min=2, max=100))


class MatchSchema(Schema):
    person = fields.Nested(PersonSchema)
    checkin = fields.Nested(CheckInSchema, allow_none=True)


class CategoryCountSchema(Schema):
    code = fields.String()
    label = fields.String()
    colour = fields.String()
    confirmed = fields.Integer()
    checked_in = fields.Integer()


class CheckinCountsSchema(Schema):
    confirmed = fields.Integer()
    checked_in = fields.Integer()
    categories = fields.List(fields.Nested(CategoryCountSchema))


def _staffed(slug: str, roles: tuple[str, ...] = ("checkin", "organiser")) -> Event:
    refusal = "Only the event's check-in staff and organisers may do this."
    return event_for(slug, roles, refusal=refusal, drafts=True)


@blp.route("/events/<slug>/checkins", methods=["POST"])
@token_required
@blp.arguments(ScanSchema)
@blp.response(200, ScanResultSchema)
def scan(data: dict, slug: str):
    """Check in the holder of a scanned badge code; the outcome says what to tell them."""
    event = _staffed(slug)
    result = services.scan(
        db.session, event, data["code"], nonce=data["nonce"], staff_id=g.api_user.id
    )
    db.session.commit()
    return result


@blp.route("/events/<slug>/checkins/manual", methods=["POST"])
@token_required
@blp.arguments(ManualSchema)
@blp.response(200, ScanResultSchema)
def manual(data: dict, slug: str):
    """Check in a person found by name."""
    event = _staffed(slug)
    result = services.check_in_by_hand(
        db.session, event, data["registration_id"], nonce=data["nonce"], staff_id=g.api_user.id
    )
    db.session.commit()
    return result


@blp.route("/events/<slug>/checkins/<int:checkin_id>/undo", methods=["POST"])
@token_required
@blp.response(200, CheckInSchema)
def undo(slug: str, checkin_id: int):
    """Undo a mistaken check-in (kept, marked reverted)."""
    checkin = services.undo(db.session, _staffed(slug), checkin_id, staff_id=g.api_user.id)
    db.session.commit()
    return checkin


@blp.route("/events/<slug>/checkins/search")
@token_required
@blp.arguments(SearchArgs, location="query")
@blp.response(200, MatchSchema(many=True))
def search(args: dict, slug: str):
    """Confirmed people by name, Latin spelling or organisation (case and accents ignored)."""
    matches = services.search(db.session, _staffed(slug), args["q"])
    return [{"person": r, "checkin": c} for r, c in matches]


@blp.route("/events/<slug>/checkins/counts")
@token_required
@blp.response(200, CheckinCountsSchema)
def counts(slug: str):
    """Checked in / confirmed, per category (organisers)."""
    counts = services.counts(db.session, _staffed(slug, ("organiser",)))
    return {
        "confirmed": counts.confirmed,
        "checked_in": counts.checked_in,
        "categories": counts.categories,
    }
