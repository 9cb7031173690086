"""The programme through /api/v1, and its place in the OpenAPI document."""

from __future__ import annotations

import pytest

from eventsys.accounts.services import create_api_token
from eventsys.extensions import db
from eventsys.programme import services, versions
from tests.programme.conftest import at, signup_workshop


@pytest.fixture
def bearer():
    def headers(user) -> dict[str, str]:
        token = create_api_token(db.session, user, "test")
        db.session.commit()  # an API error rolls back its own work, not the setup
        return {"Authorization": f"Bearer {token}"}

    return headers


def session_body(conf, **change):
    body = {
        "title": "Energy poverty and warm homes",
        "kind": "workshop",
        "starts_at": at(9, 10).isoformat(),
        "ends_at": at(9, 11, 30).isoformat(),
        "room_id": conf.rooms[0].id,
        "track_id": conf.tracks[0].id,
        "speakers": [{"name": "Ana Silva"}],
        "capacity": 20,
        "signup_required": True,
    }
    body.update(change)
    return body


def test_organiser_creates_moves_and_reads_sessions(client, conf, bearer):
    auth = bearer(conf.organiser)
    base = f"/api/v1/events/{conf.event.slug}"
    created = client.post(f"{base}/sessions", json=session_body(conf), headers=auth)
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data["room"] == "Sala 1" and data["track"] == "Energy poverty"
    assert data["warnings"] == []
    clash = client.post(
        f"{base}/sessions", json=session_body(conf, title="Second", speakers=[]), headers=auth
    ).get_json()
    assert clash["warnings"] == ["Sala 1 is used twice at once"]
    moved = client.patch(
        f"{base}/sessions/{clash['id']}", json={"room_id": conf.rooms[1].id}, headers=auth
    )
    assert moved.status_code == 200 and moved.get_json()["warnings"] == []
    draft = client.get(f"{base}/sessions?draft=true", headers=auth).get_json()
    assert [s["title"] for s in draft] == ["Energy poverty and warm homes", "Second"]
    assert client.get(f"{base}/sessions", headers=auth).get_json() == []  # nothing published
    rooms = client.get(f"{base}/rooms", headers=auth).get_json()
    assert [r["name"] for r in rooms] == ["Sala 1", "Sala 2", "Sala 3"]
    new_room = client.post(f"{base}/rooms", json={"name": "Auditório", "capacity": 300},
                           headers=auth)  # fmt: skip
    assert new_room.status_code == 201
    assert client.post(f"{base}/tracks", json={"name": "Data", "colour": "#123456"},
                       headers=auth).status_code == 201  # fmt: skip


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"track_id": 999999}, 422, "track_id"),
        ({"room_id": 999999}, 422, "room_id"),
        ({"ends_at": at(9, 9).isoformat()}, 422, "ends_at"),
        ({"starts_at": "2024-10-09T10:00:00"}, 422, "starts_at"),  # no zone: refused
        ({"kind": "party"}, 422, "kind"),
        ({"title": ""}, 422, "title"),
    ],
)
def test_bad_input_gets_a_clear_error_and_saves_nothing(client, conf, bearer, change, status,
                                                        field):  # fmt: skip
    auth = bearer(conf.organiser)
    base = f"/api/v1/events/{conf.event.slug}"
    answer = client.post(f"{base}/sessions", json=session_body(conf, **change), headers=auth)
    assert answer.status_code == status
    error = answer.get_json()["error"]
    assert field in error["fields"] and error["message"]
    assert client.get(f"{base}/sessions?draft=true", headers=auth).get_json() == []


def test_participants_read_the_published_programme_and_sign_up(client, conf, participant, bearer):
    user, _registration = participant
    workshop = signup_workshop(conf, "Nature-based solutions", at(9, 10), at(9, 11), places=1)
    conf.add("Plenary", at(9, 9), at(9, 10), room=1, kind="plenary",
             speakers=[services.SpeakerData("Ana Silva")])  # fmt: skip
    versions.publish(db.session, conf.event)
    conf.add("Draft only", at(10, 9), at(10, 10))
    auth = bearer(user)
    base = f"/api/v1/events/{conf.event.slug}"
    sessions = client.get(f"{base}/sessions", headers=auth).get_json()
    assert {s["title"] for s in sessions} == {"Nature-based solutions", "Plenary"}
    assert client.get(f"{base}/sessions?draft=true", headers=auth).status_code == 403
    assert client.post(f"{base}/sessions", json=session_body(conf), headers=auth).status_code == 403
    speakers = client.get(f"{base}/speakers", headers=auth).get_json()
    plenary = next(s["id"] for s in sessions if s["title"] == "Plenary")
    assert speakers == [{"name": "Ana Silva", "session_ids": [plenary]}]
    signed = client.post(f"{base}/sessions/{workshop.id}/signups", headers=auth)
    assert signed.status_code == 201 and signed.get_json()["status"] == "confirmed"
    again = client.post(f"{base}/sessions/{workshop.id}/signups", headers=auth)
    assert again.status_code == 409 and "already" in again.get_json()["error"]["message"]
    assert client.get(f"{base}/sessions/{workshop.id}/signups", headers=auth).status_code == 403
    listing = client.get(f"{base}/sessions/{workshop.id}/signups", headers=bearer(conf.organiser))
    assert [s["status"] for s in listing.get_json()] == ["confirmed"]
    assert (
        client.delete(f"{base}/sessions/{workshop.id}/signups/me", headers=auth).status_code == 204
    )
    assert client.get(f"{base}/conflicts", headers=auth).status_code == 403


def test_api_needs_a_token_and_is_documented(client, conf):
    assert client.get(f"/api/v1/events/{conf.event.slug}/sessions").status_code == 401
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/events/{slug}/sessions", "/api/v1/events/{slug}/rooms",
                 "/api/v1/events/{slug}/tracks", "/api/v1/events/{slug}/speakers",
                 "/api/v1/events/{slug}/sessions/{session_id}/signups"):  # fmt: skip
        assert path in spec["paths"], path


def test_a_bad_change_leaves_the_session_untouched(client, conf, bearer):
    row = conf.add("Data for municipal planning", at(9, 10), at(9, 11))
    auth = bearer(conf.organiser)
    url = f"/api/v1/events/{conf.event.slug}/sessions/{row.id}"
    for change, field in (({"track_id": 999999}, "track_id"),
                          ({"ends_at": at(9, 9).isoformat()}, "ends_at")):  # fmt: skip
        answer = client.patch(url, json={**change, "title": "Renamed"}, headers=auth)
        assert answer.status_code == 422 and field in answer.get_json()["error"]["fields"]
    db.session.expire_all()
    assert client.get(url, headers=auth).get_json()["title"] == "Data for municipal planning"
