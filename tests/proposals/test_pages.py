"""The pages: submitting, editing, withdrawing; reviewing; deciding; who may open what."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from eventsys.db import utcnow
from eventsys.extensions import db
from eventsys.mail.models import OutboundMail
from eventsys.proposals import notifications, reviews, services
from eventsys.proposals.models import Proposal, ProposalStatus
from eventsys.proposals.services import call_of
from tests.proposals.conftest import proposal_data

FORM = {
    "title_en": "Heat plans for small towns",
    "abstract_en": "What Almada learned.",
    "title_pt": "",
    "abstract_pt": "",
    "format": "workshop",
    "track": "Adaptation",
    "session_language": "en",
    "organisation_name": "Almada",
    "co_organisers_other": "Loures",
    "speakers": "Sara Speaker, sara@example.org",
    "answer_0": "Mayors",
}


def test_the_event_page_invites_proposals_while_the_call_is_open(client, event, call):
    page = client.get(f"/events/{event.slug}/").get_data(as_text=True)
    assert "Submit a proposal" in page and f"/events/{event.slug}/proposals/new" in page
    call.deadline = utcnow() - timedelta(hours=1)
    page = client.get(f"/events/{event.slug}/").get_data(as_text=True)
    assert "Submit a proposal" not in page and "closed" in page


def test_reviewers_find_their_work_from_their_account_and_the_event_page(
    client, login, event, call, reviewer, submitter
):
    review_list = f"/events/{event.slug}/review"
    login(submitter)
    assert review_list not in client.get(f"/events/{event.slug}/").get_data(as_text=True)
    login(reviewer)
    account = client.get("/account/").get_data(as_text=True)
    assert f"/events/{event.slug}/" in account and "reviewer" in account
    assert "check-in staff" not in account
    assert review_list in client.get(f"/events/{event.slug}/").get_data(as_text=True)


def test_submit_edit_and_withdraw_through_the_pages(client, login, event, call, submitter):
    url = f"/events/{event.slug}/proposals"
    assert client.get(url + "/new").status_code == 302  # to the login page
    login(submitter)
    assert client.get(url + "/new").status_code == 200
    response = client.post(url + "/new", data=FORM)
    assert response.status_code == 302
    proposal = db.session.query(Proposal).one()
    assert proposal.texts == {
        "en": {"title": "Heat plans for small towns", "abstract": "What Almada learned."}
    }
    assert proposal.co_organisers == [{"organisation_id": None, "name": "Loures"}]
    assert proposal.answers == {"Who is the audience?": "Mayors"}
    edit = client.get(f"{url}/{proposal.id}/edit").get_data(as_text=True)
    assert "What Almada learned." in edit and "sara@example.org" in edit
    changed = client.post(f"{url}/{proposal.id}/edit", data={**FORM, "title_pt": "Planos"})
    assert changed.status_code == 422 and "abstract" in changed.get_data(as_text=True)
    client.post(f"{url}/{proposal.id}/withdraw")
    assert db.session.get(Proposal, proposal.id).status == ProposalStatus.WITHDRAWN


def test_bad_input_and_the_deadline_get_clear_messages(client, login, event, call, submitter):
    login(submitter)
    url = f"/events/{event.slug}/proposals/new"
    too_many = client.post(url, data={**FORM, "speakers": "a@x.org\nb@x.org\nc@x.org"})
    assert too_many.status_code == 422 and "at most 2 speakers" in too_many.get_data(as_text=True)
    bad_format = client.post(url, data={**FORM, "format": "keynote"})
    assert bad_format.status_code == 422
    call.deadline = utcnow() - timedelta(minutes=1)
    closed = client.post(url, data=FORM, follow_redirects=True)
    assert "The call for proposals is closed" in closed.get_data(as_text=True)
    assert db.session.query(Proposal).count() == 0


def test_nobody_reaches_another_persons_proposal(client, login, factory, event, proposal):
    url = f"/events/{event.slug}/proposals/{proposal.id}"
    login(factory.user(name="Stranger"))
    assert client.get(url + "/edit").status_code == 404
    assert client.post(url + "/withdraw").status_code == 404
    assert client.get(f"/events/{event.slug}/manage/proposals").status_code == 403
    assert client.get(f"/events/{event.slug}/review").status_code == 403
    assert client.get(f"/events/{event.slug}/review/{proposal.id}").status_code == 403
    assert client.get(f"/events/{event.slug}/manage/proposals.csv").status_code == 403


def test_a_reviewer_scores_but_cannot_decide(client, login, event, call, proposal, reviewer):
    login(reviewer)
    listing = client.get(f"/events/{event.slug}/review").get_data(as_text=True)
    assert "Solar cooperatives" in listing and "Sofia Submitter" not in listing
    page = client.get(f"/events/{event.slug}/review/{proposal.id}").get_data(as_text=True)
    assert "Sofia Submitter" in page  # review is not anonymous
    bad = client.post(
        f"/events/{event.slug}/review/{proposal.id}", data={"score_0": "9", "score_1": "2"}
    )
    assert bad.status_code == 422
    saved = client.post(
        f"/events/{event.slug}/review/{proposal.id}",
        data={"score_0": "4", "score_1": "2", "comment": "Good"},
    )
    assert saved.status_code == 302
    assert reviews.own_review(db.session, proposal, reviewer).scores == {
        "Relevance": 4,
        "Quality": 2,
    }
    decide = client.post(
        f"/events/{event.slug}/manage/proposals/{proposal.id}", data={"decision": "accept"}
    )
    assert decide.status_code == 403
    assert db.session.get(Proposal, proposal.id).status == ProposalStatus.SUBMITTED


def test_anonymous_review_hides_names_on_the_pages(client, login, event, call, proposal, reviewer):
    call.anonymous_review = True
    login(reviewer)
    page = client.get(f"/events/{event.slug}/review/{proposal.id}").get_data(as_text=True)
    assert "Solar cooperatives" in page
    for name in ("Sofia Submitter", "Sara Speaker", "speaker@example.org", "Almada"):
        assert name not in page


def test_organisers_read_the_review_pages_but_only_reviewers_score(
    client, login, event, proposal, organiser
):
    login(organiser)
    page = client.get(f"/events/{event.slug}/review/{proposal.id}").get_data(as_text=True)
    assert "Solar cooperatives" in page and "score_0" not in page
    refused = client.post(
        f"/events/{event.slug}/review/{proposal.id}", data={"score_0": "4", "score_1": "2"}
    )
    assert (
        refused.status_code == 403 and reviews.own_review(db.session, proposal, organiser) is None
    )


def test_a_conflicted_reviewer_cannot_open_the_proposal(
    client, login, factory, event, proposal, reviewer
):
    factory.registration(event, user=reviewer, organisation_name="Município de Almada")
    login(reviewer)
    assert "Solar cooperatives" not in client.get(f"/events/{event.slug}/review").get_data(
        as_text=True
    )
    assert client.get(f"/events/{event.slug}/review/{proposal.id}").status_code == 403


def test_the_organiser_ranks_decides_and_exports(
    client, login, factory, event, call, proposal, organiser, reviewer
):
    reviews.save_review(db.session, proposal, reviewer, {"Relevance": 5, "Quality": 3}, "")
    login(organiser)
    nav = client.get(f"/events/{event.slug}/manage/").get_data(as_text=True)
    assert f"/events/{event.slug}/manage/proposals" in nav
    page = client.get(f"/events/{event.slug}/manage/proposals").get_data(as_text=True)
    assert "Solar cooperatives" in page and "4.00" in page
    settings = client.get(f"/events/{event.slug}/manage/proposals/call").get_data(as_text=True)
    assert "Relevance" in settings
    mails = client.post(
        f"/events/{event.slug}/manage/proposals/mails",
        data={"decision": "accept", "subject": "Yes: {title}", "body": "Dear {name}"},
    )
    assert mails.status_code == 302
    decided = client.post(
        f"/events/{event.slug}/manage/proposals/{proposal.id}", data={"decision": "accept"}
    )
    assert decided.status_code == 302
    mail = db.session.query(OutboundMail).filter_by(kind="proposal_accept").one()
    assert mail.subject == "Yes: Solar cooperatives" and mail.text_body == "Dear Sofia Submitter"
    table = client.get(f"/events/{event.slug}/manage/proposals.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(table.lstrip("\ufeff"))))
    assert rows[0][:2] == ["No.", "Title"] and rows[1][1] == "Solar cooperatives"
    assert rows[1][11] == "4.0" and rows[1][-2:] == ["5.0", "3.0"]
    book = load_workbook(io.BytesIO(client.get(f"/events/{event.slug}/manage/proposals.xlsx").data))
    assert book.active.cell(2, 2).value == "Solar cooperatives"
    unscheduled = client.get(f"/events/{event.slug}/programme/manage/unscheduled")
    assert "Solar cooperatives" in unscheduled.get_data(as_text=True)


def test_the_organiser_opens_a_call_in_the_event_zone(client, login, event, organiser):
    login(organiser)
    url = f"/events/{event.slug}/manage/proposals"
    assert f"{url}/call" in client.get(url).get_data(as_text=True)  # no call yet: open one
    data = {
        "deadline": "2030-05-01T18:00",
        "formats": ["workshop", "side_event"],
        "languages": "en, pt",
        "criteria": "Relevance",
        "max_organisations": "2",
        "max_speakers": "3",
        "is_open": "y",
    }
    assert client.post(url + "/call", data={**data, "languages": "english"}).status_code == 422
    assert client.post(url + "/call", data=data).status_code == 302
    saved = call_of(db.session, event)
    assert saved.deadline.isoformat() == "2030-05-01T17:00:00+00:00"  # Lisbon summer time
    assert saved.formats == ["workshop", "side_event"]


def test_a_speaker_confirms_through_the_invitation(client, proposal):
    speaker = proposal.speakers[0]
    token = notifications.speaker_token(speaker)
    assert client.get(f"/proposals/speaker/{token}").status_code == 200
    assert client.get(f"/proposals/speaker/{token}x").status_code == 404
    assert client.post(f"/proposals/speaker/{token}", data={"name": ""}).status_code == 422
    done = client.post(
        f"/proposals/speaker/{token}",
        data={"name": "Sara Santos", "organisation": "Almada", "bio": "Engineer."},
    )
    assert done.status_code == 302
    assert speaker.status.value == "confirmed" and speaker.bio == "Engineer."


@pytest.mark.parametrize("path", ["/proposals", "/proposals/new"])
def test_an_event_without_a_call_has_no_proposal_pages(client, login, factory, path):
    event = factory.event()
    login(factory.user())
    assert client.get(f"/events/{event.slug}{path}").status_code == 404


def test_the_review_tab_is_shown_only_where_there_is_a_call(client, login, factory, event, call):
    """An administrator sees every manage tab; Review led to a 404 page on an event with no call
    for proposals (bench/pages.py found the link)."""
    without_call = factory.event()
    login(factory.user(admin=True))
    registrations = "/events/{}/manage/roles/"
    page = client.get(registrations.format(without_call.slug)).get_data(as_text=True)
    assert f"/events/{without_call.slug}/review" not in page
    page = client.get(registrations.format(event.slug)).get_data(as_text=True)
    assert f"/events/{event.slug}/review" in page
    assert client.get(f"/events/{event.slug}/review").status_code == 200


def test_the_review_list_takes_as_many_queries_for_40_proposals_as_for_2(
    client, login, factory, event, call, reviewer, count_queries
):
    """Each proposal's speakers and reviews were loaded one proposal at a time: 88 queries for
    the demo's 40 (bench/pages.py)."""
    login(reviewer)

    def queries_for_the_list() -> int:
        client.get(f"/events/{event.slug}/review")  # warm
        with count_queries() as counter:
            page = client.get(f"/events/{event.slug}/review")
        assert page.status_code == 200
        return counter.count

    for _ in range(2):
        services.submit(db.session, call, factory.user(), proposal_data())
    db.session.commit()
    few = queries_for_the_list()
    for _ in range(38):
        services.submit(db.session, call, factory.user(), proposal_data())
    db.session.commit()
    assert queries_for_the_list() == few
