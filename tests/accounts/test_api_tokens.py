"""API tokens record their last use cheaply; their owner sees and revokes them (issue 10 §7)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from eventsys.accounts.models import ApiToken
from eventsys.accounts.services import TOKEN_USE_RESOLUTION, create_api_token
from eventsys.db import utcnow
from eventsys.extensions import db


def _token_row(user) -> ApiToken:
    return db.session.execute(select(ApiToken).where(ApiToken.user_id == user.id)).scalar_one()


def _use(client, event, token):
    response = client.get(
        f"/api/v1/events/{event.slug}/registrations", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()


def test_a_request_with_the_token_records_its_use(client, factory):
    user = factory.user()
    event = factory.event(organiser=user)
    token = create_api_token(db.session, user, "sync")
    assert _token_row(user).last_used_at is None
    before = utcnow()
    _use(client, event, token)
    assert _token_row(user).last_used_at >= before.replace(microsecond=0)


def test_the_use_is_written_at_most_once_per_interval(client, factory, count_queries):
    user = factory.user()
    event = factory.event(organiser=user)
    token = create_api_token(db.session, user, "sync")
    recent = utcnow() - TOKEN_USE_RESOLUTION / 2
    _token_row(user).last_used_at = recent
    db.session.commit()  # the set-up's own write, not counted below
    with count_queries() as counter:
        _use(client, event, token)
    assert not [s for s in counter.statements if s.lstrip().upper().startswith("UPDATE API_TOKENS")]
    assert _token_row(user).last_used_at == recent

    # Later than the interval (time travel: the last use moved back), one UPDATE moves it on.
    stale = utcnow() - TOKEN_USE_RESOLUTION - timedelta(minutes=1)
    _token_row(user).last_used_at = stale
    db.session.commit()
    with count_queries() as counter:
        _use(client, event, token)
    updates = [s for s in counter.statements if s.lstrip().upper().startswith("UPDATE API_TOKENS")]
    assert len(updates) == 1
    assert _token_row(user).last_used_at > stale + TOKEN_USE_RESOLUTION


def test_the_account_page_lists_tokens_with_their_last_use(client, factory, login):
    user = factory.user()
    create_api_token(db.session, user, "laptop sync")
    other = factory.user()
    create_api_token(db.session, other, "not yours")
    _token_row(user).last_used_at = utcnow() - timedelta(days=40)
    login(user)
    page = client.get("/account/").get_data(as_text=True)
    assert "<td>laptop sync</td>" in page
    assert "not yours" not in page
    assert "Revoke" in page


def test_the_owner_revokes_a_token_and_it_stops_working(client, factory, login):
    user = factory.user()
    event = factory.event(organiser=user)
    token = create_api_token(db.session, user, "old script")
    row_id = _token_row(user).id
    login(user)
    response = client.post(f"/account/tokens/{row_id}/revoke")
    assert response.status_code == 302
    db.session.expire_all()
    assert _token_row(user).revoked_at is not None
    denied = client.get(
        f"/api/v1/events/{event.slug}/registrations", headers={"Authorization": f"Bearer {token}"}
    )
    assert denied.status_code == 401
    assert "<td>old script</td>" not in client.get("/account/").get_data(as_text=True)


def test_nobody_revokes_someone_elses_token(client, factory, login):
    owner = factory.user()
    create_api_token(db.session, owner, "owner's")
    row_id = _token_row(owner).id
    login(factory.user())
    assert client.post(f"/account/tokens/{row_id}/revoke").status_code == 404
    assert client.post("/account/tokens/999999/revoke").status_code == 404
    db.session.expire_all()
    assert _token_row(owner).revoked_at is None


def test_a_writing_request_records_the_use_in_its_own_transaction(client, factory, count_queries):
    user = factory.user()
    event = factory.event(organiser=user)
    token = create_api_token(db.session, user, "sync")
    db.session.commit()
    with count_queries() as counter:
        response = client.post(
            f"/api/v1/events/{event.slug}/registrations",
            json={"category": "delegate", "display_name": "Ana"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 201, response.get_json()
    updates = [s for s in counter.statements if s.lstrip().upper().startswith("UPDATE API_TOKENS")]
    assert len(updates) == 1
    db.session.expire_all()
    assert _token_row(user).last_used_at is not None


def test_a_refused_write_still_records_the_use(client, factory):
    user = factory.user()
    event = factory.event(organiser=user)
    token = create_api_token(db.session, user, "sync")
    db.session.commit()
    response = client.post(
        f"/api/v1/events/{event.slug}/registrations",
        json={"category": "no-such-category", "display_name": "Ana"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422, response.get_json()
    db.session.expire_all()
    assert _token_row(user).last_used_at is not None
