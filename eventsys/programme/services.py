"""The programme's rules: rooms, tracks, sessions, versions, sign-ups, stars and feed tokens.

Plain functions over a SQLAlchemy session; they flush, the caller commits. Participants, feeds
and exports read only the published versions (frozen snapshots), organisers edit the live rows.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any, TypeVar

from flask import render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from eventsys import locking
from eventsys.accounts.models import User
from eventsys.db import utcnow
from eventsys.errors import Conflict, Forbidden, NotFound, ServiceError
from eventsys.events.models import Event
from eventsys.i18n import localized, mail_language
from eventsys.i18n.content import checked_versions
from eventsys.mail.services import queue_mail
from eventsys.programme import conflicts as rules
from eventsys.programme.models import (
    FeedToken,
    ProgrammeSeen,
    ProgrammeSession,
    ProgrammeVersion,
    Room,
    SessionKind,
    SessionSpeaker,
    SignUp,
    SignUpStatus,
    Star,
    Track,
)
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration
from eventsys.registration.notifications import recipient_locales
from eventsys.web.urls import external_url

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


# --- rooms and tracks -------------------------------------------------------------------------


def rooms_of(session: Session, event: Event) -> list[Room]:
    return list(
        session.execute(
            select(Room).where(Room.event_id == event.id).order_by(Room.position, Room.id)
        ).scalars()
    )


def tracks_of(session: Session, event: Event) -> list[Track]:
    return list(
        session.execute(
            select(Track).where(Track.event_id == event.id).order_by(Track.position, Track.id)
        ).scalars()
    )


def _clean_name(value: str | None, label: str) -> str:
    name = (value or "").strip()
    if not name or len(name) > 120:
        raise ServiceError(
            f"Please give the {label} a name of at most 120 characters.", field="name"
        )
    return name


R = TypeVar("R", Room, Track)


def _named_row(
    session: Session, model: type[R], event: Event, name: str, row: R | None, taken: str
) -> R:
    """A room or track: its name unique within the event; a new one goes last in the order."""
    clash = session.execute(
        select(model.id).where(model.event_id == event.id, model.name == name)
    ).scalar_one_or_none()
    if clash is not None and (row is None or clash != row.id):
        raise Conflict(taken, field="name")
    if row is None:
        position = session.execute(
            select(func.count()).where(model.event_id == event.id)
        ).scalar_one()
        row = model(event_id=event.id, position=position)
        session.add(row)
    return row


def save_room(
    session: Session,
    event: Event,
    *,
    name: str,
    capacity: int | None = None,
    opens_at: time | None = None,
    closes_at: time | None = None,
    room: Room | None = None,
    name_translations: dict[str, Any] | None = None,
) -> Room:
    name = _clean_name(name, "room")
    if name_translations is not None:
        name_translations = checked_versions(event, name_translations, "name", 120)
    if capacity is not None and capacity < 0:
        raise ServiceError("The capacity cannot be negative.", field="capacity")
    if opens_at and closes_at and closes_at <= opens_at:
        raise ServiceError("The room must close after it opens.", field="closes_at")
    room = _named_row(
        session, Room, event, name, room, _("There is already a room called “%(name)s”.", name=name)
    )
    grown = (
        room.id is not None
        and (room.capacity or 0) < (capacity or 0)
        or (room.capacity is not None and capacity is None)
    )
    room.name, room.capacity, room.opens_at, room.closes_at = name, capacity, opens_at, closes_at
    if name_translations is not None:
        room.name_translations = name_translations
    session.flush()
    if grown:  # a bigger room lets people off the waiting lists of its sessions
        for row in session.execute(
            select(ProgrammeSession).where(
                ProgrammeSession.room_id == room.id,
                ProgrammeSession.signup_required.is_(True),
                ProgrammeSession.capacity.is_(None),
            )
        ).scalars():
            promote_signups(session, row)
    return room


def delete_room(session: Session, room: Room) -> None:
    """Refused while sessions use the room: a timetable never loses a session silently."""
    used = session.execute(
        select(func.count()).where(ProgrammeSession.room_id == room.id)
    ).scalar_one()
    if used:
        raise Conflict(
            ngettext(
                "%(num)s session takes place in “%(room)s”. Move it to another room first.",
                "%(num)s sessions take place in “%(room)s”. Move them to another room first.",
                used,
                room=room.name,
            ),
            field="room_id",
        )
    session.delete(room)
    session.flush()


def save_track(
    session: Session,
    event: Event,
    *,
    name: str,
    colour: str = "#2f6f4f",
    track: Track | None = None,
    name_translations: dict[str, Any] | None = None,
) -> Track:
    name = _clean_name(name, "track")
    if name_translations is not None:
        name_translations = checked_versions(event, name_translations, "name", 120)
    if not COLOUR_RE.match(colour or ""):
        raise ServiceError("Give the colour as #rrggbb, e.g. #2f6f4f.", field="colour")
    track = _named_row(
        session,
        Track,
        event,
        name,
        track,
        _("There is already a track called “%(name)s”.", name=name),
    )
    track.name, track.colour = name, colour.lower()
    if name_translations is not None:
        track.name_translations = name_translations
    session.flush()
    return track


def delete_track(session: Session, track: Track) -> None:
    """Its sessions stay in the timetable, without a track."""
    for row in session.execute(
        select(ProgrammeSession).where(ProgrammeSession.track_id == track.id)
    ).scalars():
        row.track_id = None
    session.delete(track)
    session.flush()


# --- sessions ---------------------------------------------------------------------------------


@dataclass
class SpeakerData:
    name: str
    user_id: int | None = None


@dataclass
class SessionData:
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    room_id: int | None = None
    track_id: int | None = None
    description: str = ""
    language: str = "en"
    capacity: int | None = None
    signup_required: bool = False
    # None leaves the speakers as they are (e.g. a move in the grid).
    speakers: list[SpeakerData] | None = None
    # Other languages' versions {locale: text}; None leaves them as they are.
    title_translations: dict[str, Any] | None = None
    description_translations: dict[str, Any] | None = None


def session_by_id(session: Session, event: Event, session_id: int) -> ProgrammeSession:
    row = session.get(ProgrammeSession, session_id)
    if row is None or row.event_id != event.id:
        raise NotFound("There is no such session in this programme.")
    return row


def _validate_session(session: Session, event: Event, data: SessionData) -> None:
    if not (data.title or "").strip() or len(data.title) > 300:
        raise ServiceError("Please give a title of at most 300 characters.", field="title")
    if data.kind not in {k.value for k in SessionKind}:
        raise ServiceError(f"“{data.kind}” is not a kind of session.", field="kind")
    if data.starts_at.tzinfo is None or data.ends_at.tzinfo is None:
        raise ServiceError("Start and end need a time zone.", field="starts_at")
    if data.ends_at <= data.starts_at:
        raise ServiceError("The session must end after it starts.", field="ends_at")
    if (data.ends_at - data.starts_at).days >= 1:
        raise ServiceError("A session lasts less than a day.", field="ends_at")
    if data.room_id is not None:
        room = session.get(Room, data.room_id)
        if room is None or room.event_id != event.id:
            raise ServiceError("This room does not exist in this event.", field="room_id")
    if data.track_id is not None:
        track = session.get(Track, data.track_id)
        if track is None or track.event_id != event.id:
            raise ServiceError("This track does not exist in this event.", field="track_id")
    if data.capacity is not None and data.capacity < 0:
        raise ServiceError("The number of places cannot be negative.", field="capacity")
    if not LANGUAGE_RE.match(data.language or ""):
        raise ServiceError("Give the language as a code such as en or pt.", field="language")
    for speaker in data.speakers or []:
        if not speaker.name.strip() or len(speaker.name) > 200:
            raise ServiceError("Each speaker needs a name.", field="speakers")
    if data.title_translations is not None:
        data.title_translations = checked_versions(event, data.title_translations, "title", 300)
    if data.description_translations is not None:
        data.description_translations = checked_versions(
            event, data.description_translations, "description", 20000
        )


def _apply(row: ProgrammeSession, data: SessionData) -> None:
    row.title = data.title.strip()
    row.kind = SessionKind(data.kind)
    row.starts_at, row.ends_at = data.starts_at, data.ends_at
    row.room_id, row.track_id = data.room_id, data.track_id
    row.description = (data.description or "").strip()
    row.language = data.language
    row.capacity = data.capacity
    row.signup_required = data.signup_required
    if data.title_translations is not None:
        row.title_translations = data.title_translations
    if data.description_translations is not None:
        row.description_translations = data.description_translations
    if data.speakers is not None:
        row.speakers = [
            SessionSpeaker(name=s.name.strip(), user_id=s.user_id, position=i)
            for i, s in enumerate(data.speakers)
        ]


def create_session(session: Session, event: Event, data: SessionData) -> ProgrammeSession:
    _validate_session(session, event, data)
    row = ProgrammeSession(event_id=event.id)
    _apply(row, data)
    session.add(row)
    session.flush()
    return row


def update_session(
    session: Session, event: Event, row: ProgrammeSession, data: SessionData
) -> ProgrammeSession:
    if row.event_id != event.id:
        raise NotFound("There is no such session in this programme.")
    _validate_session(session, event, data)
    _apply(row, data)
    session.flush()
    session.refresh(row, ["room"])
    promote_signups(session, row)  # more places may have opened
    return row


def move_session(
    session: Session,
    event: Event,
    row: ProgrammeSession,
    *,
    room_id: int | None,
    starts_at: datetime,
    ends_at: datetime | None = None,
) -> ProgrammeSession:
    """Place, move or resize: without an end the session keeps its length."""
    ends_at = ends_at or starts_at + (row.ends_at - row.starts_at)
    return update_session(session, event, row, _data_of(row, room_id, starts_at, ends_at))


def _data_of(row: ProgrammeSession, room_id: int | None, start: datetime, end: datetime):
    return SessionData(
        title=row.title,
        kind=row.kind.value,
        starts_at=start,
        ends_at=end,
        room_id=room_id,
        track_id=row.track_id,
        description=row.description,
        language=row.language,
        capacity=row.capacity,
        signup_required=row.signup_required,
    )


def set_cancelled(session: Session, row: ProgrammeSession, cancelled: bool) -> ProgrammeSession:
    row.is_cancelled = cancelled
    session.flush()
    return row


def delete_session(session: Session, row: ProgrammeSession) -> None:
    """Only a session nobody has seen yet may vanish; a published one is cancelled instead."""
    if was_published(session, row):
        raise Conflict(
            "This session has been published: cancel it instead, so calendars learn of it.",
            field="session",
        )
    session.delete(row)
    session.flush()


def was_published(session: Session, row: ProgrammeSession) -> bool:
    latest = latest_version(session, row.event_id)
    return latest is not None and row.uid in {s["uid"] for s in latest.snapshot["sessions"]}


# --- the editor's data, in a fixed number of queries -----------------------------------------


@dataclass
class Programme:
    """Everything the editor grid and the conflict list need, loaded at once."""

    event: Event
    rooms: list[Room]
    tracks: list[Track]
    sessions: list[ProgrammeSession]
    counts: dict[int, dict[str, int]]
    signups_by_person: dict[int, list[int]] = field(default_factory=dict)


def load_programme(session: Session, event: Event, *, with_signups: bool = True) -> Programme:
    rooms = rooms_of(session, event)
    tracks = tracks_of(session, event)
    rows = list(
        session.execute(
            select(ProgrammeSession)
            .where(ProgrammeSession.event_id == event.id)
            .options(selectinload(ProgrammeSession.speakers))
            .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
        ).scalars()
    )
    by_person: dict[int, list[int]] = defaultdict(list)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"confirmed": 0, "waitlisted": 0})
    if with_signups:
        pairs = session.execute(
            select(SignUp.registration_id, SignUp.session_id, SignUp.status)
            .join(ProgrammeSession, ProgrammeSession.id == SignUp.session_id)
            .where(ProgrammeSession.event_id == event.id)
        )
        for registration_id, session_id, status in pairs:
            counts[session_id][str(status)] += 1
            if status == SignUpStatus.CONFIRMED:
                by_person[registration_id].append(session_id)
    # Rooms and tracks are attached by hand: no lazy load per session.
    room_by_id, track_by_id = {r.id: r for r in rooms}, {t.id: t for t in tracks}
    for row in rows:
        _set_committed(row, "room", room_by_id.get(row.room_id) if row.room_id else None)
        _set_committed(row, "track", track_by_id.get(row.track_id) if row.track_id else None)
    return Programme(event, rooms, tracks, rows, dict(counts), dict(by_person))


def _set_committed(row: Any, key: str, value: Any) -> None:
    set_committed_value(row, key, value)


def speaker_key(speaker: SessionSpeaker | dict[str, Any]) -> str:
    user_id = speaker["user_id"] if isinstance(speaker, dict) else speaker.user_id
    name = speaker["name"] if isinstance(speaker, dict) else speaker.name
    return f"user:{user_id}" if user_id else f"name:{' '.join(name.casefold().split())}"


def conflicts_of(programme: Programme) -> list[rules.Warning]:
    slots, names = [], {}
    for row in programme.sessions:
        for speaker in row.speakers:
            names[speaker_key(speaker)] = speaker.name
        slots.append(
            rules.Slot(
                id=row.id,
                title=row.title,
                starts_at=row.starts_at,
                ends_at=row.ends_at,
                room_id=row.room_id,
                speakers=tuple(speaker_key(s) for s in row.speakers),
                signups=programme.counts.get(row.id, {}).get("confirmed", 0),
                places=row.places if row.signup_required else None,
                cancelled=row.is_cancelled,
            )
        )
    event = programme.event
    return rules.find_conflicts(
        slots,
        event_start=event.starts_at,
        event_end=event.ends_at,
        zone=event.timezone,
        rooms=[rules.RoomHours(r.id, r.name, r.opens_at, r.closes_at) for r in programme.rooms],
        speaker_names=names,
        signups=programme.signups_by_person,
    )


def event_conflicts(session: Session, event: Event) -> list[rules.Warning]:
    """Every conflict of the draft, read as plain columns (no ORM objects): four queries."""
    rooms = session.execute(
        select(Room.id, Room.name, Room.capacity, Room.opens_at, Room.closes_at).where(
            Room.event_id == event.id
        )
    ).all()
    capacity = {r.id: r.capacity for r in rooms}
    speakers: dict[int, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for session_id, user_id, name in session.execute(
        select(SessionSpeaker.session_id, SessionSpeaker.user_id, SessionSpeaker.name)
        .join(ProgrammeSession, ProgrammeSession.id == SessionSpeaker.session_id)
        .where(ProgrammeSession.event_id == event.id)
    ):
        key = speaker_key({"user_id": user_id, "name": name})
        speakers[session_id].append(key)
        names[key] = name
    confirmed: dict[int, int] = defaultdict(int)
    by_person: dict[int, list[int]] = defaultdict(list)
    for registration_id, session_id in session.execute(
        select(SignUp.registration_id, SignUp.session_id)
        .join(ProgrammeSession, ProgrammeSession.id == SignUp.session_id)
        .where(ProgrammeSession.event_id == event.id, SignUp.status == SignUpStatus.CONFIRMED)
    ):
        confirmed[session_id] += 1
        by_person[registration_id].append(session_id)
    slots = [
        rules.Slot(
            id=row.id,
            title=row.title,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            room_id=row.room_id,
            speakers=tuple(speakers.get(row.id, ())),
            signups=confirmed.get(row.id, 0),
            places=(row.capacity if row.capacity is not None else capacity.get(row.room_id))
            if row.signup_required
            else None,
            cancelled=row.is_cancelled,
        )
        for row in session.execute(
            select(
                ProgrammeSession.id, ProgrammeSession.title, ProgrammeSession.starts_at,
                ProgrammeSession.ends_at, ProgrammeSession.room_id, ProgrammeSession.capacity,
                ProgrammeSession.signup_required, ProgrammeSession.is_cancelled,
            ).where(ProgrammeSession.event_id == event.id)
        )
    ]  # fmt: skip
    return rules.find_conflicts(
        slots,
        event_start=event.starts_at,
        event_end=event.ends_at,
        zone=event.timezone,
        rooms=[rules.RoomHours(r.id, r.name, r.opens_at, r.closes_at) for r in rooms],
        speaker_names=names,
        signups=by_person,
    )


def warnings_for(session: Session, event: Event, row: ProgrammeSession) -> list[rules.Warning]:
    """The warnings that concern one session, shown right after it is saved."""
    return [w for w in event_conflicts(session, event) if row.id in w.session_ids]


# --- versions ---------------------------------------------------------------------------------


def latest_version(session: Session, event_id: int) -> ProgrammeVersion | None:
    return session.execute(
        select(ProgrammeVersion)
        .where(ProgrammeVersion.event_id == event_id)
        .order_by(ProgrammeVersion.number.desc())
        .limit(1)
    ).scalar_one_or_none()


def versions_of(session: Session, event: Event) -> list[ProgrammeVersion]:
    return list(
        session.execute(
            select(ProgrammeVersion)
            .where(ProgrammeVersion.event_id == event.id)
            .order_by(ProgrammeVersion.number.desc())
        ).scalars()
    )


def _session_entry(row: ProgrammeSession) -> dict[str, Any]:
    return {
        "id": row.id,
        "uid": row.uid,
        "kind": row.kind.value,
        "title": row.title,
        "description": row.description,
        "language": row.language,
        "room_id": row.room_id,
        "room": row.room.name if row.room else "",
        "track_id": row.track_id,
        "track": row.track.name if row.track else "",
        "colour": row.track.colour if row.track else "",
        "start": row.starts_at.astimezone(UTC).isoformat(),
        "end": row.ends_at.astimezone(UTC).isoformat(),
        "speakers": [{"name": s.name, "user_id": s.user_id} for s in row.speakers],
        "places": row.places,
        "signup": row.signup_required,
        "cancelled": row.is_cancelled,
        **_translations_entry(row),
    }


def _names(row: Room | Track) -> dict[str, Any]:
    return {"name_translations": dict(row.name_translations)} if row.name_translations else {}


def _translations_entry(row: ProgrammeSession) -> dict[str, Any]:
    """The other languages' texts, only when there are some: snapshots of untranslated
    programmes stay as they were, so publishing after an upgrade announces no change."""
    found = {
        name: dict(versions)
        for name, versions in (
            ("title", row.title_translations),
            ("description", row.description_translations),
            ("room", row.room.name_translations if row.room else None),
            ("track", row.track.name_translations if row.track else None),
        )
        if versions
    }
    return {"translations": found} if found else {}


# Fields whose change a participant's calendar must learn of.
_CONTENT = (
    "kind", "title", "description", "language", "track", "speakers", "signup", "translations",
)  # fmt: skip


def diff_sessions(
    previous: list[dict[str, Any]], current: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """What changed per session between two snapshots, in timetable order."""
    before = {s["uid"]: s for s in previous}
    changes = []
    for entry in current:
        old = before.get(entry["uid"])
        kinds = _change_kinds(old, entry)
        if kinds:
            changes.append(
                {"uid": entry["uid"], "id": entry["id"], "title": entry["title"], "changes": kinds}
            )
    return changes


def _change_kinds(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    if old is None:
        return ["cancelled"] if new["cancelled"] else ["new"]
    if new["cancelled"] and not old["cancelled"]:
        return ["cancelled"]
    kinds = []
    if old["cancelled"] and not new["cancelled"]:
        kinds.append("restored")
    if (old["start"], old["end"]) != (new["start"], new["end"]):
        kinds.append("moved")
    if old["room_id"] != new["room_id"] or old["room"] != new["room"]:
        kinds.append("room_changed")
    places_changed = new["signup"] and old.get("places") != new.get("places")
    if places_changed or any(old.get(k) != new.get(k) for k in _CONTENT):
        kinds.append("changed")
    return kinds


def publish(
    session: Session, event: Event, *, user: User | None = None, comment: str = ""
) -> ProgrammeVersion:
    """Freeze the timetable as the next version, with its changelog and calendar sequences."""
    _lock(session, Event, event.id)
    programme = load_programme(session, event, with_signups=False)
    previous = latest_version(session, event.id)
    old_sessions = previous.snapshot["sessions"] if previous else []
    current = [_session_entry(row) for row in programme.sessions]
    # A published session deleted since stays, cancelled, so calendars remove it.
    present = {s["uid"] for s in current}
    for gone in old_sessions:
        if gone["uid"] not in present and not gone["cancelled"]:
            current.append({**gone, "cancelled": True})
    changes = diff_sessions(old_sessions, current)
    if previous is not None and not changes and comment.strip() == "":
        raise Conflict(f"Nothing changed since version {previous.number}.", field="comment")
    sequences = {s["uid"]: s.get("sequence", 0) for s in old_sessions}
    changed = {c["uid"] for c in changes}
    for entry in current:
        base = sequences.get(entry["uid"])
        entry["sequence"] = 0 if base is None else base + (1 if entry["uid"] in changed else 0)
    version = ProgrammeVersion(
        event_id=event.id,
        number=(previous.number + 1) if previous else 1,
        comment=(comment or "").strip()[:2000],
        published_by_id=user.id if user else None,
        published_at=utcnow(),
        snapshot={
            "rooms": [
                {"id": r.id, "name": r.name, "capacity": r.capacity, **_names(r)}
                for r in programme.rooms
            ],
            "tracks": [
                {"id": t.id, "name": t.name, "colour": t.colour, **_names(t)}
                for t in programme.tracks
            ],
            "sessions": current,
        },
        changes=[] if previous is None else changes,
    )
    session.add(version)
    session.flush()
    return version


def pending_changes(session: Session, event: Event) -> list[dict[str, Any]]:
    """What publishing now would announce."""
    programme = load_programme(session, event, with_signups=False)
    previous = latest_version(session, event.id)
    old = previous.snapshot["sessions"] if previous else []
    current = [_session_entry(row) for row in programme.sessions]
    present = {s["uid"] for s in current}
    current += [{**g, "cancelled": True} for g in old if g["uid"] not in present]
    return diff_sessions(old, current)


def changed_since(session: Session, event: Event, number: int | None) -> dict[str, list[str]]:
    """uid -> what changed in the versions after `number` (None: nothing was seen yet)."""
    if number is None:
        return {}
    marks: dict[str, list[str]] = defaultdict(list)
    for changes in session.execute(
        select(ProgrammeVersion.changes)
        .where(ProgrammeVersion.event_id == event.id, ProgrammeVersion.number > number)
        .order_by(ProgrammeVersion.number)
    ).scalars():
        for change in changes:
            for kind in change["changes"]:
                if kind not in marks[change["uid"]]:
                    marks[change["uid"]].append(kind)
    return dict(marks)


def last_seen(session: Session, event: Event, user: User) -> int | None:
    return session.execute(
        select(ProgrammeSeen.version_number).where(
            ProgrammeSeen.event_id == event.id, ProgrammeSeen.user_id == user.id
        )
    ).scalar_one_or_none()


def mark_seen(session: Session, event: Event, user: User, number: int) -> None:
    row = session.execute(
        select(ProgrammeSeen).where(
            ProgrammeSeen.event_id == event.id, ProgrammeSeen.user_id == user.id
        )
    ).scalar_one_or_none()
    if row is None:
        session.add(ProgrammeSeen(event_id=event.id, user_id=user.id, version_number=number))
    else:
        row.version_number = max(row.version_number, number)
    session.flush()


# --- sign-ups ---------------------------------------------------------------------------------


def _published_entry(session: Session, row: ProgrammeSession) -> dict[str, Any] | None:
    latest = latest_version(session, row.event_id)
    if latest is None:
        return None
    return next((s for s in latest.snapshot["sessions"] if s["id"] == row.id), None)


def sign_up(session: Session, row: ProgrammeSession, registration: Registration) -> SignUp:
    """A place, or a place on the waiting list. Under concurrency: the person's registration row
    is locked first (no two overlapping sign-ups at once), then the session's (its places)."""
    if registration.event_id != row.event_id or registration.status != Status.CONFIRMED:
        raise Forbidden("Only confirmed participants of this event can sign up.", field="session")
    entry = _published_entry(session, row)
    if entry is None or entry["cancelled"] or row.is_cancelled:
        raise Conflict("This session is not open for sign-up.", field="session")
    if not row.signup_required:
        raise Conflict("This session needs no sign-up: just come.", field="session")
    _lock(session, Registration, registration.id)
    _lock(session, ProgrammeSession, row.id)
    mine = list(
        session.execute(
            select(ProgrammeSession)
            .join(SignUp, SignUp.session_id == ProgrammeSession.id)
            .where(SignUp.registration_id == registration.id)
        ).scalars()
    )
    if any(other.id == row.id for other in mine):
        raise Conflict("You are already signed up for this session.", field="session")
    for other in mine:
        if not other.is_cancelled and rules.overlaps(
            other.starts_at, other.ends_at, row.starts_at, row.ends_at
        ):
            raise Conflict(
                f"You are signed up for “{other.title}” at the same time. "
                "Cancel that sign-up first.",
                field="session",
                code="overlap",
            )
    taken = _confirmed_count(session, row.id)
    places = row.places
    status = SignUpStatus.CONFIRMED if places is None or taken < places else SignUpStatus.WAITLISTED
    signup = SignUp(session_id=row.id, registration_id=registration.id, status=status)
    session.add(signup)
    session.flush()
    return signup


