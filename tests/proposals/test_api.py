"""The API: listing by role, writing, withdrawing, reviewing; errors in the one envelope."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventsys.accounts.services import create_api_token
from eventsys.db import utcnow
from eventsys.extensions import db
from eventsys.proposals import reviews

BODY = {
    "texts": {"en": {"title": "Cool roofs", "abstract": "White paint, lower bills."}},
    "format": "panel",
    "track": "Adaptation",
    "session_language": "en",
    "organisation_name": "Lisboa",
    "speakers": [{"email": "ana@example.org", "name": "Ana"}],
}


@pytest.fixture
def api(client, event):
    def call(method: str, url: str, user, **kw):
        token = create_api_token(db.session, user)
        return getattr(client, method)(
            f"/api/v1/events/{event.slug}/proposals{url}",
            headers={"Authorization": f"Bearer {token}"},
            **kw,
        )

    return call


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/events/{slug}/proposals",
        "/api/v1/events/{slug}/proposals/{proposal_id}",
        "/api/v1/events/{slug}/proposals/{proposal_id}/withdraw",
        "/api/v1/events/{slug}/proposals/{proposal_id}/reviews",
    ):
        assert path in paths
    assert {"get", "put", "delete"} <= set(paths["/api/v1/events/{slug}/proposals/{proposal_id}"])


def test_create_read_update_and_withdraw_ones_own(api, call, submitter):
    created = api("post", "", submitter, json=BODY)
    assert created.status_code == 201, created.get_json()
    pid = created.get_json()["id"]
    assert created.get_json()["speakers"][0]["status"] == "invited"
    assert api("get", f"/{pid}", submitter).get_json()["title"] == "Cool roofs"
    changed = api("put", f"/{pid}", submitter, json={**BODY, "format": "workshop"})
    assert changed.status_code == 200 and changed.get_json()["format"] == "workshop"
    assert [p["id"] for p in api("get", "", submitter).get_json()] == [pid]
    assert api("delete", f"/{pid}", submitter).get_json()["status"] == "withdrawn"
    again = api("post", f"/{pid}/withdraw", submitter)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"


def test_bad_input_and_the_deadline_get_reasons(api, call, submitter):
    bad = api("post", "", submitter, json={**BODY, "format": "keynote"})
    assert bad.status_code == 422 and "format" in bad.get_json()["error"]["fields"]
    many = api(
        "post",
        "",
        submitter,
        json={**BODY, "speakers": [{"email": f"{i}@x.org"} for i in range(3)]},
    )
    assert many.status_code == 422 and "speakers" in many.get_json()["error"]["fields"]
    call.deadline = utcnow() - timedelta(seconds=1)
    late = api("post", "", submitter, json=BODY)
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "call_closed"


def test_others_see_nothing_of_a_proposal(api, factory, event, call, proposal, reviewer):
    stranger = factory.user(name="Stranger")
    assert api("get", "", stranger).get_json() == []
    assert api("get", f"/{proposal.id}", stranger).status_code == 404
    assert api("put", f"/{proposal.id}", stranger, json=BODY).status_code == 404
    assert api("delete", f"/{proposal.id}", stranger).status_code == 404
    assert api("get", f"/{proposal.id}/reviews", stranger).status_code == 403
    assert api("post", f"/{proposal.id}/reviews", stranger, json={"scores": {}}).status_code == 403
    # The submitter does not see the reviews of their own proposal either.
    reviews.save_review(db.session, proposal, reviewer, {"Relevance": 1, "Quality": 1}, "Weak")
    assert api("get", f"/{proposal.id}/reviews", proposal_submitter(proposal)).status_code == 403


def proposal_submitter(proposal):
    from eventsys.accounts.models import User

    return db.session.get(User, proposal.submitter_id)


def test_reviewers_score_and_see_no_names_under_anonymous_review(api, call, proposal, reviewer):
    call.anonymous_review = True
    (listed,) = api("get", "", reviewer).get_json()
    assert (
        listed["submitter"] is None and listed["speakers"] == [] and listed["organisation"] is None
    )
    assert "Sofia" not in str(api("get", f"/{proposal.id}", reviewer).get_json())
    bad = api("post", f"/{proposal.id}/reviews", reviewer, json={"scores": {"Relevance": 7}})
    assert bad.status_code == 422 and "scores" in bad.get_json()["error"]["fields"]
    saved = api(
        "post",
        f"/{proposal.id}/reviews",
        reviewer,
        json={"scores": {"Relevance": 4, "Quality": 5}, "comment": "Strong"},
    )
    assert saved.status_code == 200 and saved.get_json()["mean"] == 4.5
    assert [r["comment"] for r in api("get", f"/{proposal.id}/reviews", reviewer).get_json()] == [
        "Strong"
    ]


def test_a_conflicted_reviewer_is_refused(api, factory, event, call, proposal, reviewer):
    factory.registration(event, user=reviewer, organisation_name="Município de Almada")
    assert api("get", "", reviewer).get_json() == []
    assert api("get", f"/{proposal.id}", reviewer).status_code == 404
    refused = api(
        "post", f"/{proposal.id}/reviews", reviewer, json={"scores": {"Relevance": 4, "Quality": 5}}
    )
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "conflict_of_interest"


def test_organisers_see_all_with_scores_and_names(api, organiser, call, proposal, reviewer):
    call.anonymous_review = True
    reviews.save_review(db.session, proposal, reviewer, {"Relevance": 2, "Quality": 4}, "")
    (listed,) = api("get", "", organiser).get_json()
    assert listed["submitter"] == "Sofia Submitter" and listed["mean_score"] == 3.0
    (review,) = api("get", f"/{proposal.id}/reviews", organiser).get_json()
    assert review["reviewer"] == "Rui Reviewer"
    # An organiser who is not a reviewer does not score.
    assert api("post", f"/{proposal.id}/reviews", organiser, json={"scores": {}}).status_code == 403


def test_an_event_without_a_call_answers_404(client, factory):
    event = factory.event()
    user = factory.user()
    token = create_api_token(db.session, user)
    response = client.get(
        f"/api/v1/events/{event.slug}/proposals", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
