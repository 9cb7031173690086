"""A small Cascais-like programme: rooms, tracks, participants, in Europe/Lisbon."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from eventsys.extensions import db
from eventsys.programme import services
from eventsys.programme.models import ProgrammeSession, Room, Track

LISBON = ZoneInfo("Europe/Lisbon")


def at(day: int, hour: int, minute: int = 0, month: int = 10) -> datetime:
    """A wall-clock time in Lisbon in October 2024."""
    return datetime(2024, month, day, hour, minute, tzinfo=LISBON)


@dataclass
class Conf:
    event: object
    organiser: object
    rooms: list[Room]
    tracks: list[Track]
    sessions: dict[str, ProgrammeSession] = field(default_factory=dict)

    def add(self, title: str, start: datetime, end: datetime, room: int | None = 0, **kw):
        data = services.SessionData(
            title=title,
            kind=kw.pop("kind", "workshop"),
            starts_at=start,
            ends_at=end,
            room_id=self.rooms[room].id if room is not None else None,
            **kw,
        )
        row = services.create_session(db.session, self.event, data)
        self.sessions[title] = row
        return row


def make_conf(
    factory, *, slug: str | None = None, first_day: int, last_day: int, rooms: int = 3
) -> Conf:
    organiser = factory.user(name="Olga Organiser")
    event = factory.event(slug, organiser=organiser, starts_at=at(first_day, 8), days=1)
    event.ends_at = at(last_day, 19)
    db.session.flush()
    room_rows = [
        services.save_room(
            db.session,
            event,
            name=f"Sala {n + 1}",
            capacity=30 + n * 10,
            opens_at=time(8, 0),
            closes_at=time(20, 0),
        )
        for n in range(rooms)
    ]
    tracks = [
        services.save_track(db.session, event, name="Energy poverty", colour="#b5512c"),
        services.save_track(db.session, event, name="Nature-based solutions", colour="#1f6f43"),
    ]
    return Conf(event, organiser, room_rows, tracks)


@pytest.fixture
def conf(factory) -> Conf:
    """9–11 October 2024 in Cascais, three rooms, two tracks."""
    return make_conf(factory, first_day=9, last_day=11)


@pytest.fixture
def participant(factory, conf):
    """A confirmed participant with an account: (user, registration)."""
    user = factory.user(name="Ana Participante")
    return user, factory.registration(conf.event, user=user)


def signup_workshop(conf: Conf, title: str, start, end, places: int, room: int = 0):
    return conf.add(title, start, end, room=room, capacity=places, signup_required=True)
