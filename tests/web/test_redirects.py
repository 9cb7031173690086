"""Redirect targets taken from the request stay on this site (issue 10 §7, open redirect)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from eventsys.web.urls import same_site_path

# Each of these, followed by a browser, leaves the site (or is meant to try).
HOSTILE = [
    "//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\x00/evil.example",
    "/\x0b/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "evil.example",
    " //evil.example",
    "/%09/evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%252F/evil.example",
    "/%25252F%25252Fevil.example",
    "/%0D%0ALocation:%20https://evil.example",
    "/\u2028/evil.example",
    "///evil.example",
    "",
]

SAFE = ["/", "/events/cascais-2024", "/events/x/programme?day=2024-10-01#s3", "/a//b"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_targets_fall_back_to_the_default(value):
    assert same_site_path(value, "/home") == "/home"


@pytest.mark.parametrize("value", SAFE)
def test_paths_on_this_site_are_kept(value):
    assert same_site_path(value, "/home") == value


def test_a_prefix_limits_where_a_form_may_send_back():
    assert same_site_path("/events/x", "/d", prefix="/events/") == "/events/x"
    assert same_site_path("/account/", "/d", prefix="/events/") == "/d"
    assert same_site_path(None, "/d") == "/d"


@pytest.mark.parametrize("value", HOSTILE)
def test_logging_in_never_redirects_off_site(client, factory, value):
    user = factory.user()
    response = client.post(
        "/account/login?next=" + quote(value, safe=""),
        data={"email": user.email, "password": factory.password},
    )
    if "\x00" in value or "\x0b" in value:
        # Query text with NUL or control characters is refused before any view (400).
        assert response.status_code == 400
        return
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_issue_example_login_next_tab(client, factory):
    user = factory.user()
    response = client.post(
        "/account/login?next=/%09/evil.example",
        data={"email": user.email, "password": factory.password},
    )
    assert response.headers["Location"] == "/"


def test_logging_in_follows_a_local_next(client, factory):
    user = factory.user()
    response = client.post(
        "/account/login?next=/events/somewhere",
        data={"email": user.email, "password": factory.password},
    )
    assert response.headers["Location"] == "/events/somewhere"


@pytest.mark.parametrize("value", HOSTILE)
def test_the_language_menu_never_redirects_off_site(client, value):
    response = client.post("/language", data={"locale": "pt", "next": value})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_language_menu_returns_to_the_page(client):
    response = client.post("/language", data={"locale": "pt", "next": "/events/x"})
    assert response.headers["Location"] == "/events/x"
