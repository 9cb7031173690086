"""The registrations API: paging, who may read what, create, cancel, decisions, errors."""

from __future__ import annotations

import pytest

from eventsys.accounts.services import create_api_token
from eventsys.extensions import db
from eventsys.registration.enums import Status


@pytest.fixture
def api(client):
    """api(user).get(...)/post(...) with that user's bearer token."""

    class Caller:
        def __init__(self, user):
            self.headers = {"Authorization": f"Bearer {create_api_token(db.session, user)}"}
            db.session.commit()  # an API error rolls back; the setup must survive it

        def get(self, path, **kw):
            return client.get("/api/v1" + path, headers=self.headers, **kw)

        def post(self, path, **kw):
            return client.post("/api/v1" + path, headers=self.headers, **kw)

    def make(user):
        return Caller(user)

    return make


def _error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_organiser_lists_with_paging(api, factory, conference):
    for i in range(7):
        factory.registration(conference.event, email=f"extra{i}@example.org", name=f"Extra {i}")
    db.session.commit()
    organiser = api(conference.organiser)
    url = f"/events/{conference.event.slug}/registrations"
    first = organiser.get(url, query_string={"per_page": 5}).get_json()
    assert first["total"] == 11 and first["page"] == 1 and len(first["items"]) == 5
    seen = [item["id"] for item in first["items"]]
    for page in (2, 3):
        body = organiser.get(url, query_string={"per_page": 5, "page": page}).get_json()
        seen += [item["id"] for item in body["items"]]
    assert len(seen) == len(set(seen)) == 11 and seen == sorted(seen)
    past_the_end = organiser.get(url, query_string={"per_page": 5, "page": 4}).get_json()
    assert past_the_end["items"] == [] and past_the_end["total"] == 11
    item = first["items"][1]
    assert item["display_name"] == "Анна Пашковская"
    assert item["event"] == conference.event.slug and item["category"] == "observer"
    assert item["email_confirmed"] is True and item["waitlist_position"] is None
    found = organiser.get(url, query_string={"q": "ПАШКОВСКАЯ"}).get_json()
    assert [i["display_name"] for i in found["items"]] == ["Анна Пашковская"]
    observers = organiser.get(url, query_string={"category": "observer"}).get_json()
    assert observers["total"] == 2
    _error(organiser.get(url, query_string={"category": "nope"}), 422)
    _error(organiser.get(url, query_string={"per_page": 0}), 422, "validation_error")
    _error(organiser.get(url, query_string={"status": "happy"}), 422, "validation_error")


def test_listing_has_no_n_plus_one(api, factory, conference, count_queries):
    event = conference.event
    for i in range(6):
        factory.registration(event, email=f"w{i}@example.org", category="observer")
    event.capacity = 6  # the later ones wait: positions are computed once per page
    for i in range(5):
        factory.registration(event, email=f"late{i}@example.org")
    organiser = api(conference.organiser)
    url = f"/events/{event.slug}/registrations"
    organiser.get(url)  # the token's first use is recorded once (an UPDATE), not counted below
    db.session.expire_all()
    with count_queries() as small:
        assert len(organiser.get(url, query_string={"per_page": 3}).get_json()["items"]) == 3
    db.session.expire_all()
    with count_queries() as large:
        body = organiser.get(url, query_string={"per_page": 100}).get_json()
    assert len(body["items"]) == 15
    assert [i["waitlist_position"] for i in body["items"] if i["status"] == "waitlisted"] == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert large.count == small.count, large.statements


def test_participant_cannot_list_and_reads_only_their_own(api, factory, conference):
    ana = factory.user("ana@example.org", name="Ana")
    mine = factory.registration(conference.event, user=ana, organiser=False)
    caller = api(ana)
    _error(caller.get(f"/events/{conference.event.slug}/registrations"), 403, "forbidden")
    assert caller.get(f"/registrations/{mine.id}").get_json()["display_name"] == "Ana"
    other = conference.people[1]
    error = _error(caller.get(f"/registrations/{other.id}"), 404, "not_found")
    assert "Пашковская" not in str(error)
    _error(caller.post(f"/registrations/{other.id}/cancel"), 404)
    _error(caller.get("/registrations/999999"), 404)
    assert other.status == Status.CONFIRMED


