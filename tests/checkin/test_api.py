from __future__ import annotations

import uuid

from eventsys.badges import services as badge_services
from eventsys.extensions import db


def test_scan_undo_search_and_counts_through_the_api(
    client, staff, organiser, event, people, api_token
):
    code = badge_services.code_for(db.session, people["devanagari"])
    db.session.commit()
    headers = api_token(staff)
    url = f"/api/v1/events/{event.slug}/checkins"
    nonce = uuid.uuid4().hex
    first = client.post(url, json={"code": code, "nonce": nonce}, headers=headers).get_json()
    assert first["outcome"] == "checked_in" and first["person"]["display_name"] == "अनुष्का श्रीवास्तव"
    again = client.post(url, json={"code": code, "nonce": nonce}, headers=headers).get_json()
    assert again["replayed"] and again["checkin"]["id"] == first["checkin"]["id"]
    other = client.post(url, json={"code": code, "nonce": uuid.uuid4().hex}, headers=headers)
    other = other.get_json()
    assert other["outcome"] == "already_checked_in"
    assert other["checkin"]["checked_in_by"] == "Carla Checkin"

    forged_code = code[:-1] + ("A" if code[-1] != "A" else "B")
    forged = client.post(
        url, json={"code": forged_code, "nonce": uuid.uuid4().hex}, headers=headers
    )
    assert forged.get_json()["outcome"] == "unknown_code" and not forged.get_json()["admitted"]
    assert client.post(url, json={"code": code}, headers=headers).status_code == 422

    undo = client.post(f"{url}/{first['checkin']['id']}/undo", headers=headers)
    assert undo.status_code == 200 and undo.get_json()["reverted_at"]
    twice = client.post(f"{url}/{first['checkin']['id']}/undo", headers=headers)
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "already_undone"

    found = client.get(f"{url}/search?q=anushka", headers=headers).get_json()
    assert [m["person"]["id"] for m in found] == [people["devanagari"].id]
    manual = client.post(
        f"{url}/manual",
        json={"registration_id": people["devanagari"].id, "nonce": uuid.uuid4().hex},
        headers=headers,
    )
    assert manual.get_json()["outcome"] == "checked_in"

    assert client.get(f"{url}/counts", headers=headers).status_code == 403  # organisers only
    counts = client.get(f"{url}/counts", headers=api_token(organiser)).get_json()
    assert counts["checked_in"] == 1 and counts["confirmed"] == 6


def test_participants_cannot_scan_through_the_api(client, factory, event, people, api_token):
    code = badge_services.code_for(db.session, people["latin"])
    db.session.commit()
    response = client.post(
        f"/api/v1/events/{event.slug}/checkins",
        json={"code": code, "nonce": uuid.uuid4().hex},
        headers=api_token(factory.user()),
    )
    assert response.status_code == 403
    assert client.post(f"/api/v1/events/{event.slug}/checkins", json={}).status_code == 401
