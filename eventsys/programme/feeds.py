"""Calendar feeds (iCalendar) of the published programme: the event, a track, a person.

Each session keeps one UID for its whole life, so subscribed calendars update it in place;
SEQUENCE grows with every published change and a cancelled session comes as STATUS:CANCELLED.

The zone's VTIMEZONE comes from the icalendar library; the events are written here as RFC 5545
content lines, because the library's generic writer spends most of a 300-session feed folding
lines one character at a time. Tests parse every feed back with the library.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Timezone

from eventsys.events.models import Event
from eventsys.i18n import to_local
from eventsys.programme.published import Item, Published

PRODID = "-//eventsys//eventsys//EN"
PARAGRAPH = "\n\n"


def session_uid(item: Item, domain: str) -> str:
    return f"session-{item.uid}@{domain}"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> bytes:
    """Lines of at most 75 octets, continued with a space, never splitting a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74
    return b"\r\n ".join(parts)


def calendar_ics(
    event: Event,
    published: Published,
    items: Iterable[Item],
    *,
    name: str,
    domain: str,
    url_of: Callable[[Item], str],
) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{event.timezone}",
    ]
    items = list(items)
    head = b"\r\n".join(fold(line) for line in lines) + b"\r\n" + _vtimezone(event, items)
    stamp = _utc(published.version.published_at)
    venue = ", ".join(p for p in (event.venue_name, event.city) if p)
    zone = ZoneInfo(event.timezone)
    body = [
        fold(line)
        for item in items
        for line in _vevent(event.timezone, zone, item, stamp, venue, domain, url_of(item))
    ]
    return head + b"\r\n".join(body) + (b"\r\n" if body else b"") + b"END:VCALENDAR\r\n"


def _vtimezone(event: Event, items: list[Item]) -> bytes:
    """The zone's rules over the event's span and every session's (a pre-conference visit may
    fall before a change of summer time), so each DTSTART finds its offset."""
    instants = [event.starts_at, event.ends_at]
    instants += [t for item in items for t in (item.starts_at, item.ends_at)]
    start = to_local(min(instants), event.timezone).date()
    end = to_local(max(instants), event.timezone).date()
    return Timezone.from_tzid(event.timezone, first_date=start, last_date=end).to_ical()


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _vevent(
    tzid: str, zone: ZoneInfo, item: Item, stamp: str, venue: str, domain: str, url: str
) -> list[str]:
    location = ", ".join(p for p in (item.room, venue) if p)
    parts = [item.description[:2000]]
    if item.speakers:
        parts.append("Speakers: " + item.speaker_names)
    parts.append(url)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{session_uid(item, domain)}",
        f"DTSTAMP:{stamp}",
        f"SEQUENCE:{item.sequence}",
        f"SUMMARY:{escape_text(item.title)}",
        f"DTSTART;TZID={tzid}:{item.starts_at.astimezone(zone):%Y%m%dT%H%M%S}",
        f"DTEND;TZID={tzid}:{item.ends_at.astimezone(zone):%Y%m%dT%H%M%S}",
        f"URL:{url}",
        f"DESCRIPTION:{escape_text(PARAGRAPH.join(p for p in parts if p))}",
        f"STATUS:{'CANCELLED' if item.cancelled else 'CONFIRMED'}",
    ]
    if location:
        lines.insert(7, f"LOCATION:{escape_text(location)}")
    if item.track:
        lines.append(f"CATEGORIES:{escape_text(item.track)}")
    lines.append("END:VEVENT")
    return lines
