"""Creating and changing events, categories and questions through /api/v1."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from eventsys.accounts.services import create_api_token
from eventsys.extensions import db
from eventsys.registration.enums import Status


@pytest.fixture
def bearer(factory):
    def make(user) -> dict[str, str]:
        return {"Authorization": f"Bearer {create_api_token(db.session, user, 'test')}"}

    return make


NEW_EVENT = {
    "slug": "baku-2025",
    "title": "South-South cooperation for climate action",
    "timezone": "Asia/Baku",
    "starts_at": "2025-11-15T10:00",
    "ends_at": "2025-11-15T18:00",
    "city": "Baku",
    "country": "AZ",
    "languages": ["en", "ru", "az"],
    "requires_approval": True,
    "series": "COP side events",
}


def test_admin_creates_an_event_in_local_time(client, factory, bearer):
    admin = factory.user(admin=True)
    colleague = factory.user()
    response = client.post(
        "/api/v1/events/",
        json={**NEW_EVENT, "organisers": [colleague.email]},
        headers=bearer(admin),
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    # Baku is UTC+4 all year: 10:00 there is 06:00 UTC.
    assert body["starts_at"].startswith("2025-11-15T06:00:00")
    assert body["starts_at_local"] == "2025-11-15T10:00"
    assert body["is_published"] is False and body["series"] == "COP side events"
    assert [c["code"] for c in body["categories"]][0] == "delegate"
    # The colleague, now an organiser, can change it; times with an offset are instants.
    response = client.patch(
        "/api/v1/events/baku-2025",
        json={"ends_at": "2025-11-15T15:30:00Z", "capacity": 80, "is_published": True},
        headers=bearer(colleague),
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["ends_at_local"] == "2025-11-15T19:30"
    assert response.get_json()["capacity"] == 80


def test_only_admins_create_and_only_organisers_change(client, factory, bearer):
    someone = factory.user()
    response = client.post("/api/v1/events/", json=NEW_EVENT, headers=bearer(someone))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    event = factory.event()
    response = client.patch(
        f"/api/v1/events/{event.slug}", json={"title": "Mine now"}, headers=bearer(someone)
    )
    assert response.status_code == 403
    assert event.title != "Mine now"


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"slug": "Bad Slug"}, 422, "slug"),
        ({"timezone": "Asia/Nowhere"}, 422, "timezone"),
        ({"starts_at": "not a date"}, 422, "starts_at"),
        ({"ends_at": "2025-11-14T10:00"}, 422, "ends_at"),
        ({"languages": ["en"], "default_locale": "az"}, 422, "default_locale"),
        ({"parent": "no-such-event"}, 422, "parent"),  # as for drafts one may not see
        ({"title": ""}, 422, "title"),
    ],
)
def test_bad_event_bodies_get_json_errors(client, factory, bearer, changes, status, field):
    admin = factory.user(admin=True)
    response = client.post("/api/v1/events/", json={**NEW_EVENT, **changes}, headers=bearer(admin))
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert error["message"]
    if field:
        assert field in error["fields"]


def test_dst_gap_is_refused_with_a_message(client, factory, bearer):
    admin = factory.user(admin=True)
    response = client.post(
        "/api/v1/events/",
        json={
            **NEW_EVENT,
            "timezone": "Europe/Lisbon",
            "starts_at": "2025-03-30T01:30",
            "ends_at": "2025-03-30T12:00",
        },
        headers=bearer(admin),
    )
    assert response.status_code == 422
    assert "does not exist in Europe/Lisbon" in response.get_json()["error"]["message"]


def test_organiser_manages_categories_and_questions(client, factory, bearer):
    organiser = factory.user()
    event = factory.event(organiser=organiser, capacity=None)
    headers = bearer(organiser)
    base = f"/api/v1/events/{event.slug}"
    response = client.post(
        f"{base}/categories",
        json={"code": "youth", "label": "Youth", "capacity": 1, "colour": "#aa3300"},
        headers=headers,
    )
    assert response.status_code == 201
    youth = response.get_json()
    assert (
        client.post(
            f"{base}/categories", json={"code": "youth", "label": "Again"}, headers=headers
        ).status_code
        == 409
    )
    factory.registration(event, category="youth")
    waiting = factory.registration(event, category="youth")
    response = client.patch(
        f"{base}/categories/{youth['id']}", json={"capacity": 2}, headers=headers
    )
    assert response.status_code == 200
    assert waiting.status == Status.CONFIRMED
    response = client.post(
        f"{base}/questions",
        json={"label": "Which workshop?", "kind": "single_choice", "options": ["Energy", "Water"]},
        headers=headers,
    )
    assert response.status_code == 201
    question = response.get_json()
    bad = client.post(
        f"{base}/questions", json={"label": "Pick", "kind": "multiple_choice"}, headers=headers
    )
    assert bad.status_code == 422 and "options" in bad.get_json()["error"]["fields"]
    response = client.patch(
        f"{base}/questions/{question['id']}", json={"is_active": False}, headers=headers
    )
    assert response.get_json()["is_active"] is False
    other = factory.event()
    other_category = other.categories[0]
    response = client.patch(
        f"{base}/categories/{other_category.id}", json={"label": "Hijack"}, headers=headers
    )
    assert response.status_code == 404 and other_category.label != "Hijack"


def test_nulls_and_unknown_fields_are_refused(client, factory, bearer):
    organiser = factory.user()
    event = factory.event(organiser=organiser)
    for body in ({"starts_at": None}, {"title": None}, {"slug": "renamed"}, {"capacity": -1}):
        response = client.patch(
            f"/api/v1/events/{event.slug}", json=body, headers=bearer(organiser)
        )
        assert response.status_code == 422, body
        assert response.get_json()["error"]["fields"], body
    response = client.patch(
        f"/api/v1/events/{event.slug}",
        data="not json",
        headers={**bearer(organiser), "Content-Type": "application/json"},
    )
    assert 400 <= response.status_code < 500


def test_published_flag_and_times_round_trip(client, factory, bearer):
    organiser = factory.user()
    event = factory.event(organiser=organiser, is_published=False)
    response = client.get(f"/api/v1/events/{event.slug}", headers=bearer(organiser))
    assert response.status_code == 200
    assert response.get_json()["is_published"] is False
    stranger = factory.user()
    assert client.get(f"/api/v1/events/{event.slug}", headers=bearer(stranger)).status_code == 404
    assert (
        datetime.fromisoformat(response.get_json()["starts_at"]).astimezone(UTC) == event.starts_at
    )
