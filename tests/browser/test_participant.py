"""Journey 2: a new participant signs up, confirms the address from the mail, registers for the
upcoming workshop day, meets its waiting list, sees the next person moved up when somebody
cancels, signs up for two workshops, downloads the badge and the personal calendar, and signs a
declaration."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.journey import VIEWPORTS, Journey

EVENT = "/events/climate-alliance-workshop-next/"


def sign_up(j: Journey, name: str, email: str) -> None:
    page = j.page
    j.go("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Your name", exact=False).first.fill(name)
    page.get_by_label("E-mail").fill(email)
    page.locator("input[name=password]").fill("a long enough password 42")
    page.locator("input[name=password_again]").fill("a long enough password 42")
    j.step("sign-up form")
    page.get_by_role("button", name="Create account").click()
    j.step("signed up")


def register(j: Journey, page: Page, *, category: str = "Observer") -> None:
    page.get_by_label(category).check()
    page.get_by_role("button", name=re.compile("Register|Join the waiting list")).click()


def register_guest(j: Journey, name: str, email: str) -> str:
    """Another person takes a place as a guest; returns the link from their mail."""
    context = j.context.browser.new_context()
    page = context.new_page()
    j.watch(page)
    page.goto(j.base_url + EVENT + "register")
    page.get_by_label("Your name", exact=False).first.fill(name)
    page.get_by_label("E-mail").fill(email)
    register(j, page)
    page.wait_for_load_state("load")
    context.close()
    return email


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_participant_from_sign_up_to_badge(journey_for, served, size):
    tag = uuid.uuid4().hex[:6]
    served.leave_places("climate-alliance-workshop-next", 3)
    j = journey_for("participant", size)
    page = j.page
    me = f"leyla.{tag}@example.org"
    sign_up(j, "Leyla Məmmədova", me)

    mail = served.mailbox.wait_for(me, "onfirm")
    confirm = next(link for link in served.mailbox.links(mail) if "/account/confirm/" in link)
    page.goto(confirm)
    expect(page.get_by_text("confirmed", exact=False).first).to_be_visible()
    j.step("address confirmed")

    j.go("/")
    page.get_by_role("link", name="Climate Alliance Energy Poverty Workshop").first.click()
    page.wait_for_url("**" + EVENT)
    j.step("the workshop day")
    page.get_by_role("link", name=re.compile("^(Register|Join the waiting list)")).first.click()
    j.step("registration form")
    register(j, page)
    expect(page.get_by_role("heading", name="Your registration")).to_be_visible()
    j.step("registered")

    # Two others take the two places left; the form then announces the waiting list.
    guests = [
        register_guest(j, f"Guest {n} {tag}", f"guest{n}.{tag}@example.org") for n in range(2)
    ]
    # Someone new sees, before submitting, that only the waiting list is left.
    late = journey_for("participant-late", size)
    late.go(EVENT)
    expect(late.page.get_by_role("link", name="Join the waiting list")).to_be_visible()
    expect(late.page.get_by_text("only a few places are left")).to_have_count(0)
    late.step("full event announces its waiting list")
    late.page.get_by_role("link", name="Join the waiting list").click()
    expect(late.page.get_by_role("button", name="Join the waiting list")).to_be_visible()
    late_email = f"late.{tag}@example.org"
    late.page.get_by_label("Your name", exact=False).first.fill("Олена Коваленко")
    late.page.get_by_label("E-mail").fill(late_email)
    late.step("waiting-list form")
    register(late, late.page)
    late.step("on the waiting list")
    served.mailbox.wait_for(late_email)
    late_link = next(
        link
        for link in served.mailbox.links(served.mailbox.wait_for(late_email))
        if "/registrations/" in link
    )
    late.page.goto(late_link)
    expect(late.page.get_by_text(re.compile(r"number \d+ on the waiting list"))).to_be_visible()
    late.step("waiting-list position")

    # A guest cancels (confirming the question first); the next person moves up.
    cancelling = guests[0]
    link = next(
        link
        for link in served.mailbox.links(served.mailbox.wait_for(cancelling))
        if "/registrations/" in link
    )
    page.goto(link)
    asked = j.agree_to_next_question()
    page.get_by_role("button", name="Cancel my registration").click()
    assert asked, "cancelling asked no question first"
    expect(page.get_by_text("cancelled", exact=False).first).to_be_visible()
    j.step("a guest cancelled")

    # Our participant chooses two workshops in different rounds.
    j.go(EVENT)
    page.get_by_role("link", name="Programme").first.click()
    for title in ("Warm homes: renovation one-stop shops", "Summer energy poverty"):
        # The grid on a laptop, the list on a phone: the one on screen.
        page.get_by_role("link", name=title).locator("visible=true").first.click()
        page.get_by_role("button", name="Sign up").click()
        expect(page.get_by_role("button", name="Cancel my sign-up")).to_be_visible()
        j.step(f"signed up for {title}")
        page.go_back()
        page.go_back()
    page.get_by_role("link", name="My agenda").first.click()
    j.step("my agenda")
    page.get_by_role("button", name="Make my calendar address").click()
    feed = page.locator(".feed-url").inner_text().strip()
    calendar = j.fetch(feed).text()
    assert "Warm homes" in calendar and "Summer energy poverty" in calendar
    j.step("personal calendar")

    j.go(EVENT + "registration")
    badge = j.fetch(
        page.get_by_role("link", name=re.compile("badge", re.I)).first.get_attribute("href")
    )
    assert badge.headers["content-type"] == "application/pdf" and badge.body()[:4] == b"%PDF"
    j.step("badge downloaded")

    j.go(EVENT)
    page.get_by_role("link", name="Almada Commitment on Warm Homes").first.click()
    page.get_by_label("Country", exact=True).select_option(label="Azerbaijan")
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_text("Thank you", exact=False).first).to_be_visible()
    j.step("declaration signed")

    # The person who waited has been moved up and was told, with a link to the registration.
    promoted = served.mailbox.wait_for(late_email, "place")
    assert any("/registrations/" in link for link in served.mailbox.links(promoted))
    late.page.goto(late_link)
    expect(late.page.get_by_text("confirmed", exact=False).first).to_be_visible()
    late.step("moved up from the waiting list")
    late.finish()
    j.finish()
