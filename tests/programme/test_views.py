"""Pages: the published timetable, the editor, sign-up buttons, PDFs, who may see what."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from eventsys.extensions import db
from eventsys.programme import services, versions
from eventsys.programme.models import ProgrammeSession, SignUp
from tests.programme.conftest import at, make_conf, signup_workshop


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def fill(conf, n: int) -> None:
    """n sessions over three days and three rooms, with speakers, tracks and sign-ups."""
    for i in range(n):
        day, slot, room = 9 + i % 3, (i // 3) % 4, (i // 12) % 3
        start = at(day, 9) + timedelta(hours=2 * slot)
        conf.add(
            f"Session {i}", start, start + timedelta(minutes=90), room=room,
            track_id=conf.tracks[i % 2].id, capacity=20, signup_required=i % 2 == 0,
            speakers=[services.SpeakerData(f"Speaker {i}")],
        )  # fmt: skip


def test_published_timetable_shows_the_day_grid_and_filters(client, conf):
    signup_workshop(conf, "Energy poverty in cities", at(9, 10), at(9, 11, 30), places=20)
    conf.add("Opening plenary", at(9, 9), at(9, 10), room=1, kind="plenary",
             track_id=conf.tracks[1].id)  # fmt: skip
    conf.add("Day two", at(10, 9), at(10, 10))
    versions.publish(db.session, conf.event)
    body = page(client.get(f"/events/{conf.event.slug}/programme/"))
    assert "Energy poverty in cities" in body and "Opening plenary" in body
    assert "Day two" not in body  # another day
    assert "20 places left" in body and "Version 1" in body
    body = page(client.get(f"/events/{conf.event.slug}/programme/?day=2024-10-10"))
    assert "Day two" in body
    filtered = page(client.get(f"/events/{conf.event.slug}/programme/?track={conf.tracks[1].id}"))
    assert "Opening plenary" in filtered and "Energy poverty in cities" not in filtered
    searched = page(client.get(f"/events/{conf.event.slug}/programme/?q=ENERGY&kind=workshop"))
    assert "Energy poverty in cities" in searched and "Opening plenary" not in searched


def test_own_time_zone_is_shown_beside_the_event_zone(client, conf):
    row = conf.add("Workshop", at(9, 10), at(9, 11))
    versions.publish(db.session, conf.event)
    body = page(client.get(f"/events/{conf.event.slug}/programme/?tz=America/Sao_Paulo&view=list"))
    assert "10:00" in body and "06:00" in body  # Lisbon UTC+1, São Paulo UTC-3
    remembered = page(client.get(f"/events/{conf.event.slug}/programme/sessions/{row.id}"))
    assert "06:00" in remembered and "your time" in remembered
    bad = page(client.get(f"/events/{conf.event.slug}/programme/?tz=Mars/Olympus"))
    assert "your time" not in bad
    assert "your time" not in page(client.get(f"/events/{conf.event.slug}/programme/"))


def test_unpublished_programme_and_unpublished_event(client, factory, conf):
    conf.add("Draft", at(9, 10), at(9, 11))
    body = page(client.get(f"/events/{conf.event.slug}/programme/"))
    assert "not published yet" in body and "Draft" not in body
    hidden = make_conf(factory, first_day=9, last_day=10)
    hidden.event.is_published = False
    db.session.flush()
    assert client.get(f"/events/{hidden.event.slug}/programme/").status_code == 404
    assert client.get(f"/events/{hidden.event.slug}/schedule.xml").status_code == 404


def test_event_page_links_to_the_programme(client, conf):
    body = page(client.get(f"/events/{conf.event.slug}/"))
    assert f"/events/{conf.event.slug}/programme/" in body


MANAGE_PAGES = ["", "/conflicts", "/rooms", "/tracks", "/sessions/new", "/publish"]


@pytest.mark.parametrize("suffix", MANAGE_PAGES)
def test_participants_never_reach_the_editor(app, client, login, conf, participant, suffix):
    url = f"/events/{conf.event.slug}/programme/manage{suffix}"
    login(participant[0])
    assert client.get(url).status_code == 403
    assert client.post(url, data={"title": "x"}).status_code in (403, 405)


def test_anonymous_visitors_are_sent_to_the_login(app, conf):
    anonymous = app.test_client()
    for suffix in MANAGE_PAGES:
        response = anonymous.get(f"/events/{conf.event.slug}/programme/manage{suffix}")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    agenda = anonymous.get(f"/events/{conf.event.slug}/programme/agenda")
    assert agenda.status_code == 302


def test_participant_cannot_touch_sessions_or_room_signs(client, login, conf, participant):
    row = conf.add("Workshop", at(9, 10), at(9, 11))
    login(participant[0])
    base = f"/events/{conf.event.slug}/programme/manage"
    targets = ("move", "delete", "cancel")
    urls = [f"{base}/sessions/{row.id}/{t}" for t in targets]
    for url in [*urls, f"{base}/rooms/{conf.rooms[0].id}/delete"]:
        assert client.post(url).status_code == 403
    assert client.get(f"{base}/room-signs.pdf").status_code == 403
    assert db.session.get(ProgrammeSession, row.id) is not None


def test_organiser_builds_and_publishes_without_javascript(client, login, conf):
    login(conf.organiser)
    base = f"/events/{conf.event.slug}/programme/manage"
    response = client.post(
        f"{base}/sessions/new",
        data={
            "title": "Data for municipal planning", "kind": "workshop", "day": "2024-10-10",
            "start": "14:00", "end": "15:30", "room_id": conf.rooms[1].id,
            "track_id": conf.tracks[0].id, "language": "pt", "capacity": "25",
            "signup_required": "y", "speakers": f"Olga <{conf.organiser.email}>\nJoão Externo",
        },
    )  # fmt: skip
    assert response.status_code == 302
    row = db.session.execute(select(ProgrammeSession)).scalars().all()[-1]
    assert (row.title, row.starts_at, row.room_id) == (
        "Data for municipal planning", at(10, 14), conf.rooms[1].id,
    )  # fmt: skip
    assert [(s.name, s.user_id) for s in row.speakers] == [
        ("Olga", conf.organiser.id), ("João Externo", None),
    ]  # fmt: skip
    grid = page(client.get(f"{base}?day=2024-10-10"))
    assert "Data for municipal planning" in grid and "tt-cell" in grid
    # An empty slot's link opens the form with its room and time filled in.
    cell = re.search(r'class="tt-cell[^"]*"[^>]*href="([^"]+)"[^>]*data-start="10:00"', grid)
    form = page(client.get(html.unescape(cell.group(1))))
    assert 'value="10:00"' in form and 'value="11:00"' in form
    assert f'<option selected value="{conf.rooms[0].id}">' in form
    edit = page(client.get(f"{base}/sessions/{row.id}"))
    assert f"Olga &lt;{conf.organiser.email}&gt;" in edit
    moved = client.post(
        f"{base}/sessions/{row.id}/move",
        data={"day": "2024-10-11", "start": "09:30", "room_id": conf.rooms[0].id},
    )
    assert moved.status_code == 302
    assert (row.starts_at, row.ends_at) == (at(11, 9, 30), at(11, 11))
    published = client.post(f"{base}/publish", data={"comment": "First programme"})
    assert published.status_code == 302
    assert "Data for municipal planning" in page(
        client.get(f"/events/{conf.event.slug}/programme/?day=2024-10-11")
    )


def test_bad_input_in_the_editor_is_a_message_not_a_500(client, login, conf):
    db.session.commit()  # the view rolls back its own failed work, not the setup
    login(conf.organiser)
    base = f"/events/{conf.event.slug}/programme/manage"
    body = page(
        client.post(
            f"{base}/sessions/new",
            data={
                "title": "Backwards",
                "kind": "workshop",
                "day": "2024-10-09",
                "start": "12:00",
                "end": "11:00",
                "room_id": conf.rooms[0].id,
                "language": "en",
            },
        )  # fmt: skip
    )
    assert "must end after it starts" in body
    body = page(
        client.post(
            f"{base}/sessions/new",
            data={
                "title": "Nowhere",
                "kind": "workshop",
                "day": "2024-10-09",
                "start": "12:00",
                "end": "13:00",
                "room_id": "999999",
                "language": "en",
            },
        )  # fmt: skip
    )
    assert "Not a valid choice" in body
    body = page(
        client.post(
            f"{base}/sessions/new",
            data={
                "title": "Unknown speaker",
                "kind": "panel",
                "day": "2024-10-09",
                "start": "12:00",
                "end": "13:00",
                "room_id": "0",
                "language": "en",
                "speakers": "Who <nobody@example.org>",
            },
        )  # fmt: skip
    )
    assert "No account has the e-mail nobody@example.org" in body
    rows = select(func.count(ProgrammeSession.id)).where(ProgrammeSession.event_id == conf.event.id)
    assert db.session.execute(rows).scalar_one() == 0


def test_drag_and_drop_move_answers_json_with_warnings(client, login, conf):
    a = conf.add("A", at(9, 10), at(9, 11))
    b = conf.add("B", at(9, 10), at(9, 11), room=1)
    db.session.commit()
    login(conf.organiser)
    url = f"/events/{conf.event.slug}/programme/manage/sessions/{b.id}/move"
    headers = {"Accept": "application/json"}
    data = {"day": "2024-10-09", "start": "10:30", "room_id": conf.rooms[0].id}
    answer = client.post(url, data=data, headers=headers)
    assert answer.status_code == 200
    assert answer.get_json()["warnings"] == ["Sala 1 is used twice at once"]
    assert b.room_id == a.room_id and b.starts_at == at(9, 10, 30)
    conflicts = page(client.get(f"/events/{conf.event.slug}/programme/manage/conflicts"))
    assert "Room used twice" in conflicts
    bad = client.post(url, data={"day": "2030-01-01", "start": "10:00"}, headers=headers)
    assert bad.status_code == 422 and bad.get_json()["error"]["message"]


def test_sign_up_star_and_agenda_through_the_pages(client, login, conf, participant):
    user, _registration = participant
    first = signup_workshop(conf, "Nature-based solutions", at(9, 10), at(9, 11), places=1)
    clash = signup_workshop(conf, "Energy poverty", at(9, 10), at(9, 11), places=5, room=1)
    versions.publish(db.session, conf.event)
    db.session.commit()
    login(user)
    base = f"/events/{conf.event.slug}/programme/sessions"
    assert "Sign up" in page(client.get(f"{base}/{first.id}"))
    client.post(f"{base}/{first.id}/signup")
    assert "You have a place" in page(client.get(f"{base}/{first.id}"))
    body = page(client.post(f"{base}/{clash.id}/signup", follow_redirects=True))
    assert "at the same time" in body
    client.post(f"{base}/{clash.id}/star", data={"starred": "1"})
    agenda = page(client.get(f"/events/{conf.event.slug}/programme/agenda"))
    assert "Nature-based solutions" in agenda and "Energy poverty" in agenda
    assert "starred" in agenda and "signed up" in agenda
    client.post(f"{base}/{first.id}/signup/cancel")
    mine = select(func.count(SignUp.id)).where(SignUp.registration_id == _registration.id)
    assert db.session.execute(mine).scalar_one() == 0


def test_someone_not_registered_is_told_to_register(client, login, conf, factory):
    row = signup_workshop(conf, "Workshop", at(9, 10), at(9, 11), places=5)
    versions.publish(db.session, conf.event)
    stranger = factory.user()
    db.session.commit()
    login(stranger)
    base = f"/events/{conf.event.slug}/programme/sessions/{row.id}"
    assert "Confirmed participants of the event can sign up" in page(client.get(base))
    body = page(client.post(f"{base}/signup", follow_redirects=True))
    assert "Register for the event first" in body


def test_changed_marks_since_the_version_last_seen(client, login, conf, participant):
    user, _registration = participant
    row = conf.add("Moving workshop", at(9, 10), at(9, 11))
    versions.publish(db.session, conf.event)
    login(user)
    page(client.get(f"/events/{conf.event.slug}/programme/"))  # the first visit: the baseline
    services.move_session(db.session, conf.event, row, room_id=row.room_id, starts_at=at(9, 14))
    versions.publish(db.session, conf.event)
    body = page(client.get(f"/events/{conf.event.slug}/programme/"))
    assert "1 session changed" in body and 'class="mark moved"' in body
    assert 'class="mark moved"' in page(client.get(f"/events/{conf.event.slug}/programme/"))
    client.post(f"/events/{conf.event.slug}/programme/seen")
    assert 'class="mark moved"' not in page(client.get(f"/events/{conf.event.slug}/programme/"))
    log = page(client.get(f"/events/{conf.event.slug}/programme/changes"))
    assert "Version 2" in log and "Moving workshop" in log


def test_printable_programme_has_one_page_per_day_and_room_signs(client, login, conf):
    fill(conf, 12)
    versions.publish(db.session, conf.event)
    login(conf.organiser)
    response = client.get(f"/events/{conf.event.slug}/programme.pdf")
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 3
    assert "Session 0" in reader.pages[0].extract_text()
    signs = client.get(f"/events/{conf.event.slug}/programme/manage/room-signs.pdf")
    # fill() put the twelve sessions in the first room: one sign for each of its three days.
    pages = PdfReader(io.BytesIO(signs.data)).pages
    assert len(pages) == 3
    assert "Sala 1" in pages[0].extract_text() and "Session 0" in pages[0].extract_text()


def client_for(app, user):
    """A client of this person. Requests share the test's app context, so `g` (and the user
    Flask-Login caches in it) outlives a request: forget it when the person changes."""
    from flask import g

    g.pop("_login_user", None)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user.get_id(), True
    return client


def test_timetable_and_editor_queries_do_not_grow_with_the_programme(app, factory, count_queries):
    small, large = (
        make_conf(factory, first_day=9, last_day=11),
        make_conf(factory, first_day=9, last_day=11),
    )
    fill(small, 6)
    fill(large, 60)
    counts = {}
    for name, conf in (("small", small), ("large", large)):
        versions.publish(db.session, conf.event)
        client = client_for(app, conf.organiser)
        for view in ("programme/", "programme/manage"):
            url = f"/events/{conf.event.slug}/{view}"
            client.get(url)  # warm up the login and caches
            with count_queries() as counter:
                page(client.get(url))
            counts[(name, view)] = counter.count
    assert counts[("small", "programme/")] == counts[("large", "programme/")]
    assert counts[("small", "programme/manage")] == counts[("large", "programme/manage")]


def test_every_programme_view_carries_an_access_rule(app):
    from eventsys.web.access import rule_of

    endpoints = [e for e in app.view_functions if e.startswith(("programme.", "api_programme."))]
    assert len(endpoints) > 30
    missing = [e for e in endpoints if rule_of(app.view_functions[e]) is None]
    assert missing == []
    editor = [e for e in endpoints if "manage" in str(app.url_map._rules_by_endpoint[e][0])]
    assert editor and {rule_of(app.view_functions[e]) for e in editor} == {"event:organiser"}


def test_an_unknown_time_zone_typed_by_the_reader_is_explained(client, conf):
    versions.publish(db.session, conf.event)
    db.session.commit()
    url = f"/events/{conf.event.slug}/programme/"
    page = client.get(url, query_string={"tz": "Europe/Atlantis"}).get_data(as_text=True)
    assert "“Europe/Atlantis” is not a time zone we know" in page
    assert 'aria-invalid="true"' in page and 'value="Europe/Atlantis"' in page
    good = client.get(url, query_string={"tz": "America/Sao_Paulo"}).get_data(as_text=True)
    assert "is not a time zone we know" not in good
