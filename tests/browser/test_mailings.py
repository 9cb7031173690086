"""An organiser writes to the people registered for the upcoming workshop, by clicking from the
event's manage page: filters, text with a placeholder, a preview as one recipient, sending with
a confirmation; the mail arrives personalised, and its opt-out link works without a login."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.journey import VIEWPORTS
from tests.browser.test_organiser import log_in
from tests.browser.test_participant import EVENT, register_guest


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_organiser_writes_to_the_participants(journey_for, served, size):
    tag = uuid.uuid4().hex[:6]
    name, email = f"Inês Mailing {tag}", f"ines-{tag}@example.org"
    j = journey_for("organiser-mailing", size)
    register_guest(j, name, email)
    served.mailbox.wait_for(email)  # the registration's own confirmation

    log_in(j, "organiser@example.org")
    page = j.page
    j.go(EVENT + "manage/")
    page.get_by_role("link", name="Mailings").first.click()
    j.step("mailings")
    page.get_by_role("link", name="New mailing").click()
    page.get_by_label(re.compile(r"^\s*News")).check()
    page.get_by_label("on the waiting list").check()  # the workshop may be full by now
    page.get_by_label("Subject").first.fill(f"Bring your heat map {tag}")
    page.get_by_label("Text").first.fill("Dear {name},\nyour place: {registration_link}\n")
    j.step("mailing written")
    page.get_by_role("button", name="Save draft").click()
    count = page.get_by_role("status").filter(has_text=re.compile(r"\d+ (person|people) receive"))
    expect(count).to_be_visible()
    j.step("draft saved")

    page.get_by_label("Preview as").select_option(label=f"{name} · {email}")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".mail-preview")).to_contain_text(f"Dear {name},")
    j.step("preview")
    asked = j.agree_to_next_question()
    page.get_by_role("button", name="Send now").click()
    assert asked, "sending asked no question first"
    expect(page.get_by_text("Queued in the outbox")).to_be_visible()
    j.step("sent")

    mail = served.mailbox.wait_for(email, f"Bring your heat map {tag}", timeout=60)
    assert f"Dear {name}," in served.mailbox.body(mail)
    opt_out = next(link for link in served.mailbox.links(mail) if "/mailings/opt-out/" in link)
    reader = journey_for("mailing-reader", size)  # the recipient, not logged in
    reader.page.goto(opt_out)
    reader.step("opt-out page")
    reader.page.get_by_role("button", name="Receive no more news mails").click()
    expect(reader.page.get_by_role("button", name="Receive news mails again")).to_be_visible()
    reader.step("opted out")
    reader.finish()
    j.finish()
