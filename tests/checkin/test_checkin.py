"""The door: every kind of scan gets a clear answer, and only a valid one changes anything."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select

from eventsys.badges import services as badge_services
from eventsys.checkin import services
from eventsys.checkin.models import CheckIn
from eventsys.checkin.services import checked_in_registration_ids
from eventsys.extensions import db
from eventsys.registration import services as registration_services


def nonce() -> str:
    return uuid.uuid4().hex


def checkins() -> int:
    return db.session.execute(select(func.count()).select_from(CheckIn)).scalar_one()


def scan(client, event, code, n=None, **extra):
    return client.post(
        f"/events/{event.slug}/checkin/scan",
        json={"code": code, "nonce": n or nonce(), **extra},
        headers={"Accept": "application/json"},
    )


def test_a_valid_badge_checks_in_with_name_and_category(client, login, staff, event, people):
    code = badge_services.code_for(db.session, people["cyrillic"])
    db.session.commit()
    login(staff)
    answer = scan(client, event, code).get_json()
    assert answer["outcome"] == "checked_in" and answer["admitted"]
    assert "Алексей Петров" in answer["html"] and "Delegate of a member" in answer["html"]
    assert checked_in_registration_ids(db.session, event.id) == {people["cyrillic"].id}
    assert answer["checked_in"] == 1


def test_a_second_scan_says_when_and_by_whom(client, login, staff, event, people):
    code = badge_services.code_for(db.session, people["latin"])
    db.session.commit()
    login(staff)
    scan(client, event, code)
    answer = scan(client, event, code).get_json()
    assert answer["outcome"] == "already_checked_in" and not answer["admitted"]
    assert "Carla Checkin" in answer["html"]
    assert checkins() == 1


def test_a_resent_scan_with_the_same_nonce_is_not_a_second_check_in(
    client, login, staff, event, people
):
    code = badge_services.code_for(db.session, people["latin"])
    db.session.commit()
    login(staff)
    same = nonce()
    first = scan(client, event, code, same).get_json()
    again = scan(client, event, code, same).get_json()
    assert first["outcome"] == again["outcome"] == "checked_in"
    assert again["replayed"] and checkins() == 1


@pytest.mark.parametrize(
    "mangle, outcome",
    [
        (lambda code: code[:-1] + ("A" if code[-1] != "A" else "B"), "unknown_code"),  # forged
        (lambda code: code[:20], "unknown_code"),  # truncated
        (lambda code: "", "empty"),
        (lambda code: "   ", "empty"),
        (lambda code: "https://evil.example/?x=" + code, "unknown_code"),
        (lambda code: "Ə" * 500, "unknown_code"),
    ],
)
def test_bad_codes_get_a_clear_answer_and_change_nothing(
    client, login, staff, event, people, mangle, outcome
):
    code = badge_services.code_for(db.session, people["latin"])
    db.session.commit()
    login(staff)
    answer = scan(client, event, mangle(code)).get_json()
    assert answer["outcome"] == outcome and not answer["admitted"]
    assert checkins() == 0


def test_a_badge_of_another_event_is_refused(client, login, staff, factory, event, people):
    other = factory.event(title="Baku South-South")
    stranger = factory.registration(other, name="Leyla Qasımova")
    code = badge_services.code_for(db.session, stranger)
    db.session.commit()
    login(staff)
    answer = scan(client, event, code).get_json()
    assert answer["outcome"] == "wrong_event" and "Baku South-South" in answer["html"]
    assert "Leyla" not in answer["html"]
    assert checkins() == 0


def test_cancelled_and_unconfirmed_registrations_are_not_admitted(
    client, login, staff, factory, event, people
):
    code = badge_services.code_for(db.session, people["latin"])
    registration_services.cancel(db.session, people["latin"])
    waiting = factory.registration(event, name="Pedro Espera")
    waiting.status = registration_services.Status.PENDING
    waiting_code = badge_services.code_for(db.session, waiting)
    db.session.commit()
    login(staff)
    assert scan(client, event, code).get_json()["outcome"] == "cancelled"
    assert scan(client, event, waiting_code).get_json()["outcome"] == "not_confirmed"
    assert checkins() == 0


def test_a_reissued_badge_revokes_the_old_code(client, login, staff, event, people):
    old = badge_services.code_for(db.session, people["latin"])
    new = badge_services.reissue_code(db.session, people["latin"])
    db.session.commit()
    assert old != new
    login(staff)
    assert scan(client, event, old).get_json()["outcome"] == "unknown_code"
    assert scan(client, event, new).get_json()["outcome"] == "checked_in"


def test_without_javascript_the_form_answers_on_the_page(client, login, staff, event, people):
    code = badge_services.code_for(db.session, people["arabic"])
    db.session.commit()
    login(staff)
    page = client.get(f"/events/{event.slug}/checkin/").get_data(as_text=True)
    assert 'name="nonce"' in page and "autofocus" in page
    response = client.post(
        f"/events/{event.slug}/checkin/scan", data={"code": code, "nonce": nonce()}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "outcome-checked_in" in html and "محمد عبد الله" in html


def test_a_scan_without_a_device_nonce_is_refused(client, login, staff, event, people):
    code = badge_services.code_for(db.session, people["latin"])
    db.session.commit()
    login(staff)
    response = scan(client, event, code, n="x")
    assert response.status_code == 422 and checkins() == 0


def test_search_ignores_case_and_accents_and_checks_in_by_hand(client, login, staff, event, people):
    login(staff)
    page = client.get(f"/events/{event.slug}/checkin/?q=алексей").get_data(as_text=True)
    assert "Алексей Петров" in page
    page = client.get(f"/events/{event.slug}/checkin/?q=conceicao").get_data(as_text=True)
    assert "Ana Conceição Simões" in page and "Алексей" not in page
    response = client.post(
        f"/events/{event.slug}/checkin/manual",
        data={"registration_id": people["latin"].id, "nonce": nonce()},
    )
    assert "outcome-checked_in" in response.get_data(as_text=True)
    row = db.session.execute(select(CheckIn)).scalar_one()
    assert row.method == "manual" and row.staff_user_id == staff.id


def test_manual_check_in_of_someone_from_another_event_is_refused(
    client, login, staff, factory, event, people
):
    other = factory.event()
    stranger = factory.registration(other)
    db.session.commit()
    login(staff)
    response = client.post(
        f"/events/{event.slug}/checkin/manual",
        data={"registration_id": stranger.id, "nonce": nonce()},
    )
    assert response.status_code == 422
    assert "no such registration" in response.get_data(as_text=True)
    assert checkins() == 0


def test_undo_then_check_in_again(client, login, staff, event, people):
    code = badge_services.code_for(db.session, people["latin"])
    db.session.commit()
    login(staff)
    scan(client, event, code)
    first = db.session.execute(select(CheckIn)).scalar_one()
    response = client.post(f"/events/{event.slug}/checkin/{first.id}/undo")
    assert response.status_code == 302
    assert checked_in_registration_ids(db.session, event.id) == set()
    again = client.post(f"/events/{event.slug}/checkin/{first.id}/undo", follow_redirects=True)
    assert "already undone" in again.get_data(as_text=True)
    assert scan(client, event, code).get_json()["outcome"] == "checked_in"
    assert checked_in_registration_ids(db.session, event.id) == {people["latin"].id}


def test_counts_by_category_for_organisers_only(
    client, login, organiser, staff, factory, event, people
):
    factory.registration(event, name="Zoe Press", category="press")
    services.scan(
        db.session,
        event,
        badge_services.code_for(db.session, people["latin"]),
        nonce=nonce(),
        staff_id=None,
    )
    db.session.commit()
    counts = services.counts(db.session, event)
    by_code = {c.code: (c.checked_in, c.confirmed) for c in counts.categories}
    assert by_code["delegate"] == (1, 6) and by_code["press"] == (0, 1)
    assert (counts.checked_in, counts.confirmed) == (1, 7)
    login(staff)
    assert client.get(f"/events/{event.slug}/checkin/counts").status_code == 403
    login(organiser)
    page = client.get(f"/events/{event.slug}/checkin/counts").get_data(as_text=True)
    assert "1 / 7" in page and "Press" in page, page[page.find("<main") :]


def test_participants_cannot_reach_the_desk(client, login, factory, event, people):
    login(factory.user())
    assert client.get(f"/events/{event.slug}/checkin/").status_code == 403
    assert scan(client, event, "EB1").status_code == 403
    assert client.post(f"/events/{event.slug}/checkin/1/undo").status_code == 403
    assert checkins() == 0


def test_staff_of_one_event_cannot_check_in_at_another(client, login, staff, factory, people):
    other = factory.event()
    db.session.commit()
    login(staff)
    assert client.get(f"/events/{other.slug}/checkin/").status_code == 403


def test_two_devices_scanning_one_badge_at_once_record_one_check_in(app, committed_db, factory):
    event = factory.event()
    person = factory.registration(event, name="Simultânea Silva")
    code = badge_services.code_for(db.session, person)
    db.session.commit()
    event_id = event.id
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def device() -> None:
        with app.app_context():
            from eventsys.events.models import Event

            local_event = db.session.get(Event, event_id)
            barrier.wait()
            result = services.scan(db.session, local_event, code, nonce=nonce(), staff_id=None)
            db.session.commit()
            outcomes.append(result.outcome.value)
            db.session.remove()

    threads = [threading.Thread(target=device) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_checked_in"] * 3 + ["checked_in"]
    rows = db.session.execute(select(CheckIn).where(CheckIn.event_id == event_id)).scalars().all()
    assert len(rows) == 1


def test_one_scan_resent_at_once_counts_once(app, committed_db, factory):
    event = factory.event()
    person = factory.registration(event)
    code = badge_services.code_for(db.session, person)
    db.session.commit()
    event_id, same = event.id, nonce()
    barrier = threading.Barrier(3)
    outcomes: list[tuple[str, bool]] = []

    def resend() -> None:
        with app.app_context():
            from eventsys.events.models import Event

            local_event = db.session.get(Event, event_id)
            barrier.wait()
            result = services.scan(db.session, local_event, code, nonce=same, staff_id=None)
            db.session.commit()
            outcomes.append((result.outcome.value, result.replayed))
            db.session.remove()

    threads = [threading.Thread(target=resend) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [o for o, _ in outcomes] == ["checked_in"] * 3
    assert sum(1 for _, replayed in outcomes if not replayed) == 1
    assert len(db.session.execute(select(CheckIn)).scalars().all()) == 1


def test_a_nonce_from_another_event_is_refused(staff, factory, event, people):
    other = factory.event()
    stranger = factory.registration(other)
    used = nonce()
    services.scan(
        db.session, other, badge_services.code_for(db.session, stranger), nonce=used, staff_id=None
    )
    code = badge_services.code_for(db.session, people["latin"])
    with pytest.raises(services.Conflict):
        services.scan(db.session, event, code, nonce=used, staff_id=None)
    assert checked_in_registration_ids(db.session, event.id) == set()
