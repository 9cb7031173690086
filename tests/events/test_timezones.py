"""What an organiser types in the event's zone is what participants see; UTC is stored right."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar
from sqlalchemy import select

from eventsys.errors import ServiceError
from eventsys.events.ical import event_ics
from eventsys.events.localtime import (
    is_ambiguous,
    is_nonexistent,
    strict_local_to_utc,
    utc_to_wall,
)
from eventsys.events.models import Event
from eventsys.extensions import db
from tests.events.conftest import event_form


def test_wall_clock_rules_without_a_database():
    lisbon, baku = "Europe/Lisbon", "Asia/Baku"
    # 2024: summer time ends 27 October (02:00 -> 01:00) and began 31 March (01:00 -> 02:00).
    assert is_ambiguous(datetime(2024, 10, 27, 1, 30), lisbon)
    assert not is_ambiguous(datetime(2024, 10, 27, 2, 30), lisbon)
    assert is_nonexistent(datetime(2024, 3, 31, 1, 30), lisbon)
    assert not is_nonexistent(datetime(2024, 3, 31, 2, 30), lisbon)
    assert strict_local_to_utc(datetime(2024, 10, 26, 9, 0), lisbon) == datetime(
        2024, 10, 26, 8, 0, tzinfo=UTC
    )
    assert strict_local_to_utc(datetime(2024, 10, 28, 9, 0), lisbon) == datetime(
        2024, 10, 28, 9, 0, tzinfo=UTC
    )
    # Baku has kept UTC+4 all year since 2016: nothing is skipped or repeated.
    assert not is_ambiguous(datetime(2024, 10, 27, 3, 30), baku)
    assert strict_local_to_utc(datetime(2024, 11, 15, 10, 0), baku) == datetime(
        2024, 11, 15, 6, 0, tzinfo=UTC
    )
    with pytest.raises(ServiceError, match="happens twice.*UTC\\+01:00.*UTC\\+00:00"):
        strict_local_to_utc(datetime(2024, 10, 27, 1, 30), lisbon, field="starts_at")
    with pytest.raises(ServiceError, match="does not exist in Europe/Lisbon"):
        strict_local_to_utc(datetime(2024, 3, 31, 1, 30), lisbon)
    assert utc_to_wall(datetime(2024, 10, 27, 17, 0, tzinfo=UTC), lisbon) == datetime(
        2024, 10, 27, 17, 0
    )


def _create(client, login, factory, **form) -> Event:
    login(factory.user(admin=True))
    response = client.post("/admin/events/new", data=event_form(**form))
    assert response.status_code == 302, response.get_data(as_text=True)
    event = db.session.execute(select(Event).where(Event.slug == form["slug"])).scalar_one()
    event.is_published = True
    return event


def test_lisbon_event_across_the_end_of_summer_time(client, login, factory):
    event = _create(
        client,
        login,
        factory,
        slug="lisbon-october",
        starts_at="2024-10-26T09:00",
        ends_at="2024-10-27T17:00",
        registration_closes_at="2024-10-27T09:30",
    )
    # Saturday is summer time (UTC+1), Sunday afternoon winter time (UTC+0).
    assert event.starts_at == datetime(2024, 10, 26, 8, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2024, 10, 27, 17, 0, tzinfo=UTC)
    assert event.registration_closes_at == datetime(2024, 10, 27, 9, 30, tzinfo=UTC)
    assert (event.ends_at - event.starts_at).total_seconds() == 33 * 3600  # one hour longer

    page = client.get("/events/lisbon-october/").get_data(as_text=True)
    # 9:00 on Saturday in summer time and 17:00 on Sunday in winter time, as typed.
    assert "starts 9:00\u202fAM, ends 5:00\u202fPM" in page
    assert "Oct 26\u2009–\u200927, 2024" in page and "Europe/Lisbon" in page
    # The organiser opens the form again and finds what they typed.
    form = client.get("/events/lisbon-october/manage/details").get_data(as_text=True)
    assert 'value="2024-10-26T09:00"' in form and 'value="2024-10-27T17:00"' in form
    assert 'value="2024-10-27T09:30"' in form
    # The calendar file carries the zone and the local times.
    ics = Calendar.from_ical(event_ics(event, url="http://x/", domain="x"))
    vevent = next(c for c in ics.walk("VEVENT"))
    assert vevent.decoded("dtstart") == datetime(
        2024, 10, 26, 9, 0, tzinfo=vevent.decoded("dtstart").tzinfo
    )
    assert str(vevent["dtstart"].params["TZID"]) == "Europe/Lisbon"
    assert vevent.decoded("dtend").astimezone(UTC) == event.ends_at


def test_a_time_the_clocks_repeat_is_refused_with_a_clear_message(client, login, factory):
    login(factory.user(admin=True))
    response = client.post(
        "/admin/events/new",
        data=event_form(slug="ambiguous", starts_at="2024-10-27T01:30", ends_at="2024-10-27T12:00"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2024-10-27 01:30 happens twice in Europe/Lisbon" in page
    assert db.session.execute(select(Event).where(Event.slug == "ambiguous")).first() is None


def test_baku_event(client, login, factory):
    event = _create(
        client,
        login,
        factory,
        slug="baku-november",
        timezone="Asia/Baku",
        starts_at="2024-11-15T10:00",
        ends_at="2024-11-15T18:00",
        registration_opens_at="2024-10-01T00:00",
        country="AZ",
        city="Baku",
    )
    assert event.starts_at == datetime(2024, 11, 15, 6, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2024, 11, 15, 14, 0, tzinfo=UTC)
    assert event.registration_opens_at == datetime(2024, 9, 30, 20, 0, tzinfo=UTC)
    page = client.get("/events/baku-november/").get_data(as_text=True)
    assert "November 15, 2024" in page
    assert "10:00\u202fAM–6:00\u202fPM" in page or "10:00 AM–6:00 PM" in page
    assert "Asia/Baku" in page
    form = client.get("/events/baku-november/manage/details").get_data(as_text=True)
    assert 'value="2024-11-15T10:00"' in form and 'value="2024-10-01T00:00"' in form
