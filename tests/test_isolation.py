"""The fixtures' promise: whatever a test writes, commits and views' commits included, is gone
afterwards (the two tests run in file order)."""

from __future__ import annotations

from sqlalchemy import select

from eventsys.accounts.models import User
from eventsys.extensions import db

MARK = "isolation-probe@example.org"


def test_writes_and_commits_through_a_view(client, factory):
    factory.user(MARK)
    db.session.commit()
    response = client.post("/account/login", data={"email": "nobody@example.org", "password": "x"})
    assert response.status_code == 200  # the view ran (and may have rolled back)
    assert db.session.execute(select(User).where(User.email == MARK)).scalar_one()


def test_nothing_of_it_is_left():
    assert db.session.execute(select(User).where(User.email == MARK)).first() is None
