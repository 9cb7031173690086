"""The programme through /api/v1: rooms, tracks, sessions, speakers, sign-ups, conflicts.

Organisers read and write the draft; everyone else reads the published version.
"""

from __future__ import annotations

from typing import Any

from flask import abort, g
from flask_babel import gettext as _
from marshmallow import fields, validate

from eventsys.api.core import api_blueprint, event_for, list_and_create, token_required
from eventsys.api.schema import Schema, versions_field
from eventsys.errors import ServiceError
from eventsys.events.access import has_event_role
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.i18n import current_locale
from eventsys.programme import services, signups
from eventsys.programme.labels import warning_text
from eventsys.programme.models import ProgrammeSession, SessionKind
from eventsys.programme.published import Item, published_programme
from eventsys.registration.services import registration_of

blp = api_blueprint(
    "api_programme", __name__, "/events", "The programme: rooms, tracks, sessions, sign-ups."
)


class RoomSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    name_translations = versions_field("name")
    capacity = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0))
    opens_at = fields.Time(load_default=None, allow_none=True)
    closes_at = fields.Time(load_default=None, allow_none=True)


class TrackSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    name_translations = versions_field("name")
    colour = fields.String(load_default="#2f6f4f")


class SpeakerSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    user_id = fields.Integer(load_default=None, allow_none=True)


class SessionSchema(Schema):
    id = fields.Integer(dump_only=True)
    uid = fields.String(dump_only=True, metadata={"description": "Stable across versions."})
    kind = fields.String(validate=validate.OneOf([k.value for k in SessionKind]))
    title = fields.String(validate=validate.Length(min=1, max=300))
    description = fields.String()
    title_translations = versions_field("title")
    description_translations = versions_field("description")
    language = fields.String()
    room_id = fields.Integer(allow_none=True)
    room = fields.String(dump_only=True)
    track_id = fields.Integer(allow_none=True)
    track = fields.String(dump_only=True)
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    speakers = fields.List(fields.Nested(SpeakerSchema))
    capacity = fields.Integer(allow_none=True, validate=validate.Range(min=0))
    places = fields.Integer(dump_only=True, allow_none=True)
    signup_required = fields.Boolean()
    cancelled = fields.Boolean(dump_only=True)
    warnings = fields.List(fields.String(), dump_only=True)


class SessionCreateSchema(SessionSchema):
    class Meta:
        partial = False

    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in SessionKind]))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)


class SessionUpdateSchema(SessionSchema):
    """Any subset of the fields; what is left out stays as it is."""


class SessionListArgs(Schema):
    draft = fields.Boolean(
        load_default=False, metadata={"description": "Organisers: the unpublished timetable."}
    )


class SignUpSchema(Schema):
    session_id = fields.Integer()
    status = fields.String()
    display_name = fields.String(metadata={"description": "Organisers' list only: who signed up."})


class SpeakerListSchema(Schema):
    name = fields.String()
    session_ids = fields.List(fields.Integer())


class WarningSchema(Schema):
    kind = fields.String()
    session_ids = fields.List(fields.Integer())
    message = fields.String()


def _organiser(event: Event) -> bool:
    return has_event_role(g.api_user, event, ("organiser",))


def _organised(slug: str) -> Event:
    """The event of the URL, for its organisers only (403 for others)."""
    return event_for(
        slug, ("organiser",), refusal="Only the event's organisers may change its programme."
    )


def _row_dict(row: ProgrammeSession, warnings: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": row.id, "uid": row.uid, "kind": row.kind.value, "title": row.title,
        "description": row.description, "language": row.language, "room_id": row.room_id,
        "room": row.room.name if row.room else "", "track_id": row.track_id,
        "track": row.track.name if row.track else "", "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "speakers": [{"name": s.name, "user_id": s.user_id} for s in row.speakers],
        "capacity": row.capacity, "places": row.places, "signup_required": row.signup_required,
        "cancelled": row.is_cancelled, "warnings": warnings or [],
        "title_translations": row.title_translations or {},
        "description_translations": row.description_translations or {},
    }  # fmt: skip


