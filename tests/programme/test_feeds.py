"""Calendar feeds parsed back, across the end of summer time, and the frab exports."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import xmlschema
from icalendar import Calendar

import eventsys
from eventsys.extensions import db
from eventsys.programme import personal, services, signups, versions
from tests.programme.conftest import at, make_conf

# The C3VOC frab schema: from shared/ beside the repository when it is there (CI), else the copy
# kept with these tests, so a fresh clone validates too.
SHARED_XSD = (
    Path(eventsys.__file__).resolve().parent.parent.parent
    / "shared"
    / "standards"
    / "frab-schedule.xsd"
)
BUNDLED_XSD = Path(__file__).with_name("frab-schedule.xsd")
XSD = SHARED_XSD if SHARED_XSD.exists() else BUNDLED_XSD


def test_bundled_schema_is_the_shared_one():
    if SHARED_XSD.exists():
        assert BUNDLED_XSD.read_bytes() == SHARED_XSD.read_bytes()
    assert BUNDLED_XSD.exists()


def vevents(body: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(body)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_event_feed_across_the_end_of_summer_time(client, factory):
    # 27 October 2024, 02:00 Lisbon: clocks go back from UTC+1 to UTC+0.
    conf = make_conf(factory, first_day=25, last_day=28)
    saturday = conf.add("Saturday workshop", at(26, 10), at(26, 11, 30), track_id=conf.tracks[0].id)
    monday = conf.add("Monday plenary", at(28, 10), at(28, 11), room=1, kind="plenary")
    versions.publish(db.session, conf.event)

    response = client.get(f"/events/{conf.event.slug}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    zones = calendar.walk("VTIMEZONE")
    assert [str(z["tzid"]) for z in zones] == ["Europe/Lisbon"]
    assert {c.name for c in zones[0].subcomponents} >= {"STANDARD", "DAYLIGHT"}
    events = vevents(response.data)
    assert set(events) == {f"session-{r.uid}@eventsys.test" for r in (saturday, monday)}
    for row in (saturday, monday):
        item = events[f"session-{row.uid}@eventsys.test"]
        assert item["dtstart"].params["TZID"] == "Europe/Lisbon"
        assert item["dtstart"].dt == row.starts_at and item["dtend"].dt == row.ends_at
        assert item["sequence"] == 0 and str(item["status"]) == "CONFIRMED"
        assert "Sala" in str(item["location"]) and "Centro de Congressos" in str(item["location"])
        assert str(item["url"]).endswith(f"/programme/sessions/{row.id}")
    # Same wall-clock hour, different UTC offsets either side of the change.
    sat = events[f"session-{saturday.uid}@eventsys.test"]["dtstart"].dt
    mon = events[f"session-{monday.uid}@eventsys.test"]["dtstart"].dt
    assert (sat.hour, mon.hour) == (10, 10)
    assert sat.astimezone(UTC).hour == 9 and mon.astimezone(UTC).hour == 10


def test_uids_stay_sequence_grows_and_cancelled_sessions_say_so(client, conf):
    moved = conf.add("Energy poverty", at(9, 10), at(9, 11))
    dropped = conf.add("Equality in the transition", at(9, 10), at(9, 11), room=1)
    steady = conf.add("Opening", at(9, 9), at(9, 10), room=2)
    versions.publish(db.session, conf.event)
    before = vevents(client.get(f"/events/{conf.event.slug}/calendar.ics").data)

    services.move_session(db.session, conf.event, moved, room_id=moved.room_id, starts_at=at(9, 15))
    services.set_cancelled(db.session, dropped, True)
    versions.publish(db.session, conf.event)
    after = vevents(client.get(f"/events/{conf.event.slug}/calendar.ics").data)

    assert set(after) == set(before)  # calendars update in place, nothing is duplicated
    uid = {r: f"session-{r.uid}@eventsys.test" for r in (moved, dropped, steady)}
    assert after[uid[moved]]["sequence"] == 1
    assert after[uid[moved]]["dtstart"].dt == at(9, 15)
    assert str(after[uid[dropped]]["status"]) == "CANCELLED"
    assert after[uid[dropped]]["sequence"] == 1
    assert after[uid[steady]]["sequence"] == 0


def test_drafts_do_not_leak_into_feeds(client, conf):
    conf.add("Published", at(9, 10), at(9, 11))
    assert client.get(f"/events/{conf.event.slug}/calendar.ics").status_code == 404
    versions.publish(db.session, conf.event)
    conf.add("Still a draft", at(9, 12), at(9, 13))
    body = client.get(f"/events/{conf.event.slug}/calendar.ics").get_data(as_text=True)
    assert "Published" in body and "Still a draft" not in body


def test_track_feed_holds_only_its_track(client, conf):
    conf.add("Energy A", at(9, 10), at(9, 11), track_id=conf.tracks[0].id)
    conf.add("Nature B", at(9, 10), at(9, 11), room=1, track_id=conf.tracks[1].id)
    versions.publish(db.session, conf.event)
    body = client.get(f"/events/{conf.event.slug}/tracks/{conf.tracks[0].id}/calendar.ics").data
    assert [str(e["summary"]) for e in vevents(body).values()] == ["Energy A"]
    assert client.get(f"/events/{conf.event.slug}/tracks/999999/calendar.ics").status_code == 404


def test_personal_feed_under_a_secret_revocable_address(app, client, login, conf, participant):
    user, registration = participant
    starred = conf.add("Starred plenary", at(9, 9), at(9, 10), kind="plenary")
    workshop = conf.add("My workshop", at(9, 10), at(9, 11), room=1, capacity=5,
                        signup_required=True)  # fmt: skip
    conf.add("Not mine", at(9, 10), at(9, 11), room=2)
    versions.publish(db.session, conf.event)
    personal.set_star(db.session, starred, user, True)
    signups.sign_up(db.session, workshop, registration)
    login(user)
    page = client.post(f"/events/{conf.event.slug}/programme/agenda/feed").get_data(as_text=True)
    url = re.search(r"http://[^\s<\"]+/calendar/([A-Za-z0-9_-]+)\.ics", page)
    assert url, page
    assert user.email.split("@")[0] not in url.group(0) and conf.event.slug not in url.group(0)
    assert len(url.group(1)) >= 40  # an opaque secret, nothing personal
    anonymous = app.test_client()
    feed = anonymous.get(f"/calendar/{url.group(1)}.ics")
    assert feed.status_code == 200
    assert sorted(str(e["summary"]) for e in vevents(feed.data).values()) == [
        "My workshop",
        "Starred plenary",
    ]
    client.post(f"/events/{conf.event.slug}/programme/agenda/feed/revoke")
    assert anonymous.get(f"/calendar/{url.group(1)}.ics").status_code == 404
    assert anonymous.get("/calendar/not-a-token.ics").status_code == 404


def test_frab_xml_validates_against_the_schema(client, conf):
    assert XSD.exists(), f"the frab schema belongs at {XSD}"
    conf.add("Opening plenary", at(9, 9), at(9, 10, 30), kind="plenary",
             speakers=[services.SpeakerData("Ana Silva")])  # fmt: skip
    conf.add("Energy poverty: “warm homes” & <tariffs>", at(9, 11), at(9, 12, 30), room=1,
             track_id=conf.tracks[0].id, description="Städte gegen Energiearmut")  # fmt: skip
    conf.add("General Assembly", at(11, 14), at(11, 17), kind="general_assembly")
    gone = conf.add("Cancelled", at(10, 9), at(10, 10))
    services.set_cancelled(db.session, gone, True)
    versions.publish(db.session, conf.event)
    response = client.get(f"/events/{conf.event.slug}/schedule.xml")
    assert response.status_code == 200
    schema = xmlschema.XMLSchema(str(XSD))
    schema.validate(response.data.decode())
    body = response.get_data(as_text=True)
    assert "Cancelled" not in body and "&lt;tariffs&gt;" in body
    assert body.count("<day ") == 3


def test_frab_json_has_days_rooms_and_local_times(client, conf):
    row = conf.add("Nature-based solutions", at(10, 14), at(10, 15, 30), room=1,
                   speakers=[services.SpeakerData("Олег Петров")])  # fmt: skip
    versions.publish(db.session, conf.event)
    data = client.get(f"/events/{conf.event.slug}/schedule.json").get_json()
    conference = data["schedule"]["conference"]
    assert conference["time_zone_name"] == "Europe/Lisbon" and conference["daysCount"] == 3
    day = conference["days"][1]
    assert day["date"] == "2024-10-10"
    talk = day["rooms"]["Sala 2"][0]
    assert talk["guid"] == row.uid and talk["start"] == "14:00" and talk["duration"] == "01:30"
    assert talk["date"] == "2024-10-10T14:00:00+01:00"
    assert talk["persons"][0]["public_name"] == "Олег Петров"
    assert datetime.fromisoformat(talk["date"]) == row.starts_at


def test_long_titles_in_any_script_survive_folding_and_escaping(client, conf):
    title = "Энергетическая бедность; города, регионы и НКО — " * 3 + "Əhali, enerji"
    description = "Line one, with a comma;\nline two \\ backslash\n\nÜbergang gerecht"
    row = conf.add(title.strip(), at(9, 10), at(9, 11), description=description)
    versions.publish(db.session, conf.event)
    body = client.get(f"/events/{conf.event.slug}/calendar.ics").data
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    parsed = vevents(body)[f"session-{row.uid}@eventsys.test"]
    assert str(parsed["summary"]) == title.strip()
    assert str(parsed["description"]).startswith(description)
