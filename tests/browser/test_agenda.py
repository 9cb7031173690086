"""Journey: the Assembly's agenda and speakers. The chair adds an item with a speaking time and
opens it from the agenda page; a delegate asks to speak from their phone; the chair gives them
the floor; the projector shows the item, the speaker and a running timer; another delegate
joins remotely; the chair closes the item again."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.journey import VIEWPORTS, Journey
from tests.browser.test_organiser import log_in

EVENT = "/events/cascais-2024/"


def open_vote_page(j: Journey, email: str) -> None:
    log_in(j, email)
    j.go(EVENT)
    j.page.get_by_role("link", name="Vote", exact=True).click()


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_chair_gives_the_floor_and_the_projector_times_it(journey_for, size):
    title = f"Heat action plans {uuid.uuid4().hex[:4]}"
    chair = journey_for("agenda-chair", size)
    log_in(chair, "organiser@example.org")
    page = chair.page
    chair.go(EVENT)
    page.get_by_role("link", name="Chair’s desk").click()
    page.get_by_role("link", name="Agenda and speakers").click()
    chair.step("agenda page")
    page.locator("summary", has_text="Add an agenda item").click()
    page.get_by_label("Kind").select_option("other")
    page.get_by_label("Title").fill(title)
    page.get_by_label(re.compile("^Speaking time per speaker")).fill("120")
    page.get_by_role("button", name="Add item").click()
    item = page.locator("section.card", has=page.get_by_role("heading", name=title))
    item.get_by_role("button", name="Open this item").click()
    expect(item).to_contain_text("open now")
    chair.step("item opened")

    speaker = journey_for("agenda-speaker", "phone")
    open_vote_page(speaker, "participant@example.org")
    agenda = speaker.page.locator("#agenda")
    expect(agenda).to_contain_text(title)
    speaker.step("the open item on the phone")
    agenda.get_by_role("button", name="Ask to speak").click()
    expect(speaker.page.locator("#agenda")).to_contain_text("You are number 1")
    speaker.step("asked to speak")

    page.reload()
    item.get_by_role("button", name="Give the floor").click()
    expect(item).to_contain_text("Speaking: Pedro Participante")
    chair.step("speaker started")
    page.get_by_role("link", name="Projector").click()
    now = page.locator(".agenda-now")
    expect(now).to_contain_text(title)
    expect(now).to_contain_text("Speaking: Pedro Participante")
    timer = now.locator(".timer")
    shown = timer.inner_text()
    assert re.fullmatch(r"-?\d+:\d\d", shown.strip()), shown
    expect(timer).not_to_have_text(shown, timeout=5_000)  # it counts down by itself
    chair.step("projector")

    remote = journey_for("agenda-remote", "phone")
    open_vote_page(remote, "delegate@example.org")
    if remote.page.get_by_role("button", name="Leave the Assembly").count():
        remote.page.get_by_role("button", name="Leave the Assembly").click()  # an earlier run
    remote.page.get_by_role("button", name="Join remotely").click()
    expect(remote.page.get_by_text("You are present remotely.")).to_be_visible()
    remote.step("joined remotely")

    page.go_back()
    page.reload()
    item.get_by_role("button", name="Close this item").click()
    expect(item).to_contain_text("closed")
    expect(item.get_by_role("listitem").filter(has_text="Pedro Participante")).to_be_visible()
    chair.step("item closed")
    for j in (speaker, remote, chair):
        j.finish()
