"""The agenda and its lists of speakers (issue 15, during the meeting): the rules as plain
service calls, then the pages, the API and the live state."""

from __future__ import annotations

import pytest

from eventsys.accounts.services import create_api_token
from eventsys.assembly import services
from eventsys.assembly.agenda import services as agenda
from eventsys.assembly.agenda.models import ItemState
from eventsys.errors import Conflict, Forbidden, NotFound, ServiceError
from eventsys.extensions import db
from tests.assembly.conftest import open_motion_poll


def _item(hall, title="Report of the board", **kwargs):
    return agenda.create_item(db.session, hall.assembly, kind="report", title=title, **kwargs)


def test_items_are_added_in_order_moved_and_opened_one_at_a_time(hall):
    first, second = _item(hall), _item(hall, "Budget 2025")
    assert (first.position, second.position) == (1, 2)
    agenda.move_item(db.session, second, -1)
    assert [i.title for i in agenda.agenda_items(db.session, hall.assembly)] == [
        "Budget 2025",
        "Report of the board",
    ]
    agenda.move_item(db.session, second, -1)  # at the top already: nothing moves
    assert second.position == 1
    agenda.open_item(db.session, first)
    agenda.open_item(db.session, second)
    assert first.state == ItemState.CLOSED and second.state == ItemState.OPEN
    assert agenda.current_item(db.session, hall.assembly.id) is second
    agenda.close_item(db.session, second)
    assert agenda.current_item(db.session, hall.assembly.id) is None
    with pytest.raises(Conflict):
        agenda.close_item(db.session, second)


def test_an_item_takes_its_title_from_its_motion_and_refuses_bad_input(hall, factory):
    motion = services.create_motion(db.session, hall.assembly, kind="resolution", title="Adopt X")
    item = agenda.create_item(db.session, hall.assembly, kind="motion", motion_id=motion.id)
    assert item.title == "Adopt X" and item.motion is motion
    with pytest.raises(ServiceError):
        agenda.create_item(db.session, hall.assembly, kind="party", title="x")
    with pytest.raises(ServiceError):
        agenda.create_item(db.session, hall.assembly, kind="other", title=" ")
    with pytest.raises(ServiceError):
        agenda.create_item(db.session, hall.assembly, kind="other", title="x", speaking_seconds=-1)
    with pytest.raises(NotFound):
        agenda.create_item(db.session, hall.assembly, kind="motion", motion_id=10**6)
    other = factory.event(organiser=hall.organiser, title="Another")
    with pytest.raises(NotFound):
        agenda.item_of(db.session, hall.assembly, 10**6)
    assert other.id != hall.event.id


def test_speakers_ask_once_in_order_and_withdraw(hall, factory):
    item = _item(hall)
    agenda.open_item(db.session, item)
    one, two, three = (agenda.ask_to_speak(db.session, item, u.id) for u in hall.delegates[:3])
    assert [s.id for s in agenda.waiting(item)] == [one.id, two.id, three.id]
    with pytest.raises(Conflict):  # no double request
        agenda.ask_to_speak(db.session, item, hall.delegates[0].id)
    agenda.withdraw(db.session, item, hall.delegates[1].id)
    assert [s.id for s in agenda.waiting(item)] == [one.id, three.id]
    with pytest.raises(NotFound):
        agenda.withdraw(db.session, item, hall.delegates[1].id)
    stranger = factory.user(name="Not Registered")
    with pytest.raises(Forbidden):
        agenda.ask_to_speak(db.session, item, stranger.id)
    with pytest.raises(Forbidden):
        agenda.ask_to_speak(db.session, item, None)


