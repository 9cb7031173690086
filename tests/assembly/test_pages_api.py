"""Pages and API: who reaches what, voting from a phone form, projector, minutes, API errors."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from eventsys.accounts.services import create_api_token
from eventsys.assembly import services
from eventsys.assembly.models import PollState, PollVote
from eventsys.extensions import db
from tests.assembly.conftest import PDF, open_motion_poll, option


def test_participant_cannot_reach_the_chairs_pages(client, login, hall, factory):
    login(hall.delegates[0])
    slug = hall.event.slug
    for url in (
        f"/events/{slug}/assembly/manage",
        f"/events/{slug}/assembly/manage/minutes.pdf",
    ):
        assert client.get(url).status_code == 403
    poll = open_motion_poll(hall)
    db.session.commit()
    response = client.post(f"/events/{slug}/assembly/manage/polls/{poll.id}/close")
    assert response.status_code == 403
    assert poll.state == PollState.OPEN


def test_delegate_votes_through_the_page_and_sees_receipts(client, login, hall):
    poll = open_motion_poll(hall, title="Adopt the Cascais Declaration")
    db.session.commit()
    login(hall.delegates[0])
    page = client.get(f"/events/{hall.event.slug}/assembly/vote").get_data(as_text=True)
    assert "Adopt the Cascais Declaration" in page
    assert 'name="viewport"' in page and 'class="choice choice-yes"' in page
    response = client.post(
        f"/events/{hall.event.slug}/assembly/polls/{poll.id}/vote",
        data={"choice": str(option(poll, "yes"))},
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "Your vote is counted." in text
    assert "Your receipts" in text
    assert services.vote_count(db.session, poll.id) == 1
    again = client.post(
        f"/events/{hall.event.slug}/assembly/polls/{poll.id}/vote",
        data={"choice": str(option(poll, "no"))},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "already voted" in again
    assert services.vote_count(db.session, poll.id) == 1


def test_a_vote_on_no_such_poll_is_not_found(client, login, hall):
    open_motion_poll(hall)
    db.session.commit()
    login(hall.delegates[0])
    for poll_id in (0, 999999):
        response = client.post(f"/events/{hall.event.slug}/assembly/polls/{poll_id}/vote")
        assert response.status_code == 404, poll_id


def test_projector_shows_how_many_voted_never_the_tally(client, hall):
    poll = open_motion_poll(hall, title="Projector motion")
    for i in range(3):
        services.cast_vote(db.session, poll.id, hall.delegates[i].id, [option(poll, "yes")])
    db.session.commit()
    page = client.get(f"/events/{hall.event.slug}/assembly/projector").get_data(as_text=True)
    assert '<p class="big">3</p>' in page
    assert "Yes" not in page  # no option with its running count while open
    detail = client.get(f"/events/{hall.event.slug}/assembly/polls/{poll.id}")
    assert "receipt" not in detail.get_data(as_text=True).lower().split("<table")[0][-50:]
    assert "3 voting rights have voted" in detail.get_data(as_text=True)
    services.close_poll(db.session, poll.id)
    db.session.commit()
    page = client.get(f"/events/{hall.event.slug}/assembly/projector").get_data(as_text=True)
    assert "Adopted: 3 yes, 0 no, 0 abstentions" in page


def test_minutes_pdf_lists_attendance_polls_and_annulled_ones(client, login, hall):
    services.set_proxy(db.session, hall.assembly, hall.rights[0], hall.rights[1])
    poll = open_motion_poll(hall, title="Mistaken motion")
    services.annul_poll(db.session, poll, "Wrong agenda item")
    poll2 = open_motion_poll(hall, title="Budget 2025")
    services.cast_vote(db.session, poll2.id, hall.delegates[1].id, [option(poll2, "yes")])
    services.close_poll(db.session, poll2.id)
    db.session.commit()
    login(hall.organiser)
    response = client.get(f"/events/{hall.event.slug}/assembly/manage/minutes.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    for expected in (
        "Attendance",
        "Proxies",
        "Mistaken motion",
        "Wrong agenda item",
        "Budget 2025",
        "Adopted: 2 yes",
        hall.members[0].name,
    ):
        assert expected in text, expected


def test_chair_manages_from_the_desk(client, login, hall):
    login(hall.organiser)
    page = client.get(f"/events/{hall.event.slug}/assembly/manage")
    assert page.status_code == 200
    assert hall.members[0].name in page.get_data(as_text=True)
    client.post(
        f"/events/{hall.event.slug}/assembly/manage/motions",
        data={"motion-kind": "resolution", "motion-title": "Adopt the budget", "motion-text": ""},
    )
    motion = hall.assembly.motions[-1]
    assert motion.title == "Adopt the budget"
    client.post(
        f"/events/{hall.event.slug}/assembly/manage/motions/{motion.id}/polls",
        data={
            "poll-secret": "1",
            "poll-majority": "simple",
            "poll-base": "cast",
            "poll-quorum_percent": "50",
            "poll-tie_rule": "rejected",
            "poll-max_choices": "1",
            "poll-seats": "1",
        },
    )
    (poll,) = motion.polls
    client.post(f"/events/{hall.event.slug}/assembly/manage/polls/{poll.id}/open")
    db.session.refresh(poll)
    assert poll.state == PollState.OPEN
    response = client.post(
        f"/events/{hall.event.slug}/assembly/manage/rights/{hall.rights[0].id}",
        data={
            "delegate": hall.registrations[0].email,
            "holder": hall.members[0].name,
            "weight": 1,
        },
        follow_redirects=True,
    )
    assert "its own proxy" in response.get_data(as_text=True)


def test_application_form_refuses_a_non_pdf(client, login, hall, factory):
    applicant = factory.user()
    db.session.commit()
    login(applicant)
    response = client.post(
        f"/events/{hall.event.slug}/assembly/apply",
        data={
            "organisation_name": "CEESEN",
            "organisation_kind": "network",
            "country": "UA",
            "contact_name": "Olena",
            "contact_email": "olena@example.org",
            "resolution": (io.BytesIO(b"GIF89a"), "resolution.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "not a PDF" in response.get_data(as_text=True)
    ok = client.post(
        f"/events/{hall.event.slug}/assembly/apply",
        data={
            "organisation_name": "CEESEN",
            "organisation_kind": "network",
            "country": "UA",
            "contact_name": "Olena",
            "contact_email": "olena@example.org",
            "resolution": (io.BytesIO(PDF), "resolution.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302


def _auth(user):
    token = create_api_token(db.session, user)
    db.session.commit()  # an API error rolls the session back; the setup must survive it
    return {"Authorization": "Bearer " + token}


def test_api_vote_and_its_errors(client, hall):
    poll = open_motion_poll(hall)
    headers = _auth(hall.delegates[0])
    url = f"/api/v1/events/{hall.event.slug}/assembly/polls/{poll.id}/votes"
    bad = client.post(url, json={"choices": [12345]}, headers=headers)
    assert bad.status_code == 422
    assert bad.json["error"]["fields"] == {"choices": ["This poll has no such option."]}
    ok = client.post(url, json={"choices": [option(poll, "yes")]}, headers=headers)
    assert ok.status_code == 201 and len(ok.json["receipts"]) == 1
    again = client.post(url, json={"choices": [option(poll, "no")]}, headers=headers)
    assert again.status_code == 409 and again.json["error"]["code"] == "already_voted"
    status = client.get(
        f"/api/v1/events/{hall.event.slug}/assembly/polls/{poll.id}", headers=headers
    ).json
    assert status["votes"] == 1 and status["result"] is None
    closing = client.post(
        f"/api/v1/events/{hall.event.slug}/assembly/polls/{poll.id}/close", headers=headers
    )
    assert closing.status_code == 403  # a delegate is not the chair
    closed = client.post(
        f"/api/v1/events/{hall.event.slug}/assembly/polls/{poll.id}/close",
        headers=_auth(hall.organiser),
    )
    assert closed.status_code == 200 and closed.json["passed"] is True
    late = client.post(
        url, json={"choices": [option(poll, "yes")]}, headers=_auth(hall.delegates[1])
    )
    assert late.status_code == 409 and "closed" in late.json["error"]["message"]
    ballots = client.get(
        f"/api/v1/events/{hall.event.slug}/assembly/polls/{poll.id}/ballots", headers=headers
    ).json
    assert ballots["ballots"][0]["receipt"] == ok.json["receipts"][0]["receipt"]


def test_api_vote_in_another_events_poll_is_not_found(client, hall, factory):
    poll = open_motion_poll(hall)
    other = factory.event()
    response = client.post(
        f"/api/v1/events/{other.slug}/assembly/polls/{poll.id}/votes",
        json={"choices": [option(poll, "yes")]},
        headers=_auth(hall.delegates[0]),
    )
    assert response.status_code == 404


def test_api_proxy_chain_and_upload_errors(client, hall):
    headers = _auth(hall.organiser)
    base = f"/api/v1/events/{hall.event.slug}/assembly"
    a, b, c = hall.rights[:3]
    assert (
        client.put(
            f"{base}/rights/{a.id}/proxy", json={"holder_id": b.id}, headers=headers
        ).status_code
        == 200
    )
    chain = client.put(f"{base}/rights/{b.id}/proxy", json={"holder_id": c.id}, headers=headers)
    assert chain.status_code == 409 and "passed on" in chain.json["error"]["message"]
    missing = client.post(
        f"{base}/applications",
        data={"organisation_name": "CEESEN", "contact_name": "O", "contact_email": "o@example.org"},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert missing.status_code == 422 and "resolution" in missing.json["error"]["fields"]
    created = client.post(
        f"{base}/applications",
        data={
            "organisation_name": "CEESEN",
            "contact_name": "O",
            "contact_email": "o@example.org",
            "resolution": (io.BytesIO(PDF), "r.pdf"),
        },
        headers=headers,
        content_type="multipart/form-data",
    )
    assert created.status_code == 201 and created.json["documents"][0]["size"] == len(PDF)
    attendance = client.get(f"{base}/attendance", headers=headers).json
    assert len(attendance) == 4 and all(row["present"] for row in attendance)


def test_api_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json
    paths = spec["paths"]
    for path in (
        "/api/v1/events/{slug}/assembly/polls/{poll_id}/votes",
        "/api/v1/events/{slug}/assembly/applications",
        "/api/v1/events/{slug}/assembly/attendance",
        "/api/v1/events/{slug}/assembly/motions",
        "/api/v1/events/{slug}/assembly/polls/{poll_id}/ballots",
    ):
        assert path in paths, path


def test_api_vote_resolves_its_token_in_the_vote_and_refuses_bad_ones(client, hall, count_queries):
    """The vote statement itself finds the voter by the token's digest: no separate token
    query, and a missing, unknown or revoked token is still a 401, never a vote."""
    from eventsys.accounts.models import ApiToken
    from eventsys.db import utcnow

    poll = open_motion_poll(hall)
    url = f"/api/v1/events/{hall.event.slug}/assembly/polls/{poll.id}/votes"
    body = {"choices": [option(poll, "yes")]}
    assert client.post(url, json=body).status_code == 401
    unknown = client.post(url, json=body, headers={"Authorization": "Bearer evs_nope"})
    assert unknown.status_code == 401 and unknown.json["error"]["code"] == "unauthorized"
    revoked = _auth(hall.delegates[1])
    for token in db.session.query(ApiToken).filter_by(user_id=hall.delegates[1].id):
        token.revoked_at = utcnow()
    db.session.commit()
    assert client.post(url, json=body, headers=revoked).status_code == 401
    headers = _auth(hall.delegates[0])
    with count_queries() as counter:
        ok = client.post(url, json=body, headers=headers)
    assert ok.status_code == 201
    assert not any("FROM api_tokens" in s and "poll" not in s for s in counter.statements)
    assert services.vote_count(db.session, poll.id) == 1
    assert (
        db.session.execute(
            select(PollVote.cast_by_id).where(PollVote.poll_id == poll.id)
        ).scalar_one()
        == hall.delegates[0].id
    )