def _lock(session: Session, model: Any, row_id: int) -> None:
    """Locks one row until the transaction ends (on SQLite: the database's write lock)."""
    locking.lock_row(session, model, row_id)


def _confirmed_count(session: Session, session_id: int) -> int:
    return session.execute(
        select(func.count()).where(
            SignUp.session_id == session_id, SignUp.status == SignUpStatus.CONFIRMED
        )
    ).scalar_one()


def cancel_signup(session: Session, row: ProgrammeSession, registration: Registration) -> None:
    _lock(session, ProgrammeSession, row.id)
    signup = session.execute(
        select(SignUp).where(SignUp.session_id == row.id, SignUp.registration_id == registration.id)
    ).scalar_one_or_none()
    if signup is None:
        raise NotFound("You are not signed up for this session.", field="session")
    session.delete(signup)
    session.flush()
    promote_signups(session, row)


def release_signups(session: Session, registration: Registration) -> int:
    """A registration that stopped (cancelled, erased) gives up every sign-up; each session it
    held a place in fills from its waiting list, with a mail to whoever moves up."""
    signups = list(
        session.execute(
            select(SignUp).where(SignUp.registration_id == registration.id).order_by(SignUp.id)
        ).scalars()
    )
    freed = {s.session_id for s in signups if s.status == SignUpStatus.CONFIRMED}
    for signup in signups:
        session.delete(signup)
    session.flush()
    for session_id in sorted(freed):
        row = session.get(ProgrammeSession, session_id)
        if row is not None:
            promote_signups(session, row)
    return len(signups)