def test_the_chair_orders_starts_and_stops_and_the_time_is_recorded(hall):
    item = _item(hall, speaking_seconds=120)
    one, two = (agenda.ask_to_speak(db.session, item, u.id) for u in hall.delegates[:2])
    with pytest.raises(Conflict):  # the floor is given on the open item only
        agenda.start_speaker(db.session, one)
    agenda.open_item(db.session, item)
    agenda.move_speaker(db.session, two, -1)
    assert agenda.waiting(item) == [two, one]
    agenda.start_speaker(db.session, two)
    assert agenda.speaking(item) is two
    agenda.start_speaker(db.session, one)  # the next speaker: the first one stops
    assert two.ended_at is not None and agenda.speaking(item) is one
    with pytest.raises(Conflict):
        agenda.remove_speaker(db.session, two)  # a speech given stays in the record
    agenda.stop_speaker(db.session, item)
    assert [s.id for s in agenda.spoken(item)] == [two.id, one.id]
    assert all(s.seconds is not None and s.seconds >= 0 for s in agenda.spoken(item))
    with pytest.raises(Conflict):
        agenda.stop_speaker(db.session, item)
    # Once spoken, one may ask again.
    again = agenda.ask_to_speak(db.session, item, hall.delegates[1].id)
    assert agenda.waiting(item) == [again]


def test_a_closed_list_or_item_takes_no_requests_but_the_chair_can_add(hall):
    item = _item(hall)
    agenda.open_item(db.session, item)
    agenda.set_speakers_closed(db.session, item, True)
    with pytest.raises(Conflict):
        agenda.ask_to_speak(db.session, item, hall.delegates[0].id)
    agenda.add_speaker(db.session, item, hall.registrations[0])
    agenda.close_item(db.session, item)
    with pytest.raises(Conflict):
        agenda.add_speaker(db.session, item, hall.registrations[1])


# --- Pages ---------------------------------------------------------------------------------


def test_the_chair_builds_the_agenda_and_runs_the_list_on_the_desk(client, login, hall):
    slug = hall.event.slug
    login(hall.organiser)
    page = client.get(f"/events/{slug}/assembly/manage/agenda")
    assert page.status_code == 200
    added = client.post(
        f"/events/{slug}/assembly/manage/agenda",
        data={"item-kind": "report", "item-title": "Report of the treasurer",
              "item-speaking_seconds": "90", "item-motion_id": "", "item-application_id": ""},
    )  # fmt: skip
    assert added.status_code == 302
    item = agenda.agenda_items(db.session, hall.assembly)[0]
    assert item.title == "Report of the treasurer" and item.speaking_seconds == 90
    assert client.post(f"/events/{slug}/assembly/manage/agenda/{item.id}/open").status_code == 302
    email = hall.registrations[2].email
    client.post(f"/events/{slug}/assembly/manage/agenda/{item.id}/speakers",
                data={"speaker-email": email})  # fmt: skip
    speaker = agenda.waiting(item)[0]
    client.post(f"/events/{slug}/assembly/manage/agenda/{item.id}/speakers/{speaker.id}/start")
    db.session.refresh(speaker)
    assert speaker.begun_at is not None
    projector = client.get(f"/events/{slug}/assembly/projector").get_data(as_text=True)
    assert (
        "Report of the treasurer" in projector and hall.registrations[2].display_name in projector
    )
    assert 'data-timer-limit="90"' in projector and "assembly/timer.js" in projector
    bad = client.post(
        f"/events/{slug}/assembly/manage/agenda",
        data={"item-kind": "report", "item-title": "", "item-speaking_seconds": "5"},
    )
    assert bad.status_code == 200  # refused with a message, nothing added
    assert "An agenda item needs a title." in bad.get_data(as_text=True)
    assert len(agenda.agenda_items(db.session, hall.assembly)) == 1
    assert client.post(f"/events/{slug}/assembly/manage/agenda/999999/open").status_code == 404


