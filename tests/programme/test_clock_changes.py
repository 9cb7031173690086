"""Clock changes: session times a change skips or repeats are refused with a reason, and a
feed's zone block covers every session, before the event's own dates too."""

from __future__ import annotations

import pytest
from icalendar import Calendar
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.programme import versions
from eventsys.programme.models import ProgrammeSession
from tests.programme.conftest import at, make_conf


@pytest.mark.parametrize(
    ("day", "start", "message"),
    [("2024-10-27", "01:30", "happens twice"), ("2024-03-31", "01:30", "does not exist")],
)
def test_session_forms_refuse_times_a_clock_change_repeats_or_skips(
    client, login, factory, day, start, message
):
    month = 3 if day.startswith("2024-03") else 10
    conf = make_conf(factory, first_day=26, last_day=28)
    conf.event.starts_at = at(30 if month == 3 else 26, 8, month=month)
    conf.event.ends_at = at(1 if month == 3 else 28, 19, month=month + 1 if month == 3 else month)
    db.session.commit()
    login(conf.organiser)
    base = f"/events/{conf.event.slug}/programme/manage"
    data = {"title": "Night owls", "kind": "workshop", "day": day, "start": start, "end": "03:30"}
    response = client.post(f"{base}/sessions/new", data=data)
    assert response.status_code in (200, 422)
    assert message in response.get_data(as_text=True)
    titles = db.session.execute(select(ProgrammeSession.title)).scalars().all()
    assert "Night owls" not in titles
    row = conf.add("Late talk", at(day=int(day[-2:]), hour=10, month=month), at(
        day=int(day[-2:]), hour=11, month=month))  # fmt: skip
    db.session.commit()
    before = row.starts_at
    moved = client.post(
        f"{base}/sessions/{row.id}/move",
        data={"day": day, "start": start, "end": "03:30", "room_id": 0},
        follow_redirects=True,
    )
    assert moved.status_code == 200 and message in moved.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ProgrammeSession, row.id).starts_at == before


def test_a_feed_zone_block_covers_a_session_before_the_event_and_its_clock_change(client, factory):
    conf = make_conf(factory, first_day=28, last_day=30)  # after Lisbon's change of 27 October
    conf.add("Pre-conference study visit", at(26, 10), at(26, 12), kind="workshop")
    versions.publish(db.session, conf.event)
    db.session.commit()
    body = client.get(f"/events/{conf.event.slug}/calendar.ics").data
    zone = next(c for c in Calendar.from_ical(body).walk("VTIMEZONE")).to_ical()
    assert b"TZOFFSETTO:+0100" in zone, zone.decode()  # the summer time of 26 October