def _item_dict(item: Item) -> dict[str, Any]:
    return {
        "id": item.id, "uid": item.uid, "kind": item.kind, "title": item.title,
        "description": item.description, "language": item.language, "room_id": item.room_id,
        "room": item.room, "track_id": item.track_id, "track": item.track,
        "starts_at": item.starts_at, "ends_at": item.ends_at,
        "speakers": [{"name": s["name"]} for s in item.speakers], "places": item.places,
        "signup_required": item.signup, "cancelled": item.cancelled,
        "title_translations": item.translations.get("title", {}),
        "description_translations": item.translations.get("description", {}),
    }  # fmt: skip


def _warnings(event: Event, row: ProgrammeSession) -> list[str]:
    return [warning_text(w, {}) for w in services.warnings_for(db.session, event, row)]


def _data(payload: dict[str, Any], row: ProgrammeSession | None = None) -> services.SessionData:
    base = _row_dict(row) if row is not None else {}
    merged = {**base, **payload}
    speakers = payload.get("speakers")
    return services.SessionData(
        title=merged["title"],
        kind=merged["kind"],
        starts_at=merged["starts_at"],
        ends_at=merged["ends_at"],
        room_id=merged.get("room_id"),
        track_id=merged.get("track_id"),
        description=merged.get("description") or "",
        language=merged.get("language") or "en",
        capacity=merged.get("capacity"),
        signup_required=bool(merged.get("signup_required")),
        speakers=None
        if speakers is None
        else [services.SpeakerData(s["name"], s.get("user_id")) for s in speakers],
        title_translations=payload.get("title_translations"),
        description_translations=payload.get("description_translations"),
    )


def _places(kind: str, schema: type[Schema], rows_of: Any, save: Any, docs: tuple[str, str]):
    """The rooms' or the tracks' list, anyone's; adding one, the organisers'."""
    list_and_create(
        blp,
        f"/<slug>/{kind}s",
        schema,
        lambda slug: rows_of(db.session, event_for(slug)),
        lambda data, slug: save(db.session, _organised(slug), **data),
        name=kind,
        docs=docs,
    )


ROOMS_DOCS = ("The event's rooms in the organisers' order.", "Add a room (organisers).")
TRACKS_DOCS = ("The event's tracks with their colours.", "Add a track (organisers).")
_places("room", RoomSchema, services.rooms_of, services.save_room, ROOMS_DOCS)
_places("track", TrackSchema, services.tracks_of, services.save_track, TRACKS_DOCS)


@blp.route("/<slug>/sessions")
@token_required
@blp.arguments(SessionListArgs, location="query")
@blp.response(200, SessionSchema(many=True))
def list_sessions(args: dict, slug: str):
    """The published sessions, cancelled ones included and marked; organisers may ask for the
    draft."""
    if args["draft"]:
        programme = services.load_programme(db.session, _organised(slug))
        return [_row_dict(r) for r in programme.sessions]
    published = published_programme(db.session, event_for(slug), current_locale())
    return [_item_dict(i) for i in published.items] if published else []


@blp.route("/<slug>/sessions", methods=["POST"])
@token_required
@blp.arguments(SessionCreateSchema)
@blp.response(201, SessionSchema)
def create_session(data: dict, slug: str):
    """Add a session to the draft (organisers); the answer lists the conflicts it causes."""
    event = _organised(slug)
    row = services.create_session(db.session, event, _data(data))
    db.session.commit()
    return _row_dict(row, _warnings(event, row))


def _draft_row(event: Event, session_id: int) -> ProgrammeSession:
    row = db.session.get(ProgrammeSession, session_id)
    if row is None or row.event_id != event.id:
        abort(404, _("There is no such session in this programme."))
    return row


