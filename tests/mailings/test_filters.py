"""Who a mailing reaches: each filter alone and combined (AND), as plain query functions."""

from __future__ import annotations

from eventsys.checkin.models import CheckIn
from eventsys.extensions import db
from eventsys.mailings.filters import MailingFilters, filter_options, recipient_count, recipients
from eventsys.mailings.models import MailingKind
from eventsys.registration.enums import Status
from tests.mailings.conftest import sign_up

REG = MailingKind.REGISTRATION


def names(event, **filters):
    people = recipients(db.session, event, MailingFilters(**filters), REG)
    return sorted(p.display_name for p in people)


def person(factory, event, name, *, status=Status.CONFIRMED, organisation_id=None, **fields):
    registration = factory.registration(event, name=name, **fields)
    registration.status = status
    registration.organisation_id = organisation_id
    db.session.flush()
    return registration


def test_confirmed_by_default_and_each_status_on_demand(factory, event):
    person(factory, event, "Ana")
    person(factory, event, "Boris", status=Status.WAITLISTED)
    person(factory, event, "Chen", status=Status.PENDING)
    person(factory, event, "Dora", status=Status.CANCELLED)
    person(factory, event, "Emil", status=Status.REJECTED)
    assert names(event) == ["Ana"]
    assert names(event, statuses=["waitlisted", "pending"]) == ["Boris", "Chen"]
    # Never the cancelled or rejected, not even when asked for.
    assert names(event, statuses=["cancelled", "rejected"]) == ["Ana", "Boris", "Chen"]


def test_category_country_and_organisation_combine_with_and(factory, event):
    town = factory.organisation("Cascais")
    speaker = next(c for c in event.categories if c.code != "delegate")
    person(factory, event, "Ana", country="PT", organisation_id=town.id)
    person(factory, event, "Bea", country="PT")
    person(factory, event, "Carl", country="DE", organisation_id=town.id)
    person(factory, event, "Dina", country="PT", organisation_id=town.id, category=speaker.code)
    assert names(event, country="PT") == ["Ana", "Bea", "Dina"]
    assert names(event, country="PT", organisation_id=town.id) == ["Ana", "Dina"]
    delegate = next(c for c in event.categories if c.code == "delegate")
    assert names(event, country="PT", organisation_id=town.id, category_id=delegate.id) == ["Ana"]
    assert recipient_count(db.session, event, MailingFilters(country="DE"), REG) == 1


def test_checked_in_or_not(factory, event):
    ana = person(factory, event, "Ana")
    bea = person(factory, event, "Bea")
    db.session.add(CheckIn(event_id=event.id, registration_id=ana.id))
    undone = CheckIn(event_id=event.id, registration_id=bea.id)
    db.session.add(undone)
    db.session.flush()
    undone.reverted_at = undone.checked_in_at
    db.session.flush()
    assert names(event, checked_in="yes") == ["Ana"]
    assert names(event, checked_in="no") == ["Bea"]
    assert names(event, checked_in="") == ["Ana", "Bea"]


def test_signed_up_for_a_session_counts_confirmed_sign_ups_only(factory, event, workshop):
    from eventsys.programme.models import SignUpStatus

    ana = person(factory, event, "Ana")
    bea = person(factory, event, "Bea")
    person(factory, event, "Carl")
    sign_up(workshop, ana)
    sign_up(workshop, bea, SignUpStatus.WAITLISTED)
    assert names(event, session_id=workshop.id) == ["Ana"]
    assert names(event, session_id=workshop.id, country="DE") == []


def test_language_is_the_accounts_then_the_registrations_then_the_events(factory, event):
    person(factory, event, "Ana", locale="pt")
    reader = factory.user(name="Bea")
    reader.locale = "pt"
    person(factory, event, "Bea", user=reader, locale="en")
    person(factory, event, "Carl")  # nothing said: the event's language, en
    assert names(event, language="pt") == ["Ana", "Bea"]
    assert names(event, language="en") == ["Carl"]


def test_another_events_people_are_never_included(factory, event, organiser):
    other = factory.event(organiser=organiser)
    person(factory, other, "Zoe")
    person(factory, event, "Ana")
    assert names(event) == ["Ana"]


def test_filter_options_offer_what_registrations_have(factory, event, workshop):
    town = factory.organisation("Cascais")
    person(factory, event, "Ana", country="PT", organisation_id=town.id)
    person(factory, event, "Dora", country="FR", status=Status.CANCELLED)
    found = filter_options(db.session, event)
    assert found.countries == ["PT"]
    assert found.organisations == [(town.id, "Cascais")]
    assert found.sessions == [(workshop.id, "Heat maps")]


def test_filters_round_trip_through_json_and_ignore_unknown_keys():
    filters = MailingFilters(category_id=3, statuses=["pending"], country="PT", language="ru")
    data = {**filters.to_json(), "surprise": 1}
    assert MailingFilters.from_json(data) == filters
    assert MailingFilters.from_json(None) == MailingFilters()
