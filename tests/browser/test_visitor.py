"""Journey 1: a visitor finds the Cascais programme, reads it in Portuguese and Russian, and
subscribes to its calendar."""

from __future__ import annotations

import pytest

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
    page.wait_for_function("document.documentElement.lang === 'pt'")
    assert "/programme/" in page.url, "switching language left the page"
    j.step("the programme in Portuguese")

    page.select_option("#locale", "ru")
    page.wait_for_function("document.documentElement.lang === 'ru'")
    j.step("the programme in Russian")

    subscribe = page.locator("a[href$='/events/cascais-2024/calendar.ics']").first
    feed = j.fetch(subscribe.get_attribute("href"))
    assert feed.headers["content-type"].startswith("text/calendar")
    text = feed.text()
    assert text.startswith("BEGIN:VCALENDAR") and text.count("BEGIN:VEVENT") > 10
    assert "TZID:Europe/Lisbon" in text
    j.finish()
