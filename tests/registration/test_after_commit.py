"""A registration that was committed is answered as a success, even when the database drops
right after the commit (the answer must not depend on reading the row again)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import has_request_context
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from eventsys.accounts.services import create_api_token
from eventsys.extensions import db
from eventsys.registration.models import Registration


class DatabaseDropError(Exception):
    pass


@pytest.fixture
def drop_after_commit(app) -> Iterator[dict]:
    """Inside a request, every statement after the commit that saved a registration fails as
    if the server died (commits before it, such as noting the API token's use, do not count)."""
    state = {"armed": False, "refused": 0, "registration_flushed": False}

    def note_registration(session, flush_context, instances) -> None:
        if any(isinstance(row, Registration) for row in session.new):
            state["registration_flushed"] = True

    def arm(session) -> None:
        if has_request_context() and state["registration_flushed"]:
            state["armed"] = True

    def refuse(conn, cursor, statement, *args) -> None:
        if state["armed"] and not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
            state["refused"] += 1
            raise OperationalError(statement, {}, DatabaseDropError("server closed the connection"))

    event.listen(Session, "before_flush", note_registration)
    event.listen(Session, "after_commit", arm)
    event.listen(db.engine, "before_cursor_execute", refuse)
    try:
        yield state
    finally:
        event.remove(Session, "before_flush", note_registration)
        event.remove(Session, "after_commit", arm)
        event.remove(db.engine, "before_cursor_execute", refuse)


def _form(event, email: str) -> dict:
    return {
        "display_name": "Maria Conceição",
        "email": email,
        "category_id": event.categories[0].id,
        "visibility": "organisers",
    }


def _saved(state: dict, email: str) -> Registration:
    state["armed"] = False
    db.session.rollback()
    return db.session.execute(select(Registration).where(Registration.email == email)).scalar_one()


def test_guest_registration_committed_before_a_drop_is_a_success(
    client, factory, drop_after_commit
):
    event = factory.event()
    slug, form = event.slug, _form(event, "maria@example.org")
    db.session.commit()
    response = client.post(f"/events/{slug}/register", data=form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/{slug}/register/sent")
    assert _saved(drop_after_commit, "maria@example.org").status.value == "confirmed"


def test_account_registration_committed_before_a_drop_is_a_success(
    client, factory, login, drop_after_commit
):
    event = factory.event()
    maria = factory.user("maria@example.org", name="Maria Conceição")
    slug, form = event.slug, _form(event, "maria@example.org")
    db.session.commit()
    login(maria)
    response = client.post(f"/events/{slug}/register", data=form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/{slug}/registration")
    _saved(drop_after_commit, "maria@example.org")


def test_api_registration_committed_before_a_drop_is_a_success(client, factory, drop_after_commit):
    event = factory.event()
    maria = factory.user("maria@example.org", name="Maria Conceição")
    token = create_api_token(db.session, maria)
    db.session.commit()
    response = client.post(
        f"/api/v1/events/{event.slug}/registrations",
        json={"category": event.categories[0].code, "display_name": "Maria Conceição"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["status"] == "confirmed"
    assert _saved(drop_after_commit, "maria@example.org").id == response.get_json()["id"]