def on_registration_cancelled(registration: Registration, *, session: Session) -> None:
    release_signups(session, registration)


def promote_signups(session: Session, row: ProgrammeSession) -> list[SignUp]:
    """Fill free places from the waiting list in the order people joined it, holding the
    session's lock so a sign-up at the same moment cannot take the same place."""
    _lock(session, ProgrammeSession, row.id)
    places = row.places
    waiting = list(
        session.execute(
            select(SignUp)
            .where(SignUp.session_id == row.id, SignUp.status == SignUpStatus.WAITLISTED)
            .order_by(SignUp.created_at, SignUp.id)
        ).scalars()
    )
    if not waiting:
        return []
    free = len(waiting) if places is None else places - _confirmed_count(session, row.id)
    promoted = waiting[: max(free, 0)]
    for signup in promoted:
        signup.status = SignUpStatus.CONFIRMED
        _notify_promoted(session, row, signup)
    session.flush()
    return promoted


def _notify_promoted(session: Session, row: ProgrammeSession, signup: SignUp) -> None:
    registration = session.get(Registration, signup.registration_id)
    if registration is None:
        return
    with mail_language(*recipient_locales(registration)):  # the session's title in theirs too
        subject = _("A place is yours: %(title)s", title=localized(row, "title"))
        text = render_template(
            "mail/programme_signup_promoted.txt",
            registration=registration,
            item=row,
            event=row.event,
            link=external_url("programme.session", slug=row.event.slug, session_id=row.id),
        )
    queue_mail(
        session,
        to=registration.email,
        subject=subject,
        text=text,
        event_id=row.event_id,
        kind="programme_signup_promoted",
    )


