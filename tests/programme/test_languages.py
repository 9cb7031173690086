"""The programme in the reader's language: pages, calendar feeds and frab exports pick the
session, room and track versions the organisers wrote, each language with its own cache."""

from __future__ import annotations

import io
import json

import pytest
import xmlschema
from icalendar import Calendar
from pypdf import PdfReader
from sqlalchemy import select

from eventsys.accounts.services import create_api_token
from eventsys.extensions import db
from eventsys.mail.models import OutboundMail
from eventsys.programme import services, signups, versions
from eventsys.programme.published import in_language, published_programme
from tests.programme.conftest import at
from tests.programme.test_feeds import XSD

TITLE = "Energy poverty and warm homes"
PT_TITLE = "Pobreza energética e casas quentes"
RU_TITLE = "Энергетическая бедность и тёплые дома"


@pytest.fixture
def translated(conf):
    conf.event.languages = ["en", "pt", "ru"]
    conf.event.title_translations = {"pt": "Conferência de Cascais"}
    services.save_room(db.session, conf.event, room=conf.rooms[0], name="Room 1",
                       name_translations={"pt": "Sala Um", "ru": "Зал 1"})  # fmt: skip
    services.save_track(
        db.session,
        conf.event,
        track=conf.tracks[0],
        name="Energy poverty",
        colour="#b5512c",
        name_translations={"pt": "Pobreza energética"},
    )
    conf.add(TITLE, at(9, 10), at(9, 11), track_id=conf.tracks[0].id,
             title_translations={"pt": PT_TITLE, "ru": RU_TITLE},
             description="About homes", description_translations={"pt": "Sobre casas"})  # fmt: skip
    conf.add("Only in English", at(9, 12), at(9, 13), room=1)
    versions.publish(db.session, conf.event)
    db.session.commit()
    return conf


def test_published_version_in_a_language_falls_back_to_the_default(translated):
    published = published_programme(db.session, translated.event)
    assert published is not None
    portuguese = in_language(published, "pt")
    titles = {i.title for i in portuguese.items}
    assert titles == {PT_TITLE, "Only in English"}  # no version: the default text
    item = next(i for i in portuguese.items if i.title == PT_TITLE)
    assert (item.room, item.track, item.description) == (
        "Sala Um", "Pobreza energética", "Sobre casas"
    )  # fmt: skip
    assert item.default.title == TITLE
    assert in_language(published, "pt") is portuguese  # kept with the version
    assert in_language(published, "fr") is published and in_language(published, None) is published
    russian = in_language(published, "ru")
    assert next(i for i in russian.items if i.id == item.id).track == "Energy poverty"


@pytest.mark.parametrize(
    ("lang", "title", "room"), [("pt", PT_TITLE, "Sala Um"), ("ru", RU_TITLE, "Зал 1")]
)
def test_timetable_and_session_page_in_the_readers_language(client, translated, lang, title, room):
    slug = translated.event.slug
    english = client.get(f"/events/{slug}/programme/?day=2024-10-09&lang=en").get_data(True)
    assert TITLE in english and title not in english
    page = client.get(f"/events/{slug}/programme/?day=2024-10-09&lang={lang}").get_data(True)
    assert title in page and room in page and TITLE not in page
    # The English page asked again is not the other language's kept copy.
    again = client.get(f"/events/{slug}/programme/?day=2024-10-09&lang=en").get_data(True)
    assert TITLE in again and title not in again
    row = translated.sessions[TITLE]
    detail = client.get(f"/events/{slug}/programme/sessions/{row.id}?lang={lang}")
    assert title in detail.get_data(True)


def test_feeds_per_language_with_their_own_cache_and_etag(client, translated):
    slug = translated.event.slug
    english = client.get(f"/events/{slug}/calendar.ics", headers={"Accept-Language": "en"})
    portuguese = client.get(f"/events/{slug}/calendar.ics", headers={"Accept-Language": "pt"})
    assert english.headers["ETag"] != portuguese.headers["ETag"]
    summaries = {str(e["summary"]) for e in Calendar.from_ical(portuguese.data).walk("VEVENT")}
    assert PT_TITLE in summaries
    calendar = Calendar.from_ical(portuguese.data)
    assert str(calendar["X-WR-CALNAME"]) == "Conferência de Cascais"
    english_again = client.get(f"/events/{slug}/calendar.ics", headers={"Accept-Language": "en"})
    summaries = {str(e["summary"]) for e in Calendar.from_ical(english_again.data).walk("VEVENT")}
    assert TITLE in summaries and PT_TITLE not in summaries
    assert english_again.headers["ETag"] == english.headers["ETag"]
    # The reader who has the Portuguese feed does not get a 304 for the English one.
    asked = client.get(f"/events/{slug}/calendar.ics?lang=en",
                       headers={"If-None-Match": portuguese.headers["ETag"]})  # fmt: skip
    assert asked.status_code == 200


def test_frab_xml_and_json_in_russian(client, translated):
    slug = translated.event.slug
    xml = client.get(f"/events/{slug}/schedule.xml?lang=ru")
    xmlschema.XMLSchema(str(XSD)).validate(xml.data.decode())
    assert RU_TITLE in xml.get_data(True) and 'name="Зал 1"' in xml.get_data(True)
    data = json.loads(client.get(f"/events/{slug}/schedule.json?lang=ru").data)
    talks = [t for d in data["schedule"]["conference"]["days"] for r in d["rooms"].values()
             for t in r]  # fmt: skip
    talk = next(t for t in talks if t["title"] == RU_TITLE)
    assert talk["language"] == "en"  # the language the session is held in
    assert talk["slug"].endswith("energy-poverty-and-warm-homes")  # stable across languages
    english = json.loads(client.get(f"/events/{slug}/schedule.json?lang=en").data)
    rooms = english["schedule"]["conference"]["rooms"]
    russian_rooms = data["schedule"]["conference"]["rooms"]
    assert [r["guid"] for r in rooms] == [r["guid"] for r in russian_rooms]


