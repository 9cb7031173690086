"""The conflict rules over plain values."""

from __future__ import annotations

from datetime import UTC, datetime, time

from eventsys.programme import conflicts as c
from eventsys.programme.conflicts import RoomHours, Slot, find_conflicts

START, END = datetime(2024, 10, 9, 7, tzinfo=UTC), datetime(2024, 10, 11, 18, tzinfo=UTC)


def h(hour: int, minute: int = 0, day: int = 9) -> datetime:
    return datetime(2024, 10, day, hour, minute, tzinfo=UTC)


def run(slots, **kw):
    return find_conflicts(slots, event_start=START, event_end=END, zone="Europe/Lisbon", **kw)


def kinds(warnings):
    return sorted(w.kind for w in warnings)


def test_room_used_twice_but_back_to_back_is_fine():
    a = Slot(1, "A", h(9), h(10), room_id=1)
    b = Slot(2, "B", h(9, 30), h(11), room_id=1)
    follow = Slot(3, "C", h(11), h(12), room_id=1)  # starts when B ends: no clash
    other_room = Slot(4, "D", h(9), h(10), room_id=2)
    warnings = run([a, b, follow, other_room], rooms=[RoomHours(1, "Sala 1")])
    assert [(w.kind, w.session_ids, w.subject) for w in warnings] == [
        (c.ROOM_DOUBLE_BOOKED, (1, 2), "Sala 1")
    ]


def test_three_overlapping_sessions_give_every_pair():
    slots = [Slot(i, str(i), h(9), h(10), room_id=1) for i in (1, 2, 3)]
    pairs = {w.session_ids for w in run(slots)}
    assert pairs == {(1, 2), (1, 3), (2, 3)}


def test_speaker_in_two_places_by_account_or_by_name():
    a = Slot(1, "A", h(9), h(10), room_id=1, speakers=("user:7", "name:ana silva"))
    b = Slot(2, "B", h(9, 45), h(10, 30), room_id=2, speakers=("user:7",))
    d = Slot(3, "D", h(10), h(11), room_id=3, speakers=("name:ana silva",))
    warnings = run([a, b, d], speaker_names={"user:7": "Olga", "name:ana silva": "Ana Silva"})
    assert {(w.subject, w.session_ids) for w in warnings} == {("Olga", (1, 2))}


def test_outside_event_and_outside_room_hours_in_local_time():
    early = Slot(1, "Before", h(6), h(7, 30), room_id=1)  # 07:00 Lisbon: before the event
    late = Slot(2, "Late", h(19), h(20), room_id=1)  # 20:00–21:00 Lisbon, room closes at 20:00
    fine = Slot(3, "Fine", h(18), h(19), room_id=1)  # 19:00–20:00 Lisbon (UTC+1)
    rooms = [RoomHours(1, "Sala 1", time(8), time(20))]
    warnings = run([early, late, fine], rooms=rooms)
    assert {(w.kind, w.session_ids) for w in warnings} == {
        (c.OUTSIDE_EVENT, (1,)),
        (c.OUTSIDE_ROOM_HOURS, (1,)),
        (c.OUTSIDE_ROOM_HOURS, (2,)),
    }


def test_room_hours_follow_the_zone_after_summer_time_ends():
    # 27 Oct 2024: Lisbon goes from UTC+1 to UTC+0. 07:30 UTC is 07:30 local that day.
    start, end = datetime(2024, 10, 26, tzinfo=UTC), datetime(2024, 10, 29, tzinfo=UTC)
    rooms = [RoomHours(1, "Sala 1", time(8), time(20))]
    saturday = Slot(1, "Sat", datetime(2024, 10, 26, 7, 30, tzinfo=UTC),
                    datetime(2024, 10, 26, 8, 30, tzinfo=UTC), room_id=1)  # fmt: skip
    monday = Slot(2, "Mon", datetime(2024, 10, 28, 7, 30, tzinfo=UTC),
                  datetime(2024, 10, 28, 8, 30, tzinfo=UTC), room_id=1)  # fmt: skip
    warnings = find_conflicts(
        [saturday, monday], event_start=start, event_end=end, zone="Europe/Lisbon", rooms=rooms
    )
    assert [(w.kind, w.session_ids) for w in warnings] == [(c.OUTSIDE_ROOM_HOURS, (2,))]


def test_over_capacity_and_participants_signed_up_twice():
    a = Slot(1, "A", h(9), h(10), room_id=1, signups=12, places=10)
    b = Slot(2, "B", h(9, 30), h(10, 30), room_id=2, signups=3, places=10)
    later = Slot(3, "Later", h(10, 30), h(11), room_id=2)
    signups = {100: [1, 2], 101: [2, 1, 3], 102: [1, 3]}
    warnings = run([a, b, later], signups=signups)
    assert {(w.kind, w.session_ids, w.count) for w in warnings} == {
        (c.OVER_CAPACITY, (1,), 2),
        (c.ATTENDEE_OVERLAP, (1, 2), 2),
    }


def test_cancelled_sessions_and_bad_times():
    a = Slot(1, "A", h(9), h(10), room_id=1)
    cancelled = Slot(2, "B", h(9), h(10), room_id=1, cancelled=True)
    backwards = Slot(3, "C", h(12), h(11), room_id=2)
    assert kinds(run([a, cancelled, backwards])) == [c.INVALID_TIMES]
    assert run([]) == []


def test_overlapping_blocks_share_their_column_in_the_grid():
    from datetime import date
    from types import SimpleNamespace as Item

    from eventsys.programme.grid import day_grid

    rooms = [Item(id=1), Item(id=2)]
    items = [
        Item(starts_at=h(9), ends_at=h(10), room_id=1),
        Item(starts_at=h(9, 30), ends_at=h(11), room_id=1),
        Item(starts_at=h(10), ends_at=h(10, 30), room_id=1),  # fits under the first
        Item(starts_at=h(12), ends_at=h(13), room_id=1),  # alone again
        Item(starts_at=h(9), ends_at=h(10), room_id=2),
    ]
    grid = day_grid(date(2024, 10, 9), "Europe/Lisbon", rooms, items)
    lanes = [
        (b.column, b.lane, b.lanes)
        for b in sorted(grid.blocks, key=lambda b: (b.column, b.row_start))
    ]
    assert lanes == [(2, 0, 2), (2, 1, 2), (2, 0, 2), (2, 0, 1), (3, 0, 1)]
    first = min(grid.blocks, key=lambda b: (b.column, b.row_start))
    assert grid.rows[first.row_start - 2].label == "10:00"  # 09:00 UTC is 10:00 in Lisbon
    assert first.row_end - first.row_start == 4  # an hour is four 15-minute rows


def test_grid_marks_the_cells_under_sessions_as_occupied():
    """The editor draws no "new session" link under a session (WCAG 2.2 target size)."""
    from datetime import date
    from types import SimpleNamespace as Item

    from eventsys.programme.grid import day_grid

    items = [Item(starts_at=h(9), ends_at=h(9, 30), room_id=2)]
    grid = day_grid(date(2024, 10, 9), "Europe/Lisbon", [Item(id=1), Item(id=2)], items)
    (block,) = grid.blocks
    assert grid.occupied == {(3, block.row_start), (3, block.row_start + 1)}
    assert (2, block.row_start) not in grid.occupied  # the other room stays free
