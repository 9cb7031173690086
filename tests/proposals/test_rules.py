"""The rules of a call: deadline, limits, withdrawal, conflicts, anonymity, ranking."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventsys.db import utcnow
from eventsys.errors import Conflict, Forbidden, ServiceError
from eventsys.extensions import db
from eventsys.mail.models import OutboundMail
from eventsys.programme.models import UnscheduledSession
from eventsys.programme.unscheduled import schedule, unscheduled_of
from eventsys.proposals import decisions, reviews, services
from eventsys.proposals.models import ProposalStatus
from tests.proposals.conftest import call_data, proposal_data


def test_a_proposal_keeps_its_texts_per_language_and_invites_its_speakers(proposal):
    assert set(proposal.texts) == {"en", "pt"}
    assert proposal.text("title", "pt") == "Cooperativas solares"
    assert proposal.text("title", "ru") == "Solar cooperatives"  # first written language
    mails = db.session.query(OutboundMail).filter_by(kind="proposal_speaker_invite").all()
    assert [m.to_address for m in mails] == ["speaker@example.org"]
    assert "/proposals/speaker/" in mails[0].text_body


def test_no_proposal_or_change_after_the_deadline(call, proposal, submitter):
    call.deadline = utcnow() - timedelta(minutes=1)
    with pytest.raises(Conflict) as exc:
        services.submit(db.session, call, submitter, proposal_data())
    assert "closed" in exc.value.message
    with pytest.raises(Conflict):
        services.update(db.session, proposal, proposal_data())
    # Withdrawing stays possible until a decision.
    assert services.withdraw(db.session, proposal).status == ProposalStatus.WITHDRAWN
    with pytest.raises(Conflict):
        services.withdraw(db.session, proposal)


def test_limits_on_speakers_and_organisations(call, submitter):
    three = [{"email": f"s{i}@example.org"} for i in range(3)]
    with pytest.raises(ServiceError) as exc:
        services.submit(db.session, call, submitter, proposal_data(speakers=three))
    assert exc.value.field == "speakers" and "2 speakers" in exc.value.message
    orgs = [{"name": n} for n in ("Almada", "Loures", "Sintra")]
    with pytest.raises(ServiceError) as exc:
        services.submit(db.session, call, submitter, proposal_data(co_organisers=orgs))
    assert exc.value.field == "co_organisers"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"format": "keynote"}, "format"),
        ({"track": "Nowhere"}, "track"),
        ({"session_language": "de"}, "session_language"),
        ({"texts": {"de": {"title": "T", "abstract": "A"}}}, "texts"),
        ({"texts": {"en": {"title": "", "abstract": ""}}}, "title"),
        ({"texts": {"en": {"title": "T", "abstract": ""}}}, "abstract"),
        ({"speakers": [{"email": "not-an-address"}]}, "speakers"),
        ({"co_organisers": [{"organisation_id": 999999}]}, "co_organisers"),
    ],
)
def test_bad_proposals_are_refused_with_a_reason(call, submitter, change, field):
    with pytest.raises(ServiceError) as exc:
        services.submit(db.session, call, submitter, proposal_data(**change))
    assert exc.value.field == field and exc.value.message


def test_a_call_needs_formats_languages_and_criteria(event):
    for change, field in (
        ({"formats": []}, "formats"),
        ({"formats": ["keynote"]}, "formats"),
        ({"languages": ["english"]}, "languages"),
        ({"criteria": [" "]}, "criteria"),
        ({"max_speakers": 0}, "max_speakers"),
    ):
        with pytest.raises(ServiceError) as exc:
            services.save_call(db.session, event, call_data(**change))
        assert exc.value.field == field


def test_editing_keeps_confirmed_speakers_and_invites_new_ones(proposal):
    speaker = proposal.speakers[0]
    services.confirm_speaker(db.session, speaker, name="Sara S.", organisation="Almada", bio="")
    services.update(
        db.session,
        proposal,
        proposal_data(speakers=[{"email": "speaker@example.org"}, {"email": "new@example.org"}]),
    )
    assert [s.email for s in proposal.speakers] == ["speaker@example.org", "new@example.org"]
    assert proposal.speakers[0].name == "Sara S."
    invited = db.session.query(OutboundMail).filter_by(kind="proposal_speaker_invite").all()
    assert sorted(m.to_address for m in invited) == ["new@example.org", "speaker@example.org"]


def test_a_reviewer_of_the_same_organisation_is_excluded(factory, event, proposal, reviewer):
    own = reviews.reviewer_organisations(db.session, reviewer)
    assert not reviews.has_conflict(proposal, reviewer, own)
    factory.registration(event, user=reviewer, organisation_name="  município de ALMADA ")
    with pytest.raises(Forbidden):
        reviews.save_review(db.session, proposal, reviewer, {"Relevance": 3, "Quality": 4}, "")
    assert reviews.reviewable(db.session, [proposal], reviewer) == []


def test_a_co_organiser_is_a_conflict_too(factory, call, submitter, reviewer, event):
    town = factory.organisation("Loures")
    proposal = services.submit(
        db.session, call, submitter, proposal_data(co_organisers=[{"organisation_id": town.id}])
    )
    registration = factory.registration(event, user=reviewer, organisation_name="Elsewhere")
    registration.organisation_id = town.id
    assert reviews.reviewable(db.session, [proposal], reviewer) == []


def test_scores_are_checked(proposal, reviewer):
    for scores in (
        {"Relevance": 6, "Quality": 1},
        {"Relevance": 3},
        {"Relevance": "x"},
        {"Relevance": 2.5, "Quality": 1},
        {"Relevance": 1, "Quality": 1, "Fun": 2},
    ):
        with pytest.raises(ServiceError):
            reviews.save_review(db.session, proposal, reviewer, scores, "")
    review = reviews.save_review(
        db.session, proposal, reviewer, {"Relevance": 4, "Quality": 2}, "ok"
    )
    again = reviews.save_review(db.session, proposal, reviewer, {"Relevance": 5, "Quality": 5}, "")
    assert again.id == review.id and again.mean == 5.0


def test_ranking_is_by_mean_with_its_spread():
    ranked = reviews.rank([("a", [2.0, 4.0]), ("b", []), ("c", [5.0, 4.0, 3.0]), ("d", [1.0])])
    assert [r.proposal for r in ranked] == ["c", "a", "d", "b"]
    c, a, d, b = ranked
    assert (c.mean, c.low, c.high, c.reviews) == (4.0, 3.0, 5.0, 3)
    assert a.stdev == pytest.approx(1.0) and d.stdev == 0.0
    assert b.mean is None and b.reviews == 0


def test_anonymous_review_hides_names(proposal):
    names = reviews.visible_names(proposal, anonymous=True)
    assert names["submitter"] is None and names["speakers"] == []
    assert reviews.visible_names(proposal, anonymous=False)["submitter"] == "Sofia Submitter"


def test_accepting_adds_an_unscheduled_session_and_mails_the_submitter(factory, event, proposal):
    sara = factory.user("speaker@example.org", name="Sara Speaker")
    decisions.decide(db.session, proposal, "accept")
    assert proposal.status == ProposalStatus.ACCEPTED
    (row,) = unscheduled_of(db.session, event)
    assert row.title == "Solar cooperatives"
    assert row.speakers == [{"name": "Sara Speaker", "user_id": sara.id}]  # linked by address
    mail = db.session.query(OutboundMail).filter_by(kind="proposal_accept").one()
    assert "Solar cooperatives" in mail.subject and "Sofia Submitter" in mail.text_body
    with pytest.raises(Conflict):
        services.withdraw(db.session, proposal)
    with pytest.raises(Conflict):
        decisions.decide(db.session, proposal, "reject")
    start = event.starts_at + timedelta(hours=2)
    placed = schedule(
        db.session, event, row, room_id=None, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    assert [(s.name, s.user_id) for s in placed.speakers] == [("Sara Speaker", sara.id)]
    assert unscheduled_of(db.session, event) == []
    assert db.session.get(UnscheduledSession, row.id).session_id == placed.id


def test_decision_mails_use_the_call_templates(call, proposal):
    decisions.save_mail_template(call, "waitlist", "Wait: {title}", "Dear {name}, {event} {odd}")
    decisions.decide(db.session, proposal, "waitlist")
    mail = db.session.query(OutboundMail).filter_by(kind="proposal_waitlist").one()
    assert mail.subject == "Wait: Solar cooperatives"
    assert mail.text_body == f"Dear Sofia Submitter, {call.event.title} {{odd}}"
    decisions.decide(db.session, proposal, "reject")  # from the waiting list
    with pytest.raises(ServiceError):
        decisions.decide(db.session, proposal, "maybe")
    with pytest.raises(ServiceError):
        decisions.save_mail_template(call, "accept", "", "body")


def test_a_deleted_persons_proposals_and_speaker_profile_name_nobody(factory, call, submitter):
    from eventsys.privacy.services import erase_person
    from eventsys.proposals import privacy

    speaker_user = factory.user("speaker@example.org", name="Sara Speaker")
    proposal = services.submit(db.session, call, submitter, proposal_data())
    services.confirm_speaker(
        db.session, proposal.speakers[0], name="Sara Speaker", organisation="X", bio="Bio"
    )
    exported = privacy.export_proposals(db.session, speaker_user)
    assert exported["speaker_of"][0]["bio"] == "Bio"
    assert privacy.export_proposals(db.session, submitter)["submitted"][0]["status"] == "submitted"
    erase_person(db.session, submitter)
    erase_person(db.session, speaker_user)
    assert proposal.submitter_name == "" and proposal.submitter_id is None
    assert proposal.organisation_name == ""
    speaker = proposal.speakers[0]
    assert (speaker.name, speaker.bio, speaker.email) == ("", "", f"erased:{speaker.id}")
