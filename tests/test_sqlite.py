"""SQLite, the embedded default, as the app sets it up itself (not as the test fixture would):
WAL, writers waiting for each other, readers never blocked, contention answered 503, not 500."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from eventsys import create_app, sqlite
from eventsys.accounts.services import create_api_token
from eventsys.extensions import db
from tests.conftest import is_postgres

pytestmark = pytest.mark.skipif(is_postgres, reason="SQLite's own set-up")


@pytest.fixture
def impatient_app(app, committed_db):
    """A second app on the same database file whose writers wait only 0.3 s for the lock."""
    other = create_app({**app.config, "DATABASE_BUSY_TIMEOUT": 0.3})
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def writer_elsewhere(app) -> Iterator[None]:
    """Another process's long write: holds the database's write lock meanwhile."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()


def test_the_app_itself_puts_sqlite_in_wal_mode(app):
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def _registered_event(factory) -> tuple[str, str]:
    event = factory.event(capacity=5)
    token = create_api_token(db.session, factory.user())
    db.session.commit()
    return event.slug, token


def test_a_write_that_cannot_get_the_lock_in_time_answers_503_not_500(impatient_app, factory):
    slug, token = _registered_event(factory)
    client = impatient_app.test_client()
    started = time.monotonic()
    with writer_elsewhere(impatient_app):
        response = client.post(
            f"/api/v1/events/{slug}/registrations",
            json={"category": "delegate", "display_name": "Patient"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert response.headers["Retry-After"] == "1"
    assert response.get_json()["error"]["code"] == "service_unavailable"
    assert time.monotonic() - started < 10
    # Nothing was half-saved: once the writer is done, the same request goes through.
    response = client.post(
        f"/api/v1/events/{slug}/registrations",
        json={"category": "delegate", "display_name": "Patient"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201


def test_readers_are_not_blocked_by_a_writer(impatient_app, factory):
    slug, token = _registered_event(factory)
    client = impatient_app.test_client()
    with writer_elsewhere(impatient_app):
        response = client.get(
            f"/api/v1/events/{slug}", headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200
    assert response.get_json()["slug"] == slug


def test_a_waiting_writer_is_not_starved_by_newcomers(app, committed_db):
    """Four threads take the write lock back to back (a 3 ms write, 1 ms between), as a burst of
    requests does; a fifth asks meanwhile. With SQLite's own busy handler (which backs off to 100 ms
    between tries) it lost to them until its timeout; here it gets the lock within a second."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    stop = threading.Event()

    def busy_writer() -> None:
        connection = sqlite3.connect(path, isolation_level=None, timeout=30)
        while not stop.is_set():
            connection.execute("BEGIN IMMEDIATE")
            time.sleep(0.003)  # a short write
            connection.execute("COMMIT")
            time.sleep(0.001)  # its answer, and the next request
        connection.close()

    writers = [threading.Thread(target=busy_writer) for _ in range(4)]
    for writer in writers:
        writer.start()
    try:
        time.sleep(0.2)
        with app.app_context(), db.engine.connect() as connection:
            started = time.monotonic()
            sqlite.hold_write_lock(Session(bind=connection))
            waited = time.monotonic() - started
            connection.rollback()
    finally:
        stop.set()
        for writer in writers:
            writer.join()
    assert waited < 1.0, waited


def test_a_writer_that_never_gets_the_lock_fails_after_its_timeout(impatient_app, factory):
    with writer_elsewhere(impatient_app), impatient_app.app_context():
        started = time.monotonic()
        with db.engine.connect() as connection, pytest.raises(Exception, match="locked"):
            sqlite.hold_write_lock(Session(bind=connection))
        assert 0.3 <= time.monotonic() - started < 2