def test_session_form_edits_the_versions_side_by_side(client, login, translated):
    login(translated.organiser)
    row = translated.sessions[TITLE]
    url = f"/events/{translated.event.slug}/programme/manage/sessions/{row.id}"
    page = client.get(url).get_data(True)
    assert (
        page.index('name="title"') < page.index('name="title__pt"') < page.index('name="title__ru"')
    )
    assert f'value="{PT_TITLE}"' in page and 'lang="ru"' in page
    form = {
        "title": TITLE, "kind": "workshop", "day": "2024-10-09", "start": "10:00",
        "end": "11:00", "room_id": str(translated.rooms[0].id), "track_id": "0",
        "language": "en", "title__pt": "Casas quentes", "title__ru": "",
        "description__pt": "", "description__ru": "",
    }  # fmt: skip
    assert client.post(url, data=form).status_code == 302
    db.session.refresh(row)
    assert row.title_translations == {"pt": "Casas quentes"}
    assert row.description_translations == {}


def test_rooms_and_tracks_forms_carry_the_versions(client, login, translated):
    login(translated.organiser)
    slug = translated.event.slug
    page = client.get(f"/events/{slug}/programme/manage/rooms").get_data(True)
    room = translated.rooms[0]
    assert f'name="room{room.id}-name__pt"' in page and 'value="Sala Um"' in page
    form = {f"room{room.id}-name": "Room 1", f"room{room.id}-name__pt": "Sala Principal",
            f"room{room.id}-name__ru": "Главный зал"}  # fmt: skip
    client.post(f"/events/{slug}/programme/manage/rooms/{room.id}", data=form)
    db.session.refresh(room)
    assert room.name_translations == {"pt": "Sala Principal", "ru": "Главный зал"}
    track = translated.tracks[1]
    client.post(f"/events/{slug}/programme/manage/tracks/{track.id}",
                data={f"track{track.id}-name": track.name, f"track{track.id}-colour": "#1f6f43",
                      f"track{track.id}-name__ru": "Природные решения"})  # fmt: skip
    db.session.refresh(track)
    assert track.name_translations == {"ru": "Природные решения"}


def test_printable_programme_in_portuguese(client, translated):
    response = client.get(f"/events/{translated.event.slug}/programme.pdf?lang=pt")
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    assert PT_TITLE in text and TITLE not in text


def test_api_reads_and_writes_session_room_and_track_versions(client, translated):
    token = create_api_token(db.session, translated.organiser, "test")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    base = f"/api/v1/events/{translated.event.slug}"
    row = translated.sessions[TITLE]
    published = client.get(f"{base}/sessions?lang=pt", headers=headers).get_json()
    item = next(s for s in published if s["id"] == row.id)
    assert item["title"] == PT_TITLE and item["title_translations"]["ru"] == RU_TITLE
    changed = client.patch(f"{base}/sessions/{row.id}", headers=headers,
                           json={"title_translations": {"pt": "Casas quentes"}})  # fmt: skip
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["title_translations"] == {"pt": "Casas quentes"}
    assert changed.get_json()["description_translations"] == {"pt": "Sobre casas"}  # untouched
    wrong = client.patch(f"{base}/sessions/{row.id}", headers=headers,
                         json={"title_translations": {"klingon": "?"}})  # fmt: skip
    assert wrong.status_code == 422 and "klingon" in str(wrong.get_json())
    too_long = client.patch(f"{base}/sessions/{row.id}", headers=headers,
                            json={"title_translations": {"ru": "я" * 301}})  # fmt: skip
    assert too_long.status_code == 422
    room = client.post(f"{base}/rooms", headers=headers,
                       json={"name": "Sala 9", "name_translations": {"ru": "Зал 9"}})  # fmt: skip
    assert room.status_code == 201 and room.get_json()["name_translations"] == {"ru": "Зал 9"}
    tracks = client.get(f"{base}/tracks", headers=headers).get_json()
    assert {"pt": "Pobreza energética"} in [t["name_translations"] for t in tracks]


def test_promotion_mail_in_the_recipients_language(app, conf, factory):
    workshop = conf.add("Warm homes", at(9, 10), at(9, 11), capacity=1, signup_required=True,
                        title_translations={"ru": "Тёплые дома"})  # fmt: skip
    conf.rooms[0].name_translations = {"ru": "Зал 1"}
    versions.publish(db.session, conf.event)
    first = factory.registration(conf.event, name="First")
    reader = factory.user(name="Ольга")
    reader.locale = "ru"
    waiting = factory.registration(conf.event, user=reader)
    signups.sign_up(db.session, workshop, first)
    signups.sign_up(db.session, workshop, waiting)
    with app.test_request_context("/", headers={"Accept-Language": "en"}):  # the canceller's
        signups.cancel_signup(db.session, workshop, first)
    mail = db.session.execute(
        select(OutboundMail).where(OutboundMail.kind == "programme_signup_promoted")
    ).scalar_one()
    assert "Тёплые дома" in mail.subject and "Тёплые дома" in mail.text_body
    assert "Зал 1" in mail.text_body
