"""A participant's own badge: from the mail, the registration page and the API; nobody else's."""

from __future__ import annotations

import re

from eventsys.extensions import db
from eventsys.mail.models import OutboundMail
from eventsys.registration import services as registration_services
from eventsys.registration.enums import Status
from tests.badges.test_print import pdf_text
from tests.mail.outbox import written


def test_the_confirmation_mail_links_to_the_badge(client, factory, event):
    registration, _token = registration_services.register(
        db.session,
        event,
        registration_services.RegistrationData(
            email="ana@example.org",
            display_name="Ana Conceição Simões",
            category_id=event.categories[0].id,
        ),
        organiser=True,
    )
    db.session.commit()
    mail = db.session.execute(
        db.select(OutboundMail).where(OutboundMail.to_address == "ana@example.org")
    ).scalar_one()
    text = written(mail).text_body
    link = re.search(r"http://eventsys.test(/registrations/\S+/badge.pdf)", text).group(1)
    response = client.get(link)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Ana Conceição Simões" in pdf_text(response.data)
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_logged_in_participant_downloads_their_own_badge(client, login, factory, event):
    user = factory.user(name="Алексей Петров")
    factory.registration(event, user=user)
    db.session.commit()
    login(user)
    page = client.get(f"/events/{event.slug}/registration").get_data(as_text=True)
    assert f"/events/{event.slug}/registration/badge.pdf" in page
    response = client.get(f"/events/{event.slug}/registration/badge.pdf")
    assert response.status_code == 200
    assert "Алексей Петров" in pdf_text(response.data)


def test_no_badge_before_confirmation_or_without_registration(client, login, factory, event):
    user = factory.user()
    registration = factory.registration(event, user=user)
    registration.status = Status.PENDING
    db.session.commit()
    login(user)
    response = client.get(f"/events/{event.slug}/registration/badge.pdf")
    assert response.status_code == 409 and b"once your registration is confirmed" in response.data
    stranger = factory.user()
    db.session.commit()
    login(stranger)
    assert client.get(f"/events/{event.slug}/registration/badge.pdf").status_code == 404
    assert client.get("/registrations/not-a-token/badge.pdf").status_code == 404


def test_the_api_gives_own_badges_only(client, factory, organiser, event, people, api_token):
    owner = factory.user()
    own = factory.registration(event, user=owner)
    db.session.commit()
    response = client.get(f"/api/v1/registrations/{own.id}/badge.pdf", headers=api_token(owner))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    stranger = client.get(
        f"/api/v1/registrations/{people['arabic'].id}/badge.pdf", headers=api_token(owner)
    )
    assert stranger.status_code == 404
    assert stranger.get_json()["error"]["code"] == "not_found"
    assert b"%PDF" not in stranger.data
    by_organiser = client.get(
        f"/api/v1/registrations/{people['arabic'].id}/badge.pdf", headers=api_token(organiser)
    )
    assert by_organiser.status_code == 200


def test_api_bulk_print_with_progress_and_download(
    client, organiser, factory, event, people, api_token, run_jobs
):
    headers = api_token(organiser)
    response = client.post(
        f"/api/v1/events/{event.slug}/badge-prints",
        json={"category": "delegate", "sort": "country"},
        headers=headers,
    )
    assert response.status_code == 202, response.get_json()
    job = response.get_json()
    assert job["status"] == "queued" and job["total"] == 6 and job["download_url"] is None
    run_jobs()
    job = client.get(f"/api/v1/events/{event.slug}/badge-prints/{job['id']}", headers=headers)
    job = job.get_json()
    assert job["status"] == "done" and job["percent"] == 100
    pdf = client.get(job["download_url"], headers=headers)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")

    participant = api_token(factory.user())
    refused = client.post(f"/api/v1/events/{event.slug}/badge-prints", json={}, headers=participant)
    assert refused.status_code == 403
    # The refusal says why (event_for's caller's own words), not werkzeug's generic text.
    message = refused.get_json()["error"]["message"]
    assert message == "Only the event's organisers may print its badges."
    bad = client.post(
        f"/api/v1/events/{event.slug}/badge-prints", json={"sort": "age"}, headers=headers
    )
    assert bad.status_code == 422 and "sort" in bad.get_json()["error"]["fields"]


def test_badges_and_check_in_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/events/{slug}/badge-prints",
        "/api/v1/events/{slug}/badge-prints/{job_id}",
        "/api/v1/events/{slug}/badge-prints/{job_id}/badges.pdf",
        "/api/v1/registrations/{registration_id}/badge.pdf",
        "/api/v1/events/{slug}/checkins",
        "/api/v1/events/{slug}/checkins/manual",
        "/api/v1/events/{slug}/checkins/{checkin_id}/undo",
        "/api/v1/events/{slug}/checkins/search",
        "/api/v1/events/{slug}/checkins/counts",
    ):
        assert path in paths, path
    pdf = paths["/api/v1/registrations/{registration_id}/badge.pdf"]["get"]["responses"]["200"]
    assert "application/pdf" in pdf["content"]