def test_create_and_cancel_own(api, factory, conference, run_jobs, smtp_server):
    ana = factory.user("ana@example.org", name="Ana")
    caller = api(ana)
    url = f"/events/{conference.event.slug}/registrations"
    response = caller.post(
        url,
        json={
            "category": "observer",
            "display_name": "Ana Conceição",
            "country": "PT",
            "answers": {str(conference.diet.id): "vegan"},
            "visibility": "participants",
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "confirmed" and body["email"] == "ana@example.org"
    assert body["answers"] == {str(conference.diet.id): "vegan"}
    run_jobs()
    assert any(m["To"] == "ana@example.org" for m in smtp_server)
    _error(caller.post(url, json={"category": "observer", "display_name": "Ana"}), 409, "duplicate")
    cancelled = caller.post(f"/registrations/{body['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    _error(caller.post(f"/registrations/{body['id']}/cancel"), 409, "already_cancelled")


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"display_name": "Ana"}, 422, "category"),
        ({"category": "delegate"}, 422, "display_name"),
        ({"category": "wizard", "display_name": "Ana"}, 422, "category"),
        ({"category": "staff", "display_name": "Ana"}, 422, "category_id"),  # closed category
        ({"category": "delegate", "display_name": "   "}, 422, "display_name"),
        ({"category": "delegate", "display_name": "x" * 201}, 422, "display_name"),
        ({"category": "delegate", "display_name": "Ana", "country": "XX"}, 422, "country"),
        ({"category": "delegate", "display_name": "Ana", "country": 12}, 422, "country"),
        ({"category": "delegate", "display_name": "Ana", "visibility": "all"}, 422, "visibility"),
        ({"category": "delegate", "display_name": "Ana", "answers": []}, 422, "answers"),
        ({"category": "delegate", "display_name": "Ana", "email": "nope"}, 422, "email"),
        ({"category": ["delegate"], "display_name": "Ana"}, 422, "category"),
    ],
)
def test_bad_bodies_get_json_errors(api, factory, conference, body, status, field):
    caller = api(factory.user())
    response = caller.post(f"/events/{conference.event.slug}/registrations", json=body)
    error = _error(response, status)
    assert field in error["fields"], error


def test_bad_answers_get_json_errors(api, factory, conference):
    conference.diet.required = True
    caller = api(factory.user())
    url = f"/events/{conference.event.slug}/registrations"
    error = _error(caller.post(url, json={"category": "delegate", "display_name": "Ana"}), 422)
    assert f"q_{conference.diet.id}" in error["fields"]
    error = _error(
        caller.post(
            url,
            json={
                "category": "delegate",
                "display_name": "Ana",
                "answers": {str(conference.diet.id): "carnivore"},
            },
        ),
        422,
    )
    assert "not one of the choices" in error["message"]


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ('{"category": "delegate", "display_name": ', "application/json"),
        ("[1, 2, 3]", "application/json"),
        ('"just a string"', "application/json"),
        ("category=delegate", "application/x-www-form-urlencoded"),
        ("\xff\xfe", "application/json"),
        ("", "application/json"),
    ],
)
def test_malformed_bodies_are_4xx_json(api, factory, conference, data, content_type):
    caller = api(factory.user())
    response = caller.post(
        f"/events/{conference.event.slug}/registrations", data=data, content_type=content_type
    )
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    _error(response, response.status_code)


def test_unknown_or_unpublished_event_is_404(api, factory):
    caller = api(factory.user())
    hidden = factory.event(is_published=False)
    body = {"category": "delegate", "display_name": "Ana"}
    _error(caller.post("/events/nowhere/registrations", json=body), 404)
    _error(caller.post(f"/events/{hidden.slug}/registrations", json=body), 404)


def test_without_a_token_is_401(client, conference):
    response = client.get(f"/api/v1/events/{conference.event.slug}/registrations")
    _error(response, 401, "unauthorized")
    response = client.post(
        f"/api/v1/events/{conference.event.slug}/registrations",
        json={},
        headers={"Authorization": "Bearer wrong"},
    )
    _error(response, 401)


def test_only_organisers_register_someone_else_and_use_closed_categories(api, factory, conference):
    url = f"/events/{conference.event.slug}/registrations"
    participant = api(factory.user())
    body = {"category": "press", "display_name": "Reporter", "email": "press@example.org"}
    _error(participant.post(url, json=body), 403)
    organiser = api(conference.organiser)
    response = organiser.post(url, json={**body, "category": "staff"})
    assert response.status_code == 201
    assert response.get_json()["category"] == "staff"
    assert response.get_json()["email"] == "press@example.org"


def test_organiser_decisions(api, factory, client):
    organiser_user = factory.user()
    event = factory.event(organiser=organiser_user, requires_approval=True, capacity=1)
    applicant = factory.user()
    first = factory.registration(event, user=applicant, organiser=False)
    waiting = factory.registration(event, organiser=False)
    db.session.commit()
    owner = api(applicant)
    _error(owner.post(f"/registrations/{first.id}/approve", json={}), 403, "forbidden")
    stranger = api(factory.user())
    _error(stranger.post(f"/registrations/{first.id}/approve", json={}), 404)
    organiser = api(organiser_user)
    response = organiser.post(f"/registrations/{first.id}/approve", json={"message": "Welcome!"})
    assert response.status_code == 200
    assert response.get_json()["status"] == "confirmed"
    assert response.get_json()["decision_message"] == "Welcome!"
    _error(organiser.post(f"/registrations/{first.id}/approve", json={}), 409, "conflict")
    _error(organiser.post(f"/registrations/{waiting.id}/move-off-waitlist"), 409, "full")
    _error(
        organiser.post(f"/registrations/{waiting.id}/reject", json={"message": "x" * 2001}),
        422,
        "validation_error",
    )
    response = organiser.post(f"/registrations/{waiting.id}/reject", json={"message": "Sorry."})
    assert response.get_json()["status"] == "rejected"


def test_openapi_documents_the_decisions(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/registrations/{registration_id}/approve" in paths
    assert "/api/v1/registrations/{registration_id}/move-off-waitlist" in paths
