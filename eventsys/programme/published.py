"""The published programme as participants, feeds and exports read it: one frozen version."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.events.models import Event
from eventsys.i18n import pick_translation
from eventsys.programme.models import ProgrammeVersion


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
    # Other languages' versions of the texts: {"title": {"pt": ...}, "room": {...}, ...}.
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    # In a reader's language (see in_language): the session as published, default language.
    original: Item | None = None

    @classmethod
    def from_entry(cls, entry: dict[str, Any]) -> Item:
        return cls(
            **{k: entry[k] for k in _PLAIN},
            starts_at=datetime.fromisoformat(entry["start"]),
            ends_at=datetime.fromisoformat(entry["end"]),
            sequence=entry.get("sequence", 0),
            translations=entry.get("translations") or {},
        )

    @property
    def default(self) -> Item:
        """This session in the event's default language (for slugs and other stable keys)."""
        return self.original or self

    @property
    def speaker_names(self) -> str:
        return ", ".join(s["name"] for s in self.speakers)


_PLAIN = (
    "id", "uid", "kind", "title", "description", "language", "room_id", "room", "track_id",
    "track", "colour", "speakers", "places", "signup", "cancelled",
)  # fmt: skip


@dataclass(frozen=True)
class VersionInfo:
    """What pages and feeds show of a version, without its snapshot; plain values, so a cached
    Published outlives the request that loaded it."""

    id: int
    number: int
    published_at: datetime
    revision: str


@dataclass
class Published:
    """Shared between requests (see _CACHE): read it, never change it."""

    version: VersionInfo
    rooms: list[dict[str, Any]]
    tracks: list[dict[str, Any]]
    items: list[Item]
    by_id: dict[int, Item] = field(default_factory=dict)
    # Values derived from the items once per process (e.g. wall-clock times per zone).
    memo: dict[Any, Any] = field(default_factory=dict)

    def live(self) -> list[Item]:
        return [i for i in self.items if not i.cancelled]

    def on_day(self, day: date, zone: str) -> list[Item]:
        """The sessions starting on a local day, grouped once per zone."""
        key = ("days", zone)
        days = self.memo.get(key)
        if days is None:
            days = {}
            tz = ZoneInfo(zone)
            for item in self.items:
                days.setdefault(item.starts_at.astimezone(tz).date(), []).append(item)
            self.memo[key] = days
        return days.get(day, [])


# Parsed snapshots by (version id, revision). A version's snapshot only changes together with
# its revision, so this per-process copy is right on any number of hosts; a new version or an
# erasure simply uses a new key, and the oldest entries fall out.
CACHE_SIZE = 8
_CACHE: OrderedDict[tuple[int, str], Published] = OrderedDict()
_LOCK = threading.Lock()


def latest_head(session: Session, event_id: int) -> VersionInfo | None:
    """The latest version's number and revision, without loading its snapshot."""
    row = session.execute(
        select(
            ProgrammeVersion.id,
            ProgrammeVersion.number,
            ProgrammeVersion.published_at,
            ProgrammeVersion.revision,
        )
        .where(ProgrammeVersion.event_id == event_id)
        .order_by(ProgrammeVersion.number.desc())
        .limit(1)
    ).one_or_none()
    return None if row is None else VersionInfo(*row)


def published_programme(
    session: Session, event: Event, locale: str | None = None
) -> Published | None:
    """The latest version, its texts in `locale` where the organisers wrote that version."""
    head = latest_head(session, event.id)
    return None if head is None else published_of(session, head, locale)


def published_of(session: Session, head: VersionInfo, locale: str | None = None) -> Published:
    return in_language(_published_of(session, head), locale)


def _published_of(session: Session, head: VersionInfo) -> Published:
    key = (head.id, head.revision)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            _CACHE.move_to_end(key)
            return cached
    row = session.execute(
        select(ProgrammeVersion.snapshot, ProgrammeVersion.revision).where(
            ProgrammeVersion.id == head.id
        )
    ).one()
    # Read together with the snapshot: an eraser that ran in between gives a new key.
    head = VersionInfo(head.id, head.number, head.published_at, row.revision)
    published = _parse(head, row.snapshot)
    with _LOCK:
        _CACHE[(head.id, head.revision)] = published
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return published


def _parse(head: VersionInfo, snapshot: dict[str, Any]) -> Published:
    items = sorted(
        (Item.from_entry(e) for e in snapshot["sessions"]),
        key=lambda i: (i.starts_at, i.room, i.id),
    )
    return Published(
        version=head,
        rooms=snapshot["rooms"],
        tracks=snapshot["tracks"],
        items=items,
        by_id={i.id: i for i in items},
    )


def in_language(published: Published, locale: str | None) -> Published:
    """The version as a reader of `locale` sees it: session titles and descriptions, rooms and
    tracks in that language where written, else in the default one. Kept with the version
    (memo), one copy per language with its own memo, so the pages' and feeds' per-version
    caches (timetable_html, grids) are per language too."""
    if not locale or locale not in languages_of(published):
        return published
    key = ("in_language", locale)
    with _LOCK:
        found = published.memo.get(key)
    if found is None:
        found = _translated(published, locale)
        with _LOCK:
            found = published.memo.setdefault(key, found)
    return found


def languages_of(published: Published) -> set[str]:
    """The languages any text of the version was written in besides the default."""
    found = published.memo.get("languages")
    if found is None:
        found = {
            code
            for versions in (
                *(v for i in published.items for v in i.translations.values()),
                *(r.get("name_translations") or {} for r in published.rooms),
                *(t.get("name_translations") or {} for t in published.tracks),
            )
            for code in versions
        }
        published.memo["languages"] = found
    return found


def _translated(published: Published, locale: str) -> Published:
    def text(item: Item, name: str) -> str:
        return pick_translation(getattr(item, name), item.translations.get(name), locale)

    items = [
        replace(
            item,
            title=text(item, "title"),
            description=text(item, "description"),
            room=text(item, "room"),
            track=text(item, "track"),
            original=item,
        )
        for item in published.items
    ]
    return Published(
        version=published.version,
        rooms=[_named(room, locale) for room in published.rooms],
        tracks=[_named(track, locale) for track in published.tracks],
        items=items,
        by_id={i.id: i for i in items},
    )


def _named(row: dict[str, Any], locale: str) -> dict[str, Any]:
    name = pick_translation(row["name"], row.get("name_translations"), locale)
    return {**row, "name": name, "default_name": row["name"]}


def event_days(event: Event) -> list[date]:
    """The event's local dates; an event ending at midnight does not reach the next day."""
    zone = ZoneInfo(event.timezone)
    first = event.starts_at.astimezone(zone).date()
    last = (event.ends_at - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def local_day(value: datetime, zone: str) -> date:
    return value.astimezone(ZoneInfo(zone)).date()


def latest_version(session: Session, event_id: int) -> ProgrammeVersion | None:
    return session.execute(
        select(ProgrammeVersion)
        .where(ProgrammeVersion.event_id == event_id)
        .order_by(ProgrammeVersion.number.desc())
        .limit(1)
    ).scalar_one_or_none()
