"""The event itself as an iCalendar file, attached to confirmation mails."""

from __future__ import annotations

from icalendar import Calendar
from icalendar import Event as VEvent

from eventsys.db import utcnow
from eventsys.events.models import Event
from eventsys.i18n import to_local


def new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//eventsys//eventsys//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def event_uid(event: Event, domain: str) -> str:
    return f"event-{event.id}@{domain}"


def event_ics(event: Event, *, url: str, domain: str) -> bytes:
    calendar = new_calendar(event.title)
    item = VEvent()
    item.add("uid", event_uid(event, domain))
    item.add("dtstamp", utcnow())
    item.add("summary", event.title)
    item.add("dtstart", to_local(event.starts_at, event.timezone))
    item.add("dtend", to_local(event.ends_at, event.timezone))
    location = ", ".join(p for p in (event.venue_name, event.venue_address, event.city) if p)
    if location:
        item.add("location", location)
    item.add("url", url)
    item.add("description", f"{event.description[:1500]}\n\n{url}".strip())
    calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical()
