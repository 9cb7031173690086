"""The frab-compatible schedule (schedule.json and schedule.xml) that conference apps read.

Built from the published version; cancelled sessions are left out, as frab readers expect.
The XML follows shared/standards/frab-schedule.xsd (C3VOC's validator).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from eventsys.events.models import Event
from eventsys.i18n import localized
from eventsys.programme.published import Item, Published, event_days

GENERATOR = {"name": "eventsys", "version": "0.1"}


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "session"


def _hhmm(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _room_guid(event: Event, name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"eventsys:{event.slug}:room:{name}"))


def _days(event: Event, published: Published) -> list[dict[str, Any]]:
    """Per local day: its bounds and the sessions by room, rooms in the organisers' order."""
    zone = ZoneInfo(event.timezone)
    room_order = [r["name"] for r in published.rooms]
    by_day: dict[date, dict[str, list[Item]]] = {}
    for item in published.live():
        day = item.starts_at.astimezone(zone).date()
        by_day.setdefault(day, {}).setdefault(item.room or "—", []).append(item)
    days = []
    for index, day in enumerate(event_days(event), start=1):
        rooms = by_day.get(day, {})
        ordered = [r for r in room_order if r in rooms] + sorted(
            r for r in rooms if r not in room_order
        )
        days.append(
            {
                "index": index,
                "date": day,
                "start": datetime.combine(day, time(0, 0), tzinfo=zone),
                "end": datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=zone),
                "rooms": [(name, rooms[name]) for name in ordered],
            }
        )
    return days


def _talk(event: Event, item: Item, url: str) -> dict[str, Any]:
    local = item.starts_at.astimezone(ZoneInfo(event.timezone))
    return {
        "guid": item.uid,
        "id": item.id,
        "date": local.isoformat(),
        "start": local.strftime("%H:%M"),
        "duration": _hhmm(item.ends_at - item.starts_at),
        "room": item.room or "—",
        "slug": f"{event.slug}-{item.id}-{slugify(item.default.title)}",  # same in every language
        "url": url,
        "title": item.title,
        "subtitle": "",
        "track": item.track,
        "type": item.kind,
        "language": item.language,
        "abstract": item.description[:500],
        "description": item.description,
        "recording_license": "",
        "do_not_record": True,
        "persons": [{"name": s["name"], "public_name": s["name"]} for s in item.speakers],
        "links": [],
        "attachments": [],
    }


def schedule_json(
    event: Event, published: Published, *, base_url: str, url_of: Callable[[Item], str]
) -> dict[str, Any]:
    days = _days(event, published)
    return {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": GENERATOR,
        "schedule": {
            "version": str(published.version.number),
            "base_url": base_url,
            "conference": {
                "acronym": event.slug,
                "title": localized(event, "title"),
                "start": days[0]["date"].isoformat(),
                "end": days[-1]["date"].isoformat(),
                "daysCount": len(days),
                "timeslot_duration": "00:15",
                "time_zone_name": event.timezone,
                "url": base_url,
                "rooms": [
                    {"name": r["name"], "guid": _room_guid(event, r.get("default_name", r["name"]))}
                    for r in published.rooms
                ],
                "tracks": [{"name": t["name"], "color": t["colour"]} for t in published.tracks],
                "days": [
                    {
                        "index": d["index"],
                        "date": d["date"].isoformat(),
                        "day_start": d["start"].isoformat(),
                        "day_end": d["end"].isoformat(),
                        "rooms": {
                            name: [_talk(event, i, url_of(i)) for i in items]
                            for name, items in d["rooms"]
                        },
                    }
                    for d in days
                ],
            },
        },
    }


def schedule_xml(event: Event, published: Published, *, url_of: Callable[[Item], str]) -> bytes:
    """Written as escaped text in one pass: ElementTree's pure-Python serialiser was most of the
    time for 300 sessions. The schema test parses and validates what comes out."""
    days = _days(event, published)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<schedule>",
        f"<version>{published.version.number}</version>",
        "<conference>",
        f"<title>{escape(localized(event, 'title'))}</title>",
        f"<acronym>{escape(event.slug)}</acronym>",
        f"<start>{days[0]['date'].isoformat()}</start>",
        f"<end>{days[-1]['date'].isoformat()}</end>",
        f"<days>{len(days)}</days>",
        "<timeslot_duration>00:15</timeslot_duration>",
        "</conference>",
    ]
    for d in days:
        out.append(
            f'<day index="{d["index"]}" date="{d["date"].isoformat()}" '
            f'start="{d["start"].isoformat()}" end="{d["end"].isoformat()}">'
        )
        for name, items in d["rooms"]:
            out.append(f"<room name={quoteattr(name)}>")
            out.extend(_xml_event(_talk(event, item, url_of(item))) for item in items)
            out.append("</room>")
        out.append("</day>")
    out.append("</schedule>")
    return "\n".join(out).encode("utf-8")


# The schema has no <url>: the session's page goes in <links>.
_XML_FIELDS = ("date", "start", "duration", "room", "slug", "title", "subtitle", "track", "type",
               "language", "abstract", "description")  # fmt: skip


def _xml_event(talk: dict[str, Any]) -> str:
    fields = "".join(f"<{tag}>{escape(str(talk[tag]))}</{tag}>" for tag in _XML_FIELDS)
    persons = "".join(f"<person>{escape(p['name'])}</person>" for p in talk["persons"])
    link = f"<link href={quoteattr(talk['url'])}>{escape(talk['title'])}</link>"
    return (
        f'<event id="{talk["id"]}" guid={quoteattr(talk["guid"])}>{fields}'
        f"<persons>{persons}</persons><links>{link}</links></event>"
    )
