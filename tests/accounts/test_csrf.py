"""CSRF protection on every form: a POST without the token is refused before any view runs."""

from __future__ import annotations

import re

import pytest

from tests.web.test_access import build_url, client_for, routes, snapshot, world  # noqa: F401


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def form_routes(app):
    """Every route taking a form post: all POST/PUT/PATCH/DELETE routes outside the JSON API."""
    return [
        rule
        for rule in routes(app)
        if rule.methods & {"POST", "PUT", "PATCH", "DELETE"} and not rule.rule.startswith("/api/")
    ]


def test_every_form_post_without_a_token_gets_400(app, world, csrf_on):  # noqa: F811
    assert len(form_routes(app)) > 10
    failures = []
    for rule in form_routes(app):
        for user in (None, world.participant, world.organiser, world.admin):
            before = snapshot()
            method = sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"})[0]
            response = client_for(app, user).open(
                build_url(app, rule, world), method=method, data={"anything": "x"}
            )
            if response.status_code != 400 or snapshot() != before:
                failures.append(f"{rule.endpoint} as {user}: {response.status_code}")
    assert failures == []


def test_a_form_with_its_token_goes_through(app, client, factory, csrf_on):
    user = factory.user("csrf@example.org")
    page = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/account/login",
        data={"email": user.email, "password": factory.password, "csrf_token": token},
    )
    assert response.status_code == 302


def test_the_json_api_uses_bearer_tokens_not_csrf(app, client, csrf_on):
    response = client.post("/api/v1/events/", json={})
    assert response.status_code == 401
