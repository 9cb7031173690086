"""The layout of one day's grid, rooms against time: plain arithmetic, no database.

A session becomes a block spanning grid rows of SLOT minutes; the page is a CSS grid, so
it renders without JavaScript and without a table cell per empty slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

SLOT = 15  # minutes per grid row
DAY_START, DAY_END = time(9, 0), time(18, 0)


@dataclass(frozen=True)
class Block:
    item: Any
    column: int  # 2.. (column 1 holds the times)
    row_start: int
    row_end: int
    lane: int = 0  # side by side when sessions in one room overlap (a conflict to show)
    lanes: int = 1


@dataclass(frozen=True)
class Row:
    index: int
    label: str  # "09:00" on the hour and half hour, else ""
    starts_at: datetime  # aware, for "new session here" links


@dataclass(frozen=True)
class DayGrid:
    day: date
    rooms: list[Any]
    rows: list[Row]
    blocks: list[Block]
    unplaced: list[Any]  # sessions of the day without a room

    @property
    def occupied(self) -> frozenset[tuple[int, int]]:
        """(column, row) cells under a session: the session is the thing to click there, so the
        editor draws no "new session" link beneath it (a link mostly hidden under a block is a
        target too small to hit, WCAG 2.2 target size), only a drop zone."""
        return frozenset(
            (b.column, row) for b in self.blocks for row in range(b.row_start, b.row_end)
        )


def day_grid(day: date, zone: str, rooms: list[Any], items: list[Any]) -> DayGrid:
    """`rooms` have an `id`; `items` have `starts_at`, `ends_at` (aware) and `room_id`."""
    tz = ZoneInfo(zone)
    todays = [i for i in items if i.starts_at.astimezone(tz).date() == day]
    first, last = _bounds(day, tz, todays)
    column_of = {room_id: n + 2 for n, room_id in enumerate(_ids(rooms))}
    rows = []
    n, cursor = 0, first
    while cursor < last:
        local = cursor.astimezone(tz)
        label = local.strftime("%H:%M") if local.minute in (0, 30) else ""
        rows.append(Row(n + 2, label, cursor))
        n, cursor = n + 1, cursor + timedelta(minutes=SLOT)
    blocks, unplaced = [], []
    for item in todays:
        column = column_of.get(item.room_id)
        if column is None:
            unplaced.append(item)
            continue
        start_row = int((item.starts_at - first).total_seconds() // (SLOT * 60)) + 2
        span = max(1, -(-int((item.ends_at - item.starts_at).total_seconds()) // (SLOT * 60)))
        blocks.append(Block(item, column, start_row, min(start_row + span, len(rows) + 2)))
    return DayGrid(day, rooms, rows, _with_lanes(blocks), unplaced)


def _with_lanes(blocks: list[Block]) -> list[Block]:
    """Overlapping blocks of one column share its width instead of hiding one another."""
    placed: list[Block] = []
    by_column: dict[int, list[Block]] = {}
    for block in blocks:
        by_column.setdefault(block.column, []).append(block)
    for column_blocks in by_column.values():
        column_blocks.sort(key=lambda b: (b.row_start, b.row_end))
        cluster: list[Block] = []
        cluster_end = 0
        following: list[Block | None] = [*column_blocks, None]  # None closes the last cluster
        for entry in following:
            if entry is None or entry.row_start >= cluster_end:
                placed += _lay_out(cluster)
                cluster, cluster_end = [], 0
            if entry is not None:
                cluster.append(entry)
                cluster_end = max(cluster_end, entry.row_end)
    return placed


def _lay_out(cluster: list[Block]) -> list[Block]:
    lane_ends: list[int] = []
    lanes = []
    for block in cluster:
        lane = next((i for i, end in enumerate(lane_ends) if end <= block.row_start), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(block.row_end)
        else:
            lane_ends[lane] = block.row_end
        lanes.append(lane)
    return [
        Block(b.item, b.column, b.row_start, b.row_end, lane, len(lane_ends))
        for b, lane in zip(cluster, lanes, strict=True)
    ]


def _ids(rooms: list[Any]) -> list[int]:
    return [r["id"] if isinstance(r, dict) else r.id for r in rooms]


def _bounds(day: date, tz: ZoneInfo, items: list[Any]) -> tuple[datetime, datetime]:
    """From the earlier of 09:00 and the first start to the later of 18:00 and the last end,
    on whole half hours; computed in local wall time, so a 23- or 25-hour day still works."""
    start = datetime.combine(day, DAY_START, tzinfo=tz)
    end = datetime.combine(day, DAY_END, tzinfo=tz)
    if items:
        start = min(start, min(i.starts_at for i in items).astimezone(tz))
        end = max(end, max(i.ends_at for i in items).astimezone(tz))
    start = start.replace(minute=0 if start.minute < 30 else 30, second=0, microsecond=0)
    if end.minute % 30 or end.second:
        end = end.replace(minute=0, second=0, microsecond=0) + timedelta(
            minutes=30 if end.minute < 30 else 60
        )
    return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))
