"""The door's records stay true after cancellations, undos and scans resent from a queue."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from eventsys.badges import services as badge_services
from eventsys.checkin import services
from eventsys.checkin.models import CheckIn
from eventsys.checkin.services import Outcome, checked_in_registration_ids
from eventsys.db import utcnow
from eventsys.extensions import db
from eventsys.registration import services as registration_services


def _scan(event, registration, nonce: str | None = None):
    code = badge_services.code_for(db.session, registration)
    return services.scan(db.session, event, code, nonce=nonce or uuid.uuid4().hex, staff_id=None)


def test_the_counter_leaves_out_check_ins_of_cancelled_registrations(event, people):
    came, left = people["latin"], next(r for k, r in people.items() if k != "latin")
    _scan(event, came)
    _scan(event, left)
    registration_services.cancel(db.session, left)
    counts = services.counts(db.session, event)
    assert counts.checked_in == 1
    assert counts.checked_in <= counts.confirmed
    assert sum(c.checked_in for c in counts.categories) == 1


def test_a_scan_resent_after_its_check_in_was_undone_says_so_and_admits_nobody(event, people):
    """The undo was a later decision of the staff: a resent copy of the earlier scan (from a
    device's offline queue) must not reverse it, nor claim the person is in. A new scan admits."""
    person = people["latin"]
    sent = uuid.uuid4().hex
    first = _scan(event, person, sent)
    services.undo(db.session, event, first.checkin.id, staff_id=None)
    resent = _scan(event, person, sent)
    assert resent.outcome == Outcome.UNDONE and resent.replayed and not resent.admitted
    assert checked_in_registration_ids(db.session, event.id) == set()
    assert _scan(event, person).admitted  # scanning the badge again is a new decision


def test_the_undone_answer_reaches_the_desk_and_the_api(
    client, login, staff, api_token, event, people
):
    person = people["latin"]
    sent = uuid.uuid4().hex
    first = _scan(event, person, sent)
    services.undo(db.session, event, first.checkin.id, staff_id=None)
    code = badge_services.code_for(db.session, person)
    db.session.commit()
    login(staff)
    page = client.post(f"/events/{event.slug}/checkin/scan", data={"code": code, "nonce": sent})
    assert page.status_code == 200
    assert "undone" in page.get_data(as_text=True) and "outcome-undone" in page.get_data(
        as_text=True
    )
    response = client.post(
        f"/api/v1/events/{event.slug}/checkins",
        json={"code": code, "nonce": sent},
        headers=api_token(staff),
    )
    assert response.get_json()["outcome"] == "undone"
    assert response.get_json()["admitted"] is False


def test_latest_check_ins_are_in_time_order_with_their_date(client, login, staff, event, people):
    first, second = list(people.values())[:2]
    late, early = _scan(event, first), _scan(event, second)
    # Scans from a device's offline queue arrive after later ones: the time decides the order.
    late.checkin.checked_in_at = utcnow() - timedelta(minutes=5)
    early.checkin.checked_in_at = utcnow() - timedelta(days=1, minutes=30)
    db.session.flush()
    assert [c.id for c in services.recent(db.session, event)] == [
        late.checkin.id,
        early.checkin.id,
    ]
    db.session.commit()
    login(staff)
    page = client.get(f"/events/{event.slug}/checkin/").get_data(as_text=True)
    latest = page[page.find("recent") :]
    assert latest.find(first.display_name) < latest.find(second.display_name)
    when = early.checkin.checked_in_at
    from eventsys.web.filters import local_date

    with client.application.test_request_context():
        assert local_date(when, event.timezone, "medium") in latest
    assert db.session.execute(select(CheckIn)).scalars().all()