def signups_of(session: Session, registration: Registration | None) -> dict[int, str]:
    if registration is None:
        return {}
    return {
        session_id: str(status)
        for session_id, status in session.execute(
            select(SignUp.session_id, SignUp.status).where(
                SignUp.registration_id == registration.id
            )
        )
    }


def signup_counts(
    session: Session, event: Event, *, session_ids: list[int] | None = None
) -> dict[int, dict[str, int]]:
    """Sign-ups per session and status; `session_ids` narrows it to the sessions a page shows
    (still one query, however many there are)."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"confirmed": 0, "waitlisted": 0})
    query = (
        select(SignUp.session_id, SignUp.status, func.count())
        .join(ProgrammeSession, ProgrammeSession.id == SignUp.session_id)
        .where(ProgrammeSession.event_id == event.id)
        .group_by(SignUp.session_id, SignUp.status)
    )
    if session_ids is not None:
        query = query.where(SignUp.session_id.in_(session_ids))
    for session_id, status, n in session.execute(query):
        counts[session_id][str(status)] = n
    return dict(counts)


def waitlist_position(session: Session, row: ProgrammeSession, registration: Registration) -> int:
    mine = session.execute(
        select(SignUp).where(SignUp.session_id == row.id, SignUp.registration_id == registration.id)
    ).scalar_one_or_none()
    if mine is None or mine.status != SignUpStatus.WAITLISTED:
        return 0
    ahead = session.execute(
        select(func.count()).where(
            SignUp.session_id == row.id,
            SignUp.status == SignUpStatus.WAITLISTED,
            (SignUp.created_at < mine.created_at)
            | ((SignUp.created_at == mine.created_at) & (SignUp.id < mine.id)),
        )
    ).scalar_one()
    return ahead + 1


def participants_of(session: Session, row: ProgrammeSession) -> list[tuple[SignUp, Registration]]:
    """For organisers: who signed up, in order."""
    return list(
        session.execute(
            select(SignUp, Registration)
            .join(Registration, Registration.id == SignUp.registration_id)
            .where(SignUp.session_id == row.id)
            .order_by(SignUp.status, SignUp.created_at, SignUp.id)
        ).tuples()
    )


# --- stars and the personal agenda -------------------------------------------------------------


def set_star(session: Session, row: ProgrammeSession, user: User, starred: bool) -> None:
    existing = session.execute(
        select(Star).where(Star.session_id == row.id, Star.user_id == user.id)
    ).scalar_one_or_none()
    if starred and existing is None:
        session.add(Star(session_id=row.id, user_id=user.id))
    elif not starred and existing is not None:
        session.delete(existing)
    session.flush()


def starred_ids(session: Session, event: Event, user: User | None) -> set[int]:
    if user is None:
        return set()
    return set(
        session.execute(
            select(Star.session_id)
            .join(ProgrammeSession, ProgrammeSession.id == Star.session_id)
            .where(Star.user_id == user.id, ProgrammeSession.event_id == event.id)
        ).scalars()
    )


def agenda_reasons(
    session: Session, event: Event, user: User, registration: Registration | None
) -> dict[int, list[str]]:
    """session id -> why it is on the person's agenda: signed_up, waitlisted, speaking, starred."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for session_id, status in signups_of(session, registration).items():
        reasons[session_id].append("signed_up" if status == "confirmed" else "waitlisted")
    for session_id in session.execute(
        select(SessionSpeaker.session_id)
        .join(ProgrammeSession, ProgrammeSession.id == SessionSpeaker.session_id)
        .where(SessionSpeaker.user_id == user.id, ProgrammeSession.event_id == event.id)
    ).scalars():
        reasons[session_id].append("speaking")
    for session_id in starred_ids(session, event, user):
        reasons[session_id].append("starred")
    return dict(reasons)