def test_only_organisers_reach_the_agenda_desk(client, login, hall):
    slug = hall.event.slug
    item = _item(hall)
    db.session.commit()
    for url in (f"/events/{slug}/assembly/manage/agenda",):
        assert client.get(url).status_code in (302, 401)
    login(hall.delegates[0])
    assert client.get(f"/events/{slug}/assembly/manage/agenda").status_code == 403
    for action in ("open", "close", "up", "lock"):
        url = f"/events/{slug}/assembly/manage/agenda/{item.id}/{action}"
        assert client.post(url).status_code == 403
    assert client.post(f"/events/{slug}/assembly/manage/agenda/remote-quorum").status_code == 403
    # Only the chair orders, starts and stops speakers, or adds one.
    speaker = agenda.ask_to_speak(db.session, item, hall.delegates[0].id)
    db.session.commit()
    base = f"/events/{slug}/assembly/manage/agenda/{item.id}"
    for action in ("start", "up", "down", "remove"):
        assert client.post(f"{base}/speakers/{speaker.id}/{action}").status_code == 403
    assert client.post(f"{base}/stop").status_code == 403
    assert (
        client.post(f"{base}/speakers", data={"speaker-email": "x@example.org"}).status_code == 403
    )


def test_a_delegate_asks_to_speak_and_withdraws_from_the_phone(client, login, hall, factory):
    slug = hall.event.slug
    item = _item(hall)
    agenda.open_item(db.session, item)
    db.session.commit()
    login(hall.delegates[0])
    page = client.get(f"/events/{slug}/assembly/vote").get_data(as_text=True)
    assert "Ask to speak" in page and "Report of the board" in page
    client.post(f"/events/{slug}/assembly/agenda/{item.id}/speak")
    page = client.get(f"/events/{slug}/assembly/vote").get_data(as_text=True)
    assert "You are number 1 on the list of speakers." in page
    again = client.post(f"/events/{slug}/assembly/agenda/{item.id}/speak", follow_redirects=True)
    assert "on the list already" in again.get_data(as_text=True)
    client.post(f"/events/{slug}/assembly/agenda/{item.id}/withdraw")
    db.session.expire_all()
    assert agenda.waiting(item) == []
    login(factory.user(name="Walk In"))
    refused = client.post(f"/events/{slug}/assembly/agenda/{item.id}/speak", follow_redirects=True)
    assert "Only people registered" in refused.get_data(as_text=True)


def test_the_agenda_api_lists_items_documents_and_speakers(client, hall, factory):
    item = _item(hall)
    agenda.open_item(db.session, item)
    agenda.ask_to_speak(db.session, item, hall.delegates[0].id)
    token = create_api_token(db.session, hall.delegates[1])
    db.session.commit()
    url = f"/api/v1/events/{hall.event.slug}/assembly/agenda"
    assert client.get(url).status_code == 401
    answer = client.get(url, headers={"Authorization": "Bearer " + token})
    assert answer.status_code == 200
    (body,) = answer.json
    assert body["title"] == "Report of the board" and body["state"] == "open"
    assert body["speakers"][0]["state"] == "waiting" and body["documents"] == []
    assert (
        client.get(
            "/api/v1/events/nope/assembly/agenda", headers={"Authorization": "Bearer " + token}
        ).status_code
        == 404
    )
    spec = client.get("/api/v1/openapi.json").json
    assert any(path.endswith("/assembly/agenda") for path in spec["paths"])


def test_the_live_state_carries_the_agenda_and_answers_304_when_unchanged(client, hall):
    url = f"/events/{hall.event.slug}/assembly/state"
    before = client.get(url)
    assert before.json["item"] is None and before.headers.get("ETag")
    unchanged = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert unchanged.status_code == 304
    item = _item(hall)
    agenda.open_item(db.session, item)
    db.session.commit()
    opened = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert opened.status_code == 200 and opened.json["item"]["title"] == "Report of the board"
    assert opened.json["polls"] != before.json["polls"]  # the ballot page reloads too
    agenda.ask_to_speak(db.session, item, hall.delegates[0].id)
    db.session.commit()
    asked = client.get(url).json
    assert asked["polls"] != opened.json["polls"]
    assert [s["state"] for s in asked["speakers"]] == ["waiting"]
    open_motion_poll(hall)
    db.session.commit()
    assert client.get(url).json["polls"] != asked["polls"]
    agenda.close_item(db.session, item)
    db.session.commit()
    assert client.get(url).json["item"] is None


