"""Hostile or broken input to pages and HTML forms: a 404 or a form error, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.registration.models import Registration

BEYOND = 2**31


@pytest.mark.parametrize(
    "path",
    [
        f"/events/{{slug}}/assembly/polls/{BEYOND}",
        f"/events/{{slug}}/assembly/polls/{2**63}",
        f"/events/{{slug}}/programme/sessions/{2**63}",
        "/events/{slug}/manage/registrations?page=9223372036854775808",
        f"/events/{{slug}}/manage/registrations?category={2**63}",
        f"/events/{{slug}}/programme/?track={2**63}&room={2**70}",
        "/events/{slug}/programme/manage/sessions/new?start=0001-01-01T00:00:00%2B14:00",
        f"/events/{{slug}}/programme/manage/sessions/new?room_id={BEYOND}",
    ],
)
def test_numbers_beyond_the_database_are_not_a_server_error(client, login, factory, path):
    organiser = factory.user()
    event = factory.event(organiser=organiser)
    db.session.commit()
    login(organiser)
    response = client.get(path.format(slug=event.slug))
    assert response.status_code < 500, path
    assert response.status_code in (200, 302, 404), (path, response.status_code)


def test_vote_with_ids_beyond_the_database_is_refused_quietly(client, login, factory):
    user = factory.user()
    event = factory.event(organiser=user)
    db.session.commit()
    login(user)
    response = client.post(
        f"/events/{event.slug}/assembly/polls/1/vote",
        data={"choice": str(2**63), "right": str(BEYOND)},
    )
    assert response.status_code < 500


def test_guest_name_with_nul_and_controls_is_cleaned(client, factory):
    event = factory.event()
    db.session.commit()
    response = client.post(
        f"/events/{event.slug}/register",
        data={
            "display_name": "Ana\x00 Silva\x0bLisboa\x1b",
            "email": "ana@example.org",
            "category_id": event.categories[0].id,
            "visibility": "organisers",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    name = db.session.execute(
        select(Registration.display_name).where(Registration.email == "ana@example.org")
    ).scalar_one()
    assert name == "Ana Silva\nLisboa" or name == "Ana Silva Lisboa" or "\x00" not in name
    assert "\x00" not in name and "\x1b" not in name and "\x0b" not in name


def test_event_form_refuses_numbers_and_years_out_of_range(client, login, factory):
    from tests.events.conftest import event_form

    admin = factory.user(admin=True)
    db.session.commit()
    login(admin)
    response = client.post(
        "/admin/events/new",
        data=event_form(slug="range-2025", capacity=str(BEYOND), starts_at="0001-01-01T00:00"),
    )
    assert response.status_code == 200  # the form again, with its errors
    page = response.get_data(as_text=True)
    assert "between 1900 and 2999" in page
    assert db.session.execute(select(Event).where(Event.slug == "range-2025")).first() is None


@pytest.mark.parametrize(
    "path",
    [
        "/events/{slug}/manage/registrations?q=a%00b",
        "/events/{slug}/checkin/?q=%00",
        "/events/{slug}/programme/?q=%00&tz=%00",
    ],
)
def test_query_text_with_nul_is_a_bad_request(client, login, factory, path):
    organiser = factory.user()
    event = factory.event(organiser=organiser)
    db.session.commit()
    login(organiser)
    assert client.get(path.format(slug=event.slug)).status_code == 400
