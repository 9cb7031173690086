"""`eventsys users create-admin` and `eventsys tokens create EMAIL`, through Flask's CLI runner."""

from __future__ import annotations

from eventsys.accounts import services
from eventsys.extensions import db


def test_create_admin_then_token_that_works_against_the_api(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create-admin",
            "--email",
            "Chief@Example.org",
            "--name",
            "Cəmilə Chief",
            "--password",
            "a strong password",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Administrator chief@example.org created" in result.output
    admin = services.find_user_by_email(db.session, "chief@example.org")
    assert admin.is_admin and admin.email_confirmed_at is not None
    assert services.authenticate(db.session, "chief@example.org", "a strong password") is admin

    result = runner.invoke(args=["tokens", "create", "chief@example.org", "--name", "laptop"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("evs_") and " " not in token
    response = client.post(
        "/api/v1/events/",
        json={
            "slug": "cli-made",
            "title": "Made with a CLI token",
            "timezone": "Europe/Lisbon",
            "starts_at": "2026-05-04T09:00",
            "ends_at": "2026-05-04T17:00",
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.get_json()


def test_create_admin_promotes_an_existing_account(app, factory):
    user = factory.user("promote@example.org")
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create-admin",
            "--email",
            "promote@example.org",
            "--name",
            "x",
            "--password",
            "whatever pass",
        ]
    )
    assert result.exit_code == 0 and "now an administrator" in result.output
    assert user.is_admin


def test_create_admin_with_a_short_password_is_a_clear_error(app):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create-admin",
            "--email",
            "weak@example.org",
            "--name",
            "W",
            "--password",
            "short",
        ]
    )
    assert result.exit_code == 2
    assert "at least 8 characters" in result.output
    assert services.find_user_by_email(db.session, "weak@example.org") is None


def test_token_for_an_unknown_email_is_a_clear_error(app):
    result = app.test_cli_runner().invoke(args=["tokens", "create", "ghost@example.org"])
    assert result.exit_code == 2
    assert "No active account uses the e-mail address 'ghost@example.org'" in result.output
    assert "Traceback" not in result.output
