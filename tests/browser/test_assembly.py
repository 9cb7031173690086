"""Journey 4: the chair opens a poll, two delegates (one holding a proxy) vote from their phones
while their pages follow the chair by themselves, the chair closes the poll after being told how
few have voted, and the projector and the minutes show the decision."""

from __future__ import annotations

import io
import re
import uuid

import pytest
from playwright.sync_api import Locator, expect
from pypdf import PdfReader

from tests.browser.journey import VIEWPORTS, Journey
from tests.browser.test_organiser import log_in

ASSEMBLY = "/events/cascais-2024/assembly"
APPLICANT = "Reţeaua Oraşelor pentru Climă din Moldova"


def prepare_a_resolution(chair: Journey, title: str) -> None:
    """The chair adds a motion and prepares its poll from the desk."""
    page = chair.page
    page.locator("summary", has_text="Add a motion").click()
    page.get_by_label("Kind").select_option("resolution")
    add_motion = page.locator("form").filter(has=page.get_by_role("button", name="Add motion"))
    add_motion.get_by_label(re.compile(r"^Title")).first.fill(title)  # the default language's
    page.get_by_role("button", name="Add motion").click()
    motion = page.locator("section.card", has=page.get_by_role("heading", name=title))
    motion.locator("summary", has_text="Prepare a poll").click()
    motion.get_by_role("button", name="Prepare poll").click()
    chair.step("poll prepared")


def vote_yes(delegate: Journey, title: str) -> None:
    page = delegate.page
    ballot = page.locator("section.ballot", has=page.get_by_role("heading", name=title))
    ballot.get_by_label("Yes", exact=True).check()
    ballot.get_by_role("button", name="Cast my vote").click()
    expect(
        page.get_by_text(re.compile("receipt|You have voted|counted", re.I)).first
    ).to_be_visible()
    delegate.step("voted")


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_chair_runs_a_vote_that_delegates_cast_from_phones(journey_for, size):
    chair = journey_for("chair", size)
    log_in(chair, "organiser@example.org")
    chair.go("/events/cascais-2024/")
    chair.page.get_by_role("link", name="Chair’s desk").click()
    chair.step("the chair's desk")

    # Both delegates have their vote page open before anything is open to vote on.
    delegates = []
    for email in ("participant@example.org", "delegate@example.org"):
        delegate = journey_for(f"delegate-{email.split('@')[0]}", "phone")
        log_in(delegate, email)
        delegate.go("/events/cascais-2024/")
        delegate.page.get_by_role("link", name="Vote", exact=True).click()
        delegate.step("waiting for a poll")
        delegates.append(delegate)

    if size == "desktop":  # the membership application the demo left for its live vote
        title = f"Admission of {APPLICANT}"
        motion = chair.page.locator("section.card", has_text=APPLICANT)
    else:
        title = f"Resolution on warm homes {uuid.uuid4().hex[:4]}"
        prepare_a_resolution(chair, title)
        motion = chair.page.locator("section.card", has_text=title)
    motion.get_by_role("button", name="Open").first.click()
    chair.step("poll opened")
    title_on_ballot = re.compile(re.escape(APPLICANT) if size == "desktop" else re.escape(title))

    for delegate in delegates:  # their pages follow the chair without a reload by hand
        # The ballot's own heading (the agenda on the same page may name the item too).
        heading = ballot_heading(delegate, title_on_ballot)
        expect(heading).to_be_visible(timeout=20_000)
        delegate.step("the poll appeared by itself")
    proxy_holder = delegates[0].page
    own_heading = proxy_holder.get_by_role("heading", name=title_on_ballot)
    ballot = proxy_holder.locator("section.ballot", has=own_heading)
    expect(ballot.get_by_text("Cast this vote for").first).to_be_visible()
    for delegate in delegates:
        vote_yes(delegate, heading_text(delegate, title_on_ballot))

    chair.page.reload()
    motion.get_by_role("button", name="Close and count").first.click()
    expect(
        chair.page.get_by_text(re.compile(r"\d+ of \d+ voting rights present have voted")).first
    ).to_be_visible()
    chair.step("asked before closing")
    chair.page.get_by_role("button", name="Close and count now").click()
    chair.step("poll closed")

    chair.go(f"{ASSEMBLY}/projector")
    expect(chair.page.locator(".decision").first).to_be_visible()
    chair.step("projector")
    minutes = chair.fetch(f"{ASSEMBLY}/manage/minutes.pdf").body()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(minutes)).pages)
    assert re.sub(r"\s+", " ", APPLICANT if size == "desktop" else title)[:20] in re.sub(
        r"\s+", " ", text
    )
    for delegate in delegates:
        delegate.finish()
    chair.finish()


def ballot_heading(delegate: Journey, pattern: re.Pattern[str]) -> Locator:
    return delegate.page.locator("section.ballot").get_by_role("heading", name=pattern).first


def heading_text(delegate: Journey, pattern: re.Pattern[str]) -> str:
    return ballot_heading(delegate, pattern).inner_text().strip()
