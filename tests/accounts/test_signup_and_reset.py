"""Sign-up with e-mail confirmation, single-use password reset, argon2 hashes, logging in."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from eventsys.accounts import services
from eventsys.accounts.models import User
from eventsys.extensions import db

SIGNUP = {
    "display_name": "Ayşe Məmmədova",
    "latin_name": "Ayse Mammadova",
    "email": "Ayse@Example.org",
    "password": "a long enough secret",
    "password_again": "a long enough secret",
}


def _user(email: str) -> User | None:
    return services.find_user_by_email(db.session, email)


def test_signup_sends_a_confirmation_link_that_works(client, smtp_server, run_jobs, link_in):
    response = client.post("/account/signup", data=SIGNUP)
    assert response.status_code == 302
    user = _user("ayse@example.org")
    assert user.display_name == "Ayşe Məmmədova" and user.email_confirmed_at is None
    assert user.password_hash.startswith("$argon2id$")
    assert "a long enough secret" not in user.password_hash
    run_jobs()
    (mail,) = [m for m in smtp_server if m["To"] == "ayse@example.org"]
    assert "confirm" in mail["Subject"].lower()
    path = link_in(mail)
    response = client.get(path)
    assert response.status_code == 302
    assert user.email_confirmed_at is not None
    assert "confirmed" in client.get(response.headers["Location"]).get_data(as_text=True)
    # A tampered link is refused, with a page saying so.
    response = client.get(path[:-3] + "xyz")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-address"}, "Invalid email address"),
        ({"password": "short", "password_again": "short"}, "at least 8"),
        ({"password_again": "something else"}, "The passwords differ"),
        ({"display_name": ""}, "This field is required"),
        ({"display_name": "x" * 201}, "200"),
    ],
)
def test_bad_signups_are_explained_and_create_nothing(client, changes, message):
    before = db.session.execute(select(func.count()).select_from(User)).scalar_one()
    response = client.post("/account/signup", data={**SIGNUP, **changes})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.execute(select(func.count()).select_from(User)).scalar_one() == before


def test_signup_with_a_taken_address(client, factory):
    factory.user("taken@example.org")
    response = client.post("/account/signup", data={**SIGNUP, "email": "TAKEN@example.org"})
    assert "already exists" in response.get_data(as_text=True)


def test_password_reset_link_works_once(client, factory, smtp_server, run_jobs, link_in):
    user = factory.user("forgetful@example.org")
    response = client.post("/account/forgot", data={"email": "Forgetful@example.org"})
    assert response.status_code == 302
    run_jobs()
    (mail,) = [m for m in smtp_server if m["To"] == "forgetful@example.org"]
    path = link_in(mail)
    assert client.get(path).status_code == 200
    new = {"password": "brand new password", "password_again": "brand new password"}
    response = client.post(path, data=new)
    assert response.status_code == 302
    assert services.authenticate(db.session, user.email, "brand new password") is user
    assert services.authenticate(db.session, user.email, factory.password) is None
    # Second use: refused, and the password stays as set.
    other = client.application.test_client()
    again = other.post(
        path, data={"password": "third password!", "password_again": "third password!"}
    )
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    page = other.get(path)
    assert page.status_code == 400 and 'href="/account/forgot"' in page.get_data(as_text=True)
    assert services.authenticate(db.session, user.email, "brand new password") is user


def test_forgot_form_does_not_reveal_accounts(client, smtp_server, run_jobs):
    response = client.post(
        "/account/forgot", data={"email": "nobody@example.org"}, follow_redirects=True
    )
    assert "If an account uses this address" in response.get_data(as_text=True)
    run_jobs()
    assert smtp_server == []


def test_login_and_logout(client, factory):
    user = factory.user("login@example.org")
    response = client.post(
        "/account/login", data={"email": "login@example.org", "password": "wrong password"}
    )
    assert "is wrong" in response.get_data(as_text=True)
    response = client.post(
        "/account/login?next=/account/",
        data={"email": "LOGIN@example.org", "password": factory.password},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/account/"
    assert user.email in client.get("/account/").get_data(as_text=True)
    # Off-site "next" targets are ignored.
    client.post("/account/logout")
    response = client.post(
        "/account/login?next=//evil.example/",
        data={"email": "login@example.org", "password": factory.password},
    )
    assert response.headers["Location"] == "/"


def test_argon2_hashes_are_salted_and_upgraded(factory):
    first, second = factory.user(), factory.user()
    assert first.password_hash != second.password_hash  # same password, different salts
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    first.password_hash = weak.hash(factory.password)
    assert services.authenticate(db.session, first.email, factory.password) is first
    assert first.password_hash.startswith("$argon2id$")
    assert "m=8," not in first.password_hash  # re-hashed with today's parameters
