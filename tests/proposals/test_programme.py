"""Reviewers join through the Team page; accepted proposals are scheduled from the editor."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from eventsys.extensions import db
from eventsys.programme.models import ProgrammeSession, Room
from eventsys.programme.unscheduled import unscheduled_of
from eventsys.proposals import decisions
from eventsys.proposals.models import Proposal, ProposalStatus


def test_an_organiser_adds_a_reviewer_who_then_sees_the_review_link(
    client, login, factory, event, call, organiser
):
    reviewer = factory.user("rita@example.org", name="Rita Revisora")
    login(organiser)
    page = client.get(f"/events/{event.slug}/manage/roles/").get_data(as_text=True)
    assert 'value="reviewer"' in page
    client.post(
        f"/events/{event.slug}/manage/roles/",
        data={"email": "rita@example.org", "role": "reviewer"},
    )
    listed = client.get(f"/events/{event.slug}/manage/roles/").get_data(as_text=True)
    assert "Rita Revisora" in listed and "Reviewer" in listed
    login(reviewer)
    page = client.get(f"/events/{event.slug}/review").get_data(as_text=True)
    assert f'href="/events/{event.slug}/review"' in page  # in the manage nav
    assert f"/events/{event.slug}/manage/proposals" not in page


def test_the_editor_schedules_an_accepted_proposal(client, login, event, proposal, organiser):
    room = Room(event_id=event.id, name="Sala Atlântico", capacity=40)
    db.session.add(room)
    decisions.decide(db.session, proposal, "accept")
    (row,) = unscheduled_of(db.session, event)
    login(organiser)
    editor = client.get(f"/events/{event.slug}/programme/manage").get_data(as_text=True)
    assert f"/events/{event.slug}/programme/manage/unscheduled" in editor
    url = f"/events/{event.slug}/programme/manage/unscheduled/{row.id}"
    day = event.starts_at.astimezone(ZoneInfo(event.timezone)).strftime("%Y-%m-%d")
    bad = client.post(url, data={"room_id": room.id, "starts_at": "", "minutes": "90"})
    assert bad.status_code == 422
    done = client.post(url, data={"room_id": room.id, "starts_at": f"{day}T14:30", "minutes": "90"})
    assert done.status_code == 302
    session = db.session.query(ProgrammeSession).filter_by(title="Solar cooperatives").one()
    assert session.room_id == room.id and [s.name for s in session.speakers] == ["Sara Speaker"]
    again = client.post(
        url, data={"room_id": room.id, "starts_at": f"{day}T16:30", "minutes": "60"}
    )
    assert again.status_code == 409
    assert client.post(f"{url}999", data={}).status_code == 404


def test_a_bad_decision_is_refused_on_the_page(client, login, event, proposal, organiser):
    login(organiser)
    url = f"/events/{event.slug}/manage/proposals/{proposal.id}"
    assert client.post(url, data={"decision": "maybe"}).status_code == 422
    assert db.session.get(Proposal, proposal.id).status == ProposalStatus.SUBMITTED
    other = client.get(f"/events/{event.slug}/manage/proposals/999999")
    assert other.status_code == 404
