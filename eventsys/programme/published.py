"""The published programme as participants, feeds and exports read it: one frozen version."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from eventsys.events.models import Event
from eventsys.programme.models import ProgrammeVersion
from eventsys.programme.services import latest_version


@dataclass
class Item:
    """A session as published: plain values, times as aware UTC datetimes."""

    id: int
    uid: str
    kind: str
    title: str
    description: str
    language: str
    room_id: int | None
    room: str
    track_id: int | None
    track: str
    colour: str
    starts_at: datetime
    ends_at: datetime
    speakers: list[dict[str, Any]]
    places: int | None
    signup: bool
    cancelled: bool
    sequence: int = 0

    @classmethod
    def from_entry(cls, entry: dict[str, Any]) -> Item:
        return cls(
            **{k: entry[k] for k in _PLAIN},
            starts_at=datetime.fromisoformat(entry["start"]),
            ends_at=datetime.fromisoformat(entry["end"]),
            sequence=entry.get("sequence", 0),
        )

    @property
    def speaker_names(self) -> str:
        return ", ".join(s["name"] for s in self.speakers)


_PLAIN = (
    "id", "uid", "kind", "title", "description", "language", "room_id", "room", "track_id",
    "track", "colour", "speakers", "places", "signup", "cancelled",
)  # fmt: skip


@dataclass
class Published:
    version: ProgrammeVersion
    rooms: list[dict[str, Any]]
    tracks: list[dict[str, Any]]
    items: list[Item]
    by_id: dict[int, Item] = field(default_factory=dict)

    def live(self) -> list[Item]:
        return [i for i in self.items if not i.cancelled]


def published_programme(session: Session, event: Event) -> Published | None:
    version = latest_version(session, event.id)
    if version is None:
        return None
    return from_version(version)


def from_version(version: ProgrammeVersion) -> Published:
    items = sorted(
        (Item.from_entry(e) for e in version.snapshot["sessions"]),
        key=lambda i: (i.starts_at, i.room, i.id),
    )
    return Published(
        version=version,
        rooms=version.snapshot["rooms"],
        tracks=version.snapshot["tracks"],
        items=items,
        by_id={i.id: i for i in items},
    )


def event_days(event: Event) -> list[date]:
    """The event's local dates; an event ending at midnight does not reach the next day."""
    zone = ZoneInfo(event.timezone)
    first = event.starts_at.astimezone(zone).date()
    last = (event.ends_at - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def local_day(value: datetime, zone: str) -> date:
    return value.astimezone(ZoneInfo(zone)).date()