def test_the_desks_poll_the_same_live_state_and_show_a_notice(client, login, hall):
    """One mechanism for the ballot, the projector and the chair's desks: the same endpoint and
    script; the desks, which hold forms, show a notice instead of reloading under the chair."""
    state = client.get(f"/events/{hall.event.slug}/assembly/state").json
    login(hall.organiser)
    for path in ("manage", "manage/agenda"):
        page = client.get(f"/events/{hall.event.slug}/assembly/{path}").get_data(as_text=True)
        assert 'src="/static/assembly/live.js"' in page
        assert f'data-live-version="{state["polls"]}"' in page and "data-live-keep" in page


def test_a_persons_speeches_are_in_their_data_download(hall):
    from eventsys.assembly.privacy import export_assembly

    item = _item(hall)
    agenda.open_item(db.session, item)
    agenda.start_speaker(db.session, agenda.ask_to_speak(db.session, item, hall.delegates[0].id))
    (speech,) = export_assembly(db.session, hall.delegates[0])["speeches"]
    assert speech["item"] == "Report of the board" and speech["begun_at"] is not None
    assert export_assembly(db.session, hall.delegates[1])["speeches"] == []


def test_the_chair_attaches_pdfs_and_only_delegates_and_organisers_read_them(
    app, client, login, hall, factory
):
    import io

    from tests.assembly.conftest import PDF

    slug = hall.event.slug
    item = _item(hall)
    db.session.commit()
    login(hall.organiser)
    url = f"/events/{slug}/assembly/manage/agenda/{item.id}/documents"
    not_pdf = client.post(
        url,
        data={"file": (io.BytesIO(b"hello"), "report.txt")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "is not a PDF document" in not_pdf.get_data(as_text=True)
    client.post(
        url,
        data={"file": (io.BytesIO(PDF), "board-report.pdf")},
        content_type="multipart/form-data",
    )
    db.session.expire_all()
    (document,) = item.own_documents
    assert document.filename == "board-report.pdf" and len(document.sha256) == 64
    read = f"/events/{slug}/assembly/agenda/{item.id}/documents/{document.id}"
    assert client.get(read).data == PDF
    login(hall.delegates[0])
    assert client.get(read).status_code == 200
    assert client.post(url, data={}).status_code == 403  # delegates do not upload
    assert (
        client.get(f"/events/{slug}/assembly/agenda/{item.id}/documents/999999").status_code == 404
    )
    login(factory.user(name="Curious"))
    assert client.get(read).status_code == 403
    token = create_api_token(db.session, hall.delegates[1])
    db.session.commit()
    (body,) = client.get(
        f"/api/v1/events/{slug}/assembly/agenda", headers={"Authorization": "Bearer " + token}
    ).json
    assert body["documents"][0]["filename"] == "board-report.pdf"


def test_the_agenda_desk_takes_as_many_queries_for_8_items_as_for_2(
    client, login, hall, factory, count_queries
):
    """Each item's speakers and documents were loaded item by item: the desk was the page with
    the most queries in bench/pages.py (39 for the demo's agenda)."""
    login(hall.organiser)
    url = f"/events/{hall.event.slug}/assembly/manage/agenda"

    def add_items(count: int) -> None:
        for n in range(count):
            item = _item(hall, f"Item {n}")
            agenda.add_speaker(db.session, item, factory.registration(hall.event))
        db.session.commit()

    def queries() -> int:
        client.get(url)  # warm
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    add_items(2)
    few = queries()
    add_items(6)
    assert queries() == few
