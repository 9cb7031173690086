"""Timetable conflicts over plain values: no database, so tests call it directly.

Conflicts are warnings for the organiser; nothing here changes or drops a session.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

ROOM_DOUBLE_BOOKED = "room_double_booked"
SPEAKER_DOUBLE_BOOKED = "speaker_double_booked"
OUTSIDE_EVENT = "outside_event"
OUTSIDE_ROOM_HOURS = "outside_room_hours"
OVER_CAPACITY = "over_capacity"
ATTENDEE_OVERLAP = "attendee_overlap"
INVALID_TIMES = "invalid_times"

KINDS = (
    ROOM_DOUBLE_BOOKED,
    SPEAKER_DOUBLE_BOOKED,
    OUTSIDE_EVENT,
    OUTSIDE_ROOM_HOURS,
    OVER_CAPACITY,
    ATTENDEE_OVERLAP,
    INVALID_TIMES,
)


@dataclass(frozen=True)
class Slot:
    """A session as the rules see it. `speakers` are keys naming one person each."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    room_id: int | None = None
    speakers: tuple[str, ...] = ()
    signups: int = 0
    places: int | None = None
    cancelled: bool = False


@dataclass(frozen=True)
class RoomHours:
    id: int
    name: str
    opens: time | None = None
    closes: time | None = None


@dataclass(frozen=True)
class Warning:
    kind: str
    session_ids: tuple[int, ...]
    subject: str = ""  # the room or speaker concerned
    count: int = 0  # participants concerned, or sign-ups against places


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals: a session ending at 11:00 does not clash with one starting at 11:00."""
    return a_start < b_end and b_start < a_end


def overlapping_pairs(slots: Iterable[Slot]) -> Iterator[tuple[Slot, Slot]]:
    """Every pair of overlapping slots, by one sweep over the start times."""
    active: list[Slot] = []
    for slot in sorted(slots, key=lambda s: (s.starts_at, s.id)):
        active = [a for a in active if a.ends_at > slot.starts_at]
        for other in active:
            yield other, slot
        active.append(slot)


def find_conflicts(
    slots: Iterable[Slot],
    *,
    event_start: datetime,
    event_end: datetime,
    zone: str,
    rooms: Iterable[RoomHours] = (),
    speaker_names: Mapping[str, str] | None = None,
    signups: Mapping[int, Iterable[int]] | None = None,
) -> list[Warning]:
    """All warnings at once. `signups` maps a participant to the sessions they signed up for."""
    live = [s for s in slots if not s.cancelled]
    by_id = {s.id: s for s in live}
    warnings: list[Warning] = []
    warnings += _invalid_times(live)
    valid = [s for s in live if s.ends_at > s.starts_at]
    warnings += _outside_event(valid, event_start, event_end)
    room_list = list(rooms)
    warnings += _room_double_booked(valid, {r.id: r.name for r in room_list})
    warnings += _outside_room_hours(valid, room_list, ZoneInfo(zone))
    warnings += _speaker_double_booked(valid, speaker_names or {})
    warnings += _over_capacity(valid)
    warnings += _attendee_overlaps(by_id, signups or {})
    return warnings


def _invalid_times(slots: list[Slot]) -> list[Warning]:
    return [Warning(INVALID_TIMES, (s.id,)) for s in slots if s.ends_at <= s.starts_at]


def _outside_event(slots: list[Slot], start: datetime, end: datetime) -> list[Warning]:
    return [
        Warning(OUTSIDE_EVENT, (s.id,)) for s in slots if s.starts_at < start or s.ends_at > end
    ]


def _room_double_booked(slots: list[Slot], room_names: Mapping[int, str]) -> list[Warning]:
    by_room: dict[int, list[Slot]] = defaultdict(list)
    for slot in slots:
        if slot.room_id is not None:
            by_room[slot.room_id].append(slot)
    return [
        Warning(ROOM_DOUBLE_BOOKED, (a.id, b.id), subject=room_names.get(room_id, ""))
        for room_id, room_slots in by_room.items()
        for a, b in overlapping_pairs(room_slots)
    ]


def _outside_room_hours(slots: list[Slot], rooms: list[RoomHours], zone: ZoneInfo) -> list[Warning]:
    hours = {r.id: r for r in rooms if r.opens is not None or r.closes is not None}
    warnings = []
    for slot in slots:
        room = hours.get(slot.room_id) if slot.room_id is not None else None
        if room is not None and not _within_hours(slot, room, zone):
            warnings.append(Warning(OUTSIDE_ROOM_HOURS, (slot.id,), subject=room.name))
    return warnings


def _within_hours(slot: Slot, room: RoomHours, zone: ZoneInfo) -> bool:
    start, end = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
    if start.date() != end.date():
        return False  # rooms open by the day; a session through the night is outside them
    if room.opens is not None and start.time() < room.opens:
        return False
    return room.closes is None or end.time() <= room.closes


def _speaker_double_booked(slots: list[Slot], names: Mapping[str, str]) -> list[Warning]:
    by_speaker: dict[str, list[Slot]] = defaultdict(list)
    for slot in slots:
        for key in set(slot.speakers):
            by_speaker[key].append(slot)
    return [
        Warning(SPEAKER_DOUBLE_BOOKED, (a.id, b.id), subject=names.get(key, key))
        for key, speaker_slots in by_speaker.items()
        for a, b in overlapping_pairs(speaker_slots)
    ]


def _over_capacity(slots: list[Slot]) -> list[Warning]:
    return [
        Warning(OVER_CAPACITY, (s.id,), count=s.signups - s.places)
        for s in slots
        if s.places is not None and s.signups > s.places
    ]


def _attendee_overlaps(
    by_id: Mapping[int, Slot], signups: Mapping[int, Iterable[int]]
) -> list[Warning]:
    """One warning per pair of sessions, counting the participants signed up to both."""
    pairs: Counter[tuple[int, int]] = Counter()
    for session_ids in signups.values():
        mine = [by_id[i] for i in set(session_ids) if i in by_id]
        if len(mine) < 2:
            continue
        for a, b in overlapping_pairs(mine):
            pairs[(min(a.id, b.id), max(a.id, b.id))] += 1
    return [Warning(ATTENDEE_OVERLAP, pair, count=n) for pair, n in sorted(pairs.items())]
