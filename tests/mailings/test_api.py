"""The mailings API: organisers draft, count, send and follow; others are refused."""

from __future__ import annotations

from eventsys.accounts.services import create_api_token
from eventsys.events.enums import RoleName
from eventsys.events.services import grant_role
from eventsys.extensions import db
from eventsys.mailings.models import Mailing, MailingStatus


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_api_token(db.session, user, 'test')}"}


BODY = {
    "kind": "news",
    "subject": "Side events",
    "body": "Dear {name}, see {calendar_link}",
    "filters": {"statuses": ["confirmed"], "country": "PT"},
    "translations": {"pt": {"subject": "Eventos paralelos", "body": "Caro(a) {name}"}},
}


def test_an_organiser_drafts_counts_sends_and_follows(client, factory, event, organiser, run_jobs):
    factory.registration(event, country="PT")
    factory.registration(event, country="DE")
    headers = bearer(organiser)
    base = f"/api/v1/events/{event.slug}/mailings"
    created = client.post(base, json=BODY, headers=headers)
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data["status"] == "draft" and data["recipients"] == 1 and data["progress"] is None
    assert data["subject_translations"] == {"pt": "Eventos paralelos"}
    sent = client.post(f"{base}/{data['id']}/send", headers=headers)
    assert sent.status_code == 202 and sent.get_json()["status"] == "queued"
    run_jobs()
    followed = client.get(f"{base}/{data['id']}", headers=headers).get_json()
    assert followed["status"] == "sent"
    assert followed["progress"]["queued"] == followed["progress"]["total"] == 1
    assert client.post(f"{base}/{data['id']}/send", headers=headers).status_code == 409
    assert [m["id"] for m in client.get(base, headers=headers).get_json()] == [data["id"]]


def test_unknown_placeholders_and_bad_filters_are_422_naming_the_field(client, event, organiser):
    headers = bearer(organiser)
    base = f"/api/v1/events/{event.slug}/mailings"
    unknown = client.post(base, json={**BODY, "body": "Hi {nom}"}, headers=headers)
    assert unknown.status_code == 422
    assert "{nom}" in str(unknown.get_json()["error"])
    bad = client.post(base, json={**BODY, "filters": {"statuses": ["cancelled"]}}, headers=headers)
    assert bad.status_code == 422
    assert db.session.query(Mailing).count() == 0


def test_check_in_staff_and_participants_are_refused(client, factory, event):
    staff, participant = factory.user(), factory.user()
    grant_role(db.session, event, staff, RoleName.CHECKIN)
    factory.registration(event, user=participant)
    base = f"/api/v1/events/{event.slug}/mailings"
    for user in (staff, participant):
        headers = bearer(user)
        assert client.get(base, headers=headers).status_code == 403
        assert client.post(base, json=BODY, headers=headers).status_code == 403
    assert client.get(base).status_code == 401
    assert db.session.query(Mailing).filter(Mailing.status != MailingStatus.DRAFT).count() == 0
