"""A Russian reader sees no English on the foundation's pages (catches strings left unwrapped)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

ALLOWED = {"eventsys", "Europe", "Lisbon", "OK"}


class VisibleText(HTMLParser):
    """Text a reader sees, plus labels read aloud (aria-label, placeholder, title, alt, value).
    Elements marked as another language (the language menu's "English") are left out."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style") or dict(attrs).get("lang") not in (None, "ru"):
            self._skip += 1
            self._skipping.append(tag)
        for name, value in attrs:
            if name in ("aria-label", "placeholder", "title", "alt") and value:
                self.parts.append(value)
            if name == "value" and value and dict(attrs).get("type") in ("submit", "button"):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    text = re.sub(r"\S+@\S+", " ", text)  # e-mail addresses are data
    return {w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED}


@pytest.fixture
def russian_event(factory):
    return factory.event(
        "baku-ru",
        title="Conference",
        title_translations={"ru": "Конференция НКО"},
        description="About",
        description_translations={"ru": "О конференции"},
        venue_name="Бакинский стадион",
        city="Баку",
        country="AZ",
        timezone="Europe/Lisbon",
    )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/account/login",
        "/account/signup",
        "/account/forgot",
        "/no/such/page",
        "/events/baku-ru/",
        "/events/nope/",
    ],
)
def test_public_pages_in_russian_have_no_english(client, russian_event, url):
    html = client.get(url, headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert english_words(html) == set()


def test_own_account_page_in_russian_has_no_english(client, factory, login):
    user = factory.user("pavel@example.org", name="Павел")
    user.locale = "ru"
    login(user)
    html = client.get("/account/").get_data(as_text=True)
    assert english_words(html) == set()


def test_form_errors_in_russian_have_no_english(client):
    html = client.post(
        "/account/signup",
        data={"email": "x", "password": "1", "password_again": "2"},
        headers={"Accept-Language": "ru"},
    ).get_data(as_text=True)
    assert english_words(html) == set()
