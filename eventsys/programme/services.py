"""The programme's rules: rooms, tracks, sessions and the editor's data with its conflicts.

Published versions: versions.py; sign-ups: signups.py; stars, the personal agenda and its feed
tokens: personal.py.

Plain functions over a SQLAlchemy session; they flush, the caller commits. Participants, feeds
and exports read only the published versions (frozen snapshots), organisers edit the live rows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any, TypeVar

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from eventsys.errors import Conflict, NotFound, ServiceError
from eventsys.events.models import Event
from eventsys.i18n.content import checked_versions
from eventsys.programme import conflicts as rules
from eventsys.programme.models import (
    ProgrammeSession,
    Room,
    SessionKind,
    SessionSpeaker,
    SignUp,
    SignUpStatus,
    Track,
)
from eventsys.programme.published import latest_version
from eventsys.programme.signups import promote_signups

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