# --- personal feed tokens ---------------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_feed_token(session: Session, event: Event, user: User) -> str:
    """A fresh secret for the personal calendar; earlier ones stop working."""
    revoke_feed_tokens(session, event, user)
    secret = secrets.token_urlsafe(32)
    session.add(FeedToken(event_id=event.id, user_id=user.id, digest=_digest(secret)))
    session.flush()
    return secret


def revoke_feed_tokens(session: Session, event: Event, user: User) -> int:
    rows = session.execute(
        select(FeedToken).where(
            FeedToken.event_id == event.id,
            FeedToken.user_id == user.id,
            FeedToken.revoked_at.is_(None),
        )
    ).scalars()
    count = 0
    for row in rows:
        row.revoked_at = utcnow()
        count += 1
    session.flush()
    return count


def has_feed_token(session: Session, event: Event, user: User) -> bool:
    return (
        session.execute(
            select(FeedToken.id).where(
                FeedToken.event_id == event.id,
                FeedToken.user_id == user.id,
                FeedToken.revoked_at.is_(None),
            )
        ).first()
        is not None
    )


def feed_owner(session: Session, secret: str) -> tuple[Event, User] | None:
    if not secret or len(secret) > 100:
        return None
    row = session.execute(
        select(FeedToken).where(FeedToken.digest == _digest(secret), FeedToken.revoked_at.is_(None))
    ).scalar_one_or_none()
    if row is None:
        return None
    user = session.get(User, row.user_id)
    event = session.get(Event, row.event_id)
    if user is None or not user.is_active or event is None:
        return None
    return event, user
