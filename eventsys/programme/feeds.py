"""Calendar feeds (iCalendar) of the published programme: the event, a track, a person.

Each session keeps one UID for its whole life, so subscribed calendars update it in place;
SEQUENCE grows with every published change and a cancelled session comes as STATUS:CANCELLED.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from icalendar import Event as VEvent
from icalendar import Timezone

from eventsys.events.ical import new_calendar
from eventsys.events.models import Event
from eventsys.i18n import to_local
from eventsys.programme.published import Item, Published


def session_uid(item: Item, domain: str) -> str:
    return f"session-{item.uid}@{domain}"


def calendar_ics(
    event: Event,
    published: Published,
    items: Iterable[Item],
    *,
    name: str,
    domain: str,
    url_of: Callable[[Item], str],
) -> bytes:
    calendar = new_calendar(name)
    calendar.add("x-wr-timezone", event.timezone)
    calendar.add("method", "PUBLISH")
    calendar.add_component(_vtimezone(event))
    stamp = published.version.published_at
    venue = ", ".join(p for p in (event.venue_name, event.city) if p)
    for item in items:
        calendar.add_component(_vevent(event, item, stamp, venue, domain, url_of(item)))
    return calendar.to_ical()


def _vtimezone(event: Event) -> Timezone:
    """The zone's rules for the event's span, so DST changes inside it come out right."""
    start = to_local(event.starts_at, event.timezone).replace(tzinfo=None)
    end = to_local(event.ends_at, event.timezone).replace(tzinfo=None)
    return Timezone.from_tzid(event.timezone, first_date=start.date(), last_date=end.date())


def _vevent(event: Event, item: Item, stamp, venue: str, domain: str, url: str) -> VEvent:
    entry = VEvent()
    entry.add("uid", session_uid(item, domain))
    entry.add("dtstamp", stamp)
    entry.add("sequence", item.sequence)
    entry.add("summary", item.title)
    entry.add("dtstart", to_local(item.starts_at, event.timezone))
    entry.add("dtend", to_local(item.ends_at, event.timezone))
    location = ", ".join(p for p in (item.room, venue) if p)
    if location:
        entry.add("location", location)
    entry.add("url", url)
    parts = [item.description[:2000]]
    if item.speakers:
        parts.append("Speakers: " + item.speaker_names)
    parts.append(url)
    entry.add("description", "\n\n".join(p for p in parts if p))
    if item.track:
        entry.add("categories", [item.track])
    entry.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    return entry
