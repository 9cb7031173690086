"""An event's parent is one its organisers also organise (administrators: any), and choosing a
parent reveals nothing about other organisers' drafts (issue 10, §7)."""

from __future__ import annotations

from eventsys.accounts.services import create_api_token
from eventsys.extensions import db


def _bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_api_token(db.session, user, 'test')}"}


def test_api_parent_must_be_an_event_the_caller_organises(client, factory):
    mine = factory.user()
    theirs = factory.user()
    event = factory.event("mine-2025", organiser=mine)
    other = factory.event("other-2025", organiser=mine)
    draft = factory.event("secret-draft", organiser=theirs, is_published=False)
    published = factory.event("their-published", organiser=theirs)
    headers = _bearer(mine)
    db.session.commit()

    refusals = []
    for slug in (draft.slug, published.slug, "no-such-event"):
        response = client.patch(
            f"/api/v1/events/{event.slug}", json={"parent": slug}, headers=headers
        )
        assert response.status_code == 422, (slug, response.get_json())
        refusals.append(response.get_json()["error"])
    # A draft, someone else's published event and no event at all: the same answer.
    assert refusals[0] == {**refusals[2], "message": refusals[0]["message"]}
    assert {r["message"] for r in refusals} == {refusals[0]["message"]}
    db.session.refresh(event)
    assert event.parent_id is None
    assert event not in draft.sub_events

    response = client.patch(
        f"/api/v1/events/{event.slug}", json={"parent": other.slug}, headers=headers
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["parent"] == other.slug


def test_admin_may_choose_any_parent(client, factory):
    admin = factory.user(admin=True)
    event = factory.event()
    draft = factory.event(is_published=False)
    headers = _bearer(admin)
    db.session.commit()
    response = client.patch(
        f"/api/v1/events/{event.slug}", json={"parent": draft.slug}, headers=headers
    )
    assert response.status_code == 200
    assert response.get_json()["parent"] == draft.slug


def test_details_form_offers_and_accepts_only_organised_parents(client, login, factory):
    from tests.events.conftest import event_form

    mine = factory.user()
    theirs = factory.user()
    event = factory.event("form-mine", organiser=mine, title="My forum")
    other = factory.event("form-other", organiser=mine, title="My other forum")
    draft = factory.event(
        "form-draft", organiser=theirs, is_published=False, title="Unannounced summit"
    )
    db.session.commit()
    login(mine)
    page = client.get(f"/events/{event.slug}/manage/details").get_data(as_text=True)
    assert "My other forum" in page
    assert "Unannounced summit" not in page and f'value="{draft.id}"' not in page

    response = client.post(
        f"/events/{event.slug}/manage/details",
        data=event_form(slug=None, parent_id=str(draft.id)),
    )
    assert response.status_code == 200  # refused: the form again
    db.session.refresh(event)
    assert event.parent_id is None
    response = client.post(
        f"/events/{event.slug}/manage/details",
        data=event_form(slug=None, parent_id=str(other.id)),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    db.session.refresh(event)
    assert event.parent_id == other.id
