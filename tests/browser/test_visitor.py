"""Journey 1: a visitor finds the Cascais programme, reads it in Portuguese and Russian, and
subscribes to its calendar."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.journey import VIEWPORTS


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_visitor_finds_the_programme_in_three_languages(journey_for, size):
    j = journey_for("visitor", size)
    page = j.page
    j.go("/")
    j.step("home")

    page.get_by_role("link", name="Climate Alliance International Conference 2024").click()
    page.wait_for_url("**/events/cascais-2024/")
    j.step("the event")

    page.get_by_role("link", name="Programme", exact=False).first.click()
    page.wait_for_url("**/events/cascais-2024/programme/**")
    assert page.locator(".tt-block, .tt-list h3").count() > 10, "the timetable shows no sessions"
    j.step("the programme")

    page.select_option("#locale", "pt")
    expect(page.locator("html")).to_have_attribute("lang", "pt")
    assert "/programme/" in page.url, "switching language left the page"
    # The organisers' own content follows the reader's language too, not only the interface.
    title_pt = "Florestas urbanas contra as ondas de calor"
    expect(page.locator(f"text={title_pt} >> visible=true").first).to_be_visible()
    expect(page.get_by_text("Urban forests against heat waves")).to_have_count(0)
    j.step("the programme in Portuguese")

    page.select_option("#locale", "ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    j.step("the programme in Russian")

    subscribe = page.locator("a[href$='/events/cascais-2024/calendar.ics']").first
    feed = j.fetch(subscribe.get_attribute("href"))
    assert feed.headers["content-type"].startswith("text/calendar")
    text = feed.text()
    assert text.startswith("BEGIN:VCALENDAR") and text.count("BEGIN:VEVENT") > 10
    assert "TZID:Europe/Lisbon" in text
    j.finish()
