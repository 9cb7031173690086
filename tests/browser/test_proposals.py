"""Journey: Baku's call for side events. A participant submits a proposal from the event page
and sees it listed; a reviewer finds it from their account page and scores it; the organiser
opens Proposals from the manage menu, sees the ranking and accepts it."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.journey import VIEWPORTS, Journey
from tests.browser.test_organiser import log_in

BAKU = "/events/baku-2024-south-south/"


def submit_a_proposal(j: Journey, title: str) -> None:
    page = j.page
    j.go(BAKU)
    page.get_by_role("link", name="Submit a proposal").click()
    j.step("proposal form")
    page.get_by_label("Title (en)").fill(title)
    page.get_by_label("Abstract (en)").fill("Small towns from three continents compare plans.")
    page.get_by_label("Format").select_option(label="Side event")
    page.get_by_label("Track").select_option("Adaptation")
    page.get_by_label("Speakers (one per line: name, e-mail)").fill(
        f"Leyla Mammadova, leyla-{title[-6:]}@example.org"
    )
    page.get_by_label("Which partners from the Global South take part?").fill("Dhaka, Nairobi")
    page.get_by_role("button", name="Send the proposal").click()
    expect(page.get_by_text("your proposal is sent")).to_be_visible()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    j.step("proposal listed")


def review_it(j: Journey, title: str) -> None:
    page = j.page
    # "Your events" on the account page, then the event page's call section.
    page.get_by_role("link", name=re.compile("South-South Cooperation")).click()
    page.get_by_role("link", name="Proposals to review").click()
    j.step("proposals to review")
    page.get_by_role("link", name=title).click()
    j.step("the proposal to review")
    page.get_by_label(re.compile(r"^Relevance")).select_option("5")
    page.get_by_label("South-South cooperation").select_option("4")
    page.get_by_label("Comment").fill("Clear partners, a useful exchange.")
    j.step("review written")
    page.get_by_role("button", name="Save").click()
    row = page.get_by_role("row", name=re.compile(re.escape(title)))
    expect(row).to_contain_text("done")
    j.step("reviewed")


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_a_proposal_is_submitted_reviewed_and_accepted(journey_for, size):
    title = f"Cooling the bazaar streets {uuid.uuid4().hex[:6]}"
    submitter = journey_for("proposer", size)
    log_in(submitter, "participant@example.org")
    submit_a_proposal(submitter, title)

    reviewer = journey_for("reviewer", size)
    log_in(reviewer, "reviewer@example.org")
    reviewer.page.get_by_role("link", name="Rita Revisora").click()
    reviewer.step("reviewer's account")
    review_it(reviewer, title)

    organiser = journey_for("proposals-organiser", size)
    log_in(organiser, "organiser@example.org")
    page = organiser.page
    organiser.go(BAKU)
    page.get_by_role("link", name="Manage this event").click()
    page.get_by_role("navigation", name="Manage this event").get_by_role(
        "link", name="Proposals"
    ).click()
    row = page.get_by_role("row", name=re.compile(re.escape(title)))
    expect(row).to_contain_text("4.50")
    organiser.step("ranking")
    row.get_by_role("link", name=title).click()
    page.get_by_label("Decision").select_option("accept")
    organiser.step("deciding")
    page.get_by_role("button", name="Decide and inform the submitter").click()
    expect(page.get_by_text("The decision is saved")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(re.escape(title)))).to_contain_text("accepted")
    organiser.step("accepted")

    submitter.page.reload()
    expect(submitter.page.locator("li.card", has_text=title)).to_contain_text("accepted")
    submitter.step("the submitter sees the decision")
    for j in (submitter, reviewer, organiser):
        j.finish()