@blp.route("/<slug>/sessions/<int:session_id>")
@token_required
@blp.response(200, SessionSchema)
def get_session(slug: str, session_id: int):
    """One session: the draft for organisers, the published one for others."""
    event = event_for(slug)
    if _organiser(event):
        row = _draft_row(event, session_id)
        return _row_dict(row, _warnings(event, row))
    published = published_programme(db.session, event, current_locale())
    item = published.by_id.get(session_id) if published else None
    if item is None:
        abort(404, _("There is no such session in the published programme."))
    return _item_dict(item)


@blp.route("/<slug>/sessions/<int:session_id>", methods=["PATCH"])
@token_required
@blp.arguments(SessionUpdateSchema(partial=True))
@blp.response(200, SessionSchema)
def update_session(data: dict, slug: str, session_id: int):
    """Change, move or resize a session (organisers). Nothing is saved if any value is wrong."""
    event = _organised(slug)
    row = _draft_row(event, session_id)
    services.update_session(db.session, event, row, _data(data, row))
    db.session.commit()
    return _row_dict(row, _warnings(event, row))


@blp.route("/<slug>/sessions/<int:session_id>", methods=["DELETE"])
@token_required
@blp.response(204)
def delete_session(slug: str, session_id: int):
    """Delete a session never published (organisers); published ones are cancelled instead."""
    event = _organised(slug)
    services.delete_session(db.session, _draft_row(event, session_id))
    db.session.commit()


@blp.route("/<slug>/speakers")
@token_required
@blp.response(200, SpeakerListSchema(many=True))
def list_speakers(slug: str):
    """Who speaks in the published programme, and where."""
    event = event_for(slug)
    published = published_programme(db.session, event, current_locale())
    speakers: dict[str, dict[str, Any]] = {}
    for item in published.live() if published else []:
        for speaker in item.speakers:
            entry = speakers.setdefault(
                services.speaker_key(speaker), {"name": speaker["name"], "session_ids": []}
            )
            entry["session_ids"].append(item.id)
    return sorted(speakers.values(), key=lambda s: s["name"].casefold())


@blp.route("/<slug>/sessions/<int:session_id>/signups")
@token_required
@blp.response(200, SignUpSchema(many=True))
def list_signups(slug: str, session_id: int):
    """Who signed up, places first then the waiting list in order (organisers)."""
    event = _organised(slug)
    row = _draft_row(event, session_id)
    return [
        {"session_id": row.id, "status": s.status.value, "display_name": r.display_name}
        for s, r in signups.participants_of(db.session, row)
    ]


def _own_signup(slug: str, session_id: int):
    """The session and the token's user's registration for the event (403 without one)."""
    event = event_for(slug)
    row = _draft_row(event, session_id)
    registration = registration_of(db.session, event, g.api_user)
    if registration is None:
        raise ServiceError("Register for the event first.", status=403, code="forbidden")
    return row, registration


@blp.route("/<slug>/sessions/<int:session_id>/signups", methods=["POST"])
@token_required
@blp.response(201, SignUpSchema)
def create_signup(slug: str, session_id: int):
    """Sign the token's user up: a place, or the waiting list when the session is full."""
    row, registration = _own_signup(slug, session_id)
    signup = signups.sign_up(db.session, row, registration)
    db.session.commit()
    return {"session_id": row.id, "status": signup.status.value}


@blp.route("/<slug>/sessions/<int:session_id>/signups/me", methods=["DELETE"])
@token_required
@blp.response(204)
def delete_signup(slug: str, session_id: int):
    """Cancel the token's user's sign-up; the place goes to the next person waiting."""
    signups.cancel_signup(db.session, *_own_signup(slug, session_id))
    db.session.commit()


@blp.route("/<slug>/conflicts")
@token_required
@blp.response(200, WarningSchema(many=True))
def list_conflicts(slug: str):
    """Every conflict in the draft timetable (organisers)."""
    event = _organised(slug)
    programme = services.load_programme(db.session, event)
    titles = {row.id: row.title for row in programme.sessions}
    return [
        {"kind": w.kind, "session_ids": list(w.session_ids), "message": warning_text(w, titles)}
        for w in services.conflicts_of(programme)
    ]
