from __future__ import annotations

import pytest

from eventsys.extensions import db


@pytest.fixture
def listed(factory):
    organiser = factory.user(name="Organiser")
    event = factory.event("listed", organiser=organiser, participant_list_enabled=True)
    factory.registration(
        event,
        name="Public Pia",
        visibility="public",
        organisation_name="Open Town",
        country="PT",
        show_organisation=True,
        show_country=False,
    )
    member = factory.user(name="Member Max")
    factory.registration(
        event, user=member, visibility="participants", organisation_name="Quiet NGO", country="DE"
    )
    factory.registration(event, name="Hidden Hanna", visibility="organisers", country="RU")
    waiting = factory.registration(event, name="Cancelled Carl", visibility="public")
    waiting.status = "cancelled"
    db.session.commit()
    return event, organiser, member


def _page(client, slug="listed"):
    return client.get(f"/events/{slug}/participants")


def test_anonymous_readers_see_public_entries_with_the_agreed_fields(client, listed):
    page = _page(client).get_data(as_text=True)
    assert "Public Pia" in page and "Open Town" in page
    assert "Portugal" not in page  # Pia did not agree to show her country
    assert "Member Max" not in page and "Hidden Hanna" not in page and "Cancelled Carl" not in page


def test_participants_see_participants_and_public_entries(client, login, listed):
    _, _, member = listed
    login(member)
    page = _page(client).get_data(as_text=True)
    assert "Public Pia" in page and "Member Max" in page and "Quiet NGO" in page
    assert "Hidden Hanna" not in page


def test_a_logged_in_non_participant_sees_only_the_public(client, login, factory, listed):
    login(factory.user())
    page = _page(client).get_data(as_text=True)
    assert "Public Pia" in page and "Member Max" not in page


def test_organisers_see_everyone_and_switch_the_list(client, login, listed):
    event, organiser, _ = listed
    login(organiser)
    page = _page(client).get_data(as_text=True)
    assert all(n in page for n in ("Public Pia", "Member Max", "Hidden Hanna"))
    assert "organisers only" in page
    client.post("/events/listed/participants/settings", data={})
    assert event.participant_list_enabled is False


def test_switched_off_list_is_not_there_for_the_public(client, login, factory, listed):
    event, _, member = listed
    event.participant_list_enabled = False
    db.session.commit()
    assert _page(client).status_code == 404
    login(member)
    assert _page(client).status_code == 404
    assert "/events/listed/participants" not in client.get("/events/listed/").get_data(as_text=True)


def test_participants_cannot_switch_the_list(client, login, listed):
    event, _, member = listed
    login(member)
    assert client.post("/events/listed/participants/settings", data={}).status_code == 403
    assert event.participant_list_enabled is True


def test_the_event_page_links_an_enabled_list(client, listed):
    assert "/events/listed/participants" in client.get("/events/listed/").get_data(as_text=True)
