"""The demo's calls: Cascais closed with 40 reviewed proposals, its workshops the accepted
ones; Baku open for side events."""

from __future__ import annotations

from sqlalchemy import select

from eventsys.accounts.services import find_user_by_email
from eventsys.db import utcnow
from eventsys.demo import load_demo
from eventsys.extensions import db
from eventsys.programme.models import ProgrammeSession, SessionKind, UnscheduledSession
from eventsys.proposals import reviews, services
from eventsys.proposals.models import ProposalStatus


def test_the_demo_calls(client, login):
    ctx = load_demo(db.session)
    assert ctx is not None
    cascais = services.call_of(db.session, ctx.cascais)
    assert not cascais.accepts_submissions(utcnow()) and cascais.anonymous_review
    proposals = services.proposals_of_call(db.session, cascais)
    assert 36 <= len(proposals) <= 44
    statuses = {s: sum(p.status == s for p in proposals) for s in ProposalStatus}
    assert statuses[ProposalStatus.ACCEPTED] == 24
    assert statuses[ProposalStatus.WAITLISTED] and statuses[ProposalStatus.REJECTED]
    reviewers = {r.reviewer_id for p in proposals for r in p.reviews}
    assert len(reviewers) == 3
    ranked = reviews.ranking(proposals)
    assert ranked[0].proposal.status == ProposalStatus.ACCEPTED and ranked[0].reviews >= 2
    # The accepted ones are the conference's workshops.
    workshops = set(
        db.session.execute(
            select(ProgrammeSession.id).where(
                ProgrammeSession.event_id == ctx.cascais.id,
                ProgrammeSession.kind == SessionKind.WORKSHOP,
            )
        ).scalars()
    )
    linked = {
        db.session.get(UnscheduledSession, p.unscheduled_id).session_id
        for p in proposals
        if p.status == ProposalStatus.ACCEPTED
    }
    assert linked == workshops
    baku = services.call_of(db.session, ctx.baku)
    assert baku.accepts_submissions(utcnow()) and baku.formats[0] == "side_event"
    assert len(services.proposals_of_user(db.session, baku, ctx.participant)) == 2
    # The pages, as the demo's organiser, a reviewer (anonymous review) and a participant.
    login(ctx.organiser)
    ranked_page = client.get("/events/cascais-2024/manage/proposals").get_data(as_text=True)
    assert ranked_page.count("/manage/proposals/") >= 40
    login(find_user_by_email(db.session, "reviewer@example.org"))
    review_page = client.get("/events/cascais-2024/review").get_data(as_text=True)
    assert "Anonymous review" in review_page
    login(ctx.participant)
    baku_page = client.get("/events/baku-2024-south-south/").get_data(as_text=True)
    assert "Submit a proposal" in baku_page
