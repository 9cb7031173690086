from __future__ import annotations

from datetime import timedelta

import pytest

from eventsys.db import utcnow
from eventsys.errors import Conflict, ServiceError
from eventsys.extensions import db
from eventsys.registration import services
from eventsys.registration.capacity import Occupancy, status_for_new_registration
from eventsys.registration.enums import Status


def test_occupancy_arithmetic():
    assert Occupancy(10, 9, None, 0).has_place
    assert not Occupancy(10, 10, None, 0).has_place
    assert not Occupancy(None, 3, 2, 2).has_place
    assert status_for_new_registration(Occupancy(None, 0, None, 0), True) == Status.PENDING
    assert status_for_new_registration(Occupancy(1, 1, None, 0), False) == Status.WAITLISTED


def test_full_event_waitlists_and_cancellation_promotes_in_order(factory, run_jobs, smtp_server):
    event = factory.event(capacity=2)
    first, second = factory.registration(event), factory.registration(event)
    third = factory.registration(event, name="Пашковская Анна")
    fourth = factory.registration(event)
    assert [r.status for r in (first, second, third, fourth)] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.WAITLISTED,
    ]
    assert services.waitlist_position(db.session, fourth) == 2
    services.cancel(db.session, first)
    db.session.commit()
    assert third.status == Status.CONFIRMED and fourth.status == Status.WAITLISTED
    run_jobs()
    promoted = [
        m for m in smtp_server if m["To"] == third.email and "place is free" in m["Subject"]
    ]
    assert promoted, [m["Subject"] for m in smtp_server]
    assert "Пашковская Анна" in promoted[0].get_body(("plain",)).get_content()


def test_category_capacity_skips_to_someone_who_fits(factory):
    event = factory.event(capacity=3)
    press = next(c for c in event.categories if c.code == "press")
    press.capacity = 1
    reporter = factory.registration(event, category="press")
    second_reporter = factory.registration(event, category="press")
    delegate = factory.registration(event)
    waiting_delegate = factory.registration(event)  # event capacity not reached: confirmed
    assert second_reporter.status == Status.WAITLISTED
    assert waiting_delegate.status == Status.CONFIRMED
    services.cancel(db.session, delegate)
    # The free place is in the event, but press is still full: the reporter keeps waiting.
    assert second_reporter.status == Status.WAITLISTED
    services.cancel(db.session, reporter)
    assert second_reporter.status == Status.CONFIRMED


def test_approval_flow(factory):
    event = factory.event(requires_approval=True, capacity=1)
    pending = factory.registration(event, organiser=False)
    waiting = factory.registration(event, organiser=False)
    assert pending.status == Status.PENDING and waiting.status == Status.WAITLISTED
    services.reject(db.session, pending, "Please register as an observer.")
    assert pending.decision_message == "Please register as an observer."
    assert waiting.status == Status.PENDING  # promoted, still needs approval
    services.approve(db.session, waiting)
    assert waiting.status == Status.CONFIRMED
    with pytest.raises(Conflict):
        services.approve(db.session, waiting)


def test_duplicate_registration_is_refused(factory):
    event = factory.event()
    factory.registration(event, email="ana@example.org")
    with pytest.raises(Conflict, match="already registered"):
        factory.registration(event, email="ANA@example.org")


def test_cancelled_person_may_register_again(factory):
    event = factory.event()
    registration = factory.registration(event, email="ana@example.org")
    services.cancel(db.session, registration)
    again = factory.registration(event, email="ana@example.org")
    assert again.status == Status.CONFIRMED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"display_name": "   "}, "enter your name"),
        ({"display_name": "x" * 201}, "longer than 200"),
        ({"email": "not-an-address"}, "not valid"),
        ({"country": "XX"}, "not a known country"),
        ({"visibility": "everybody"}, "who may see"),
    ],
)
def test_bad_input_is_refused_with_a_message(factory, change, message):
    event = factory.event()
    category = event.categories[0]
    data = services.RegistrationData(
        email="a@example.org", display_name="Ana", category_id=category.id
    )
    for key, value in change.items():
        setattr(data, key, value)
    with pytest.raises(ServiceError, match=message):
        services.register(db.session, event, data)


def test_window_closed_and_not_yet_open(factory):
    now = utcnow()
    closed = factory.event(registration_closes_at=now - timedelta(hours=1))
    later = factory.event(registration_opens_at=now + timedelta(days=1))
    for event, message in ((closed, "closed"), (later, "not opened")):
        data = services.RegistrationData(
            email="a@example.org", display_name="Ana", category_id=event.categories[0].id
        )
        with pytest.raises(Conflict, match=message):
            services.register(db.session, event, data)


def test_closed_category_only_for_organisers(factory):
    event = factory.event()
    staff = next(c for c in event.categories if c.code == "staff")
    data = services.RegistrationData(
        email="a@example.org", display_name="Ana", category_id=staff.id
    )
    with pytest.raises(ServiceError, match="categories offered"):
        services.register(db.session, event, data)
    registration, _ = services.register(db.session, event, data, organiser=True)
    assert registration.category.code == "staff"


def test_database_refuses_a_second_active_registration_for_one_address(factory):
    """Even code that skips the service cannot create a duplicate: a partial unique index."""
    import sqlalchemy.exc

    from eventsys.registration.models import Registration

    event = factory.event()
    first = factory.registration(event, email="ana@example.org")
    duplicate = Registration(
        event=event,
        category=first.category,
        status=Status.WAITLISTED,
        email="ana@example.org",
        display_name="Ana again",
    )
    db.session.add(duplicate)
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def _details(registration, category) -> services.RegistrationData:
    return services.RegistrationData(
        email=registration.email,
        display_name=registration.display_name,
        category_id=category.id,
    )


def test_moving_category_in_a_full_event_counts_the_own_place_once(factory):
    """The participant's edit and the organiser's change follow one rule: the person's place is
    already in the event's total, so only the new category's own limit can refuse them."""
    event = factory.event(capacity=2)
    observer = next(c for c in event.categories if c.code == "observer")
    observer.capacity = 1
    first, second = factory.registration(event), factory.registration(event)
    services.update_details(db.session, first, _details(first, observer))
    assert first.category_id == observer.id and first.status == Status.CONFIRMED
    # Now the observers' own limit is reached: both ways refuse alike.
    with pytest.raises(Conflict, match="is full"):
        services.update_details(db.session, second, _details(second, observer))
    with pytest.raises(Conflict, match="is full"):
        services.change_category(db.session, second, observer.id)
