"""Unconfirmed guests hold a place only for a while; guest registration is rate-limited
(issue 10 §7: 300 anonymous registrations from one address took 100 confirmed places)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from eventsys.db import utcnow
from eventsys.extensions import db
from eventsys.registration import guests, jobs
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration
from tests.mail.outbox import written


def _guest(factory, event, n):
    """A guest registered through the public form's rules: no account, address unconfirmed."""
    return factory.registration(event, email=f"guest{n}@example.org", organiser=False)


def _back_in_time(minutes: int) -> None:
    """Time travel: every registration so far was made (and confirmed) `minutes` earlier."""
    for row in db.session.scalars(select(Registration)):
        row.created_at -= timedelta(minutes=minutes)
        if row.confirmed_at is not None:
            row.confirmed_at -= timedelta(minutes=minutes)
    db.session.commit()


def _statuses(event):
    db.session.expire_all()
    return [
        r.status
        for r in db.session.scalars(
            select(Registration).where(Registration.event_id == event.id).order_by(Registration.id)
        )
    ]


def test_a_fresh_unconfirmed_guest_keeps_the_place(factory):
    event = factory.event(capacity=2)
    first = _guest(factory, event, 1)
    assert first.status == Status.CONFIRMED and first.email_confirmed_at is None
    released = guests.release_overdue_holds(db.session, event, now=utcnow() + timedelta(minutes=29))
    assert released == []
    assert _statuses(event) == [Status.CONFIRMED]


def test_after_the_hold_the_place_goes_to_the_waiting_list(factory):
    event = factory.event(capacity=2)
    unconfirmed = [_guest(factory, event, n) for n in range(2)]
    waiting = factory.registration(event, email="waiting@example.org")  # confirmed address
    assert waiting.status == Status.WAITLISTED
    assert [r.status for r in unconfirmed] == [Status.CONFIRMED, Status.CONFIRMED]

    released = guests.release_overdue_holds(db.session, event, now=utcnow() + timedelta(minutes=31))

    assert {r.id for r in released} == {r.id for r in unconfirmed}
    assert _statuses(event) == [Status.CANCELLED, Status.CANCELLED, Status.CONFIRMED]


def test_confirmed_guests_and_account_holders_are_never_released(factory):
    event = factory.event(capacity=5)
    opened_link = _guest(factory, event, 1)
    opened_link.email_confirmed_at = utcnow()
    member = factory.user()
    own = factory.registration(event, user=member, organiser=False)
    by_organiser = factory.registration(event, email="added@example.org")
    released = guests.release_overdue_holds(db.session, event, now=utcnow() + timedelta(days=3))
    assert released == []
    assert {opened_link.status, own.status, by_organiser.status} == {Status.CONFIRMED}


def test_a_guest_promoted_from_the_waiting_list_gets_a_hold_of_their_own(factory):
    event = factory.event(capacity=1)
    holder = factory.registration(event, email="holder@example.org")
    waiting_guest = _guest(factory, event, 1)
    assert waiting_guest.status == Status.WAITLISTED
    _back_in_time(300)  # registered long ago, promoted only now
    from eventsys.registration.services import cancel

    cancel(db.session, holder)
    assert waiting_guest.status == Status.CONFIRMED
    assert guests.release_overdue_holds(db.session, event) == []
    later = utcnow() + timedelta(minutes=31)
    assert guests.release_overdue_holds(db.session, event, now=later) == [waiting_guest]


def test_the_hold_time_is_configurable(app, factory):
    event = factory.event(capacity=2)
    _guest(factory, event, 1)
    app.config["GUEST_HOLD_MINUTES"] = 5
    try:
        soon = utcnow() + timedelta(minutes=6)
        assert len(guests.release_overdue_holds(db.session, event, now=soon)) == 1
    finally:
        app.config["GUEST_HOLD_MINUTES"] = 30


def test_the_periodic_task_sweeps_every_event(factory):
    events = [factory.event(capacity=1) for _ in range(2)]
    for n, event in enumerate(events):
        _guest(factory, event, n)
        factory.registration(event, email=f"next{n}@example.org")
    _back_in_time(45)
    assert jobs.release_unconfirmed_guest_holds.call_local() == 2
    for event in events:
        assert _statuses(event) == [Status.CANCELLED, Status.CONFIRMED]


def test_the_form_releases_overdue_holds_before_counting(client, factory):
    """300 guest registrations from one address no longer keep the event full."""
    event = factory.event(capacity=3)
    for n in range(3):
        _guest(factory, event, n)
    _back_in_time(31)
    response = client.post(
        f"/events/{event.slug}/register",
        data={
            "display_name": "Real Person",
            "email": "real@example.org",
            "category_id": event.categories[0].id,
            "visibility": "organisers",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    newcomer = db.session.scalars(
        select(Registration).where(Registration.email == "real@example.org")
    ).one()
    assert newcomer.status == Status.CONFIRMED
    assert _statuses(event).count(Status.CANCELLED) == 3


@pytest.mark.parametrize("minutes", ["-5", "abc", None])
def test_a_broken_hold_setting_falls_back_to_the_default(app, minutes):
    app.config["GUEST_HOLD_MINUTES"] = minutes
    try:
        assert guests.hold_time() == timedelta(minutes=30)
    finally:
        app.config["GUEST_HOLD_MINUTES"] = 30


def test_guests_are_told_how_long_the_place_is_held(client, factory, app):
    from eventsys.mail.models import OutboundMail

    event = factory.event(capacity=5)
    db.session.commit()
    response = client.post(
        f"/events/{event.slug}/register",
        data={
            "display_name": "Guest",
            "email": "told@example.org",
            "category_id": event.categories[0].id,
            "visibility": "organisers",
        },
        follow_redirects=True,
    )
    assert "within 30 minutes" in response.get_data(as_text=True)
    mail = db.session.scalars(
        select(OutboundMail).where(OutboundMail.to_address == "told@example.org")
    ).one()
    assert "within 30 minutes" in written(mail).text_body
