"""Reading a wall-clock time an organiser typed, in the event's zone: no database, plain values.

At a daylight-saving change some local times never happen (clocks jump forward) and some happen
twice (clocks go back). Guessing would silently move an event by an hour, so both are refused
with a message saying what happens at that moment.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from eventsys.errors import ServiceError
from eventsys.i18n import local_to_utc


def _offset(naive: datetime, zone: ZoneInfo, fold: int) -> timedelta | None:
    return naive.replace(tzinfo=zone, fold=fold).utcoffset()


def _hhmm(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def is_nonexistent(naive: datetime, zone_name: str) -> bool:
    """True when the clocks skip this wall-clock time (spring forward)."""
    zone = ZoneInfo(zone_name)
    back = naive.replace(tzinfo=zone).astimezone(ZoneInfo("UTC")).astimezone(zone)
    return back.replace(tzinfo=None) != naive


def is_ambiguous(naive: datetime, zone_name: str) -> bool:
    """True when this wall-clock time happens twice (clocks go back)."""
    zone = ZoneInfo(zone_name)
    return not is_nonexistent(naive, zone_name) and _offset(naive, zone, 0) != _offset(
        naive, zone, 1
    )


def strict_local_to_utc(naive: datetime, zone_name: str, *, field: str | None = None) -> datetime:
    """UTC instant of a wall-clock time in the zone; refuses times a DST change makes unclear."""
    if naive.tzinfo is not None:
        raise ValueError("expected a wall-clock (naive) time")
    zone = ZoneInfo(zone_name)
    shown = naive.strftime("%Y-%m-%d %H:%M")
    if is_nonexistent(naive, zone_name):
        raise ServiceError(
            _(
                "%(time)s does not exist in %(zone)s: the clocks move forward at that moment "
                "(summer time starts). Please choose a time an hour later or earlier.",
                time=shown,
                zone=zone_name,
            ),
            field=field,
        )
    if is_ambiguous(naive, zone_name):
        raise ServiceError(
            _(
                "%(time)s happens twice in %(zone)s: the clocks go back at that moment "
                "(summer time ends), first at %(first)s, then at %(second)s. Please choose a "
                "time outside that hour.",
                time=shown,
                zone=zone_name,
                first=_hhmm(_offset(naive, zone, 0)),
                second=_hhmm(_offset(naive, zone, 1)),
            ),
            field=field,
        )
    return local_to_utc(naive, zone_name)


def utc_to_wall(instant: datetime | None, zone_name: str) -> datetime | None:
    """The wall-clock time to show in a form field, without its zone."""
    if instant is None:
        return None
    return instant.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)
