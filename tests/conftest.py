"""Shared fixtures: one app per run, each test in a transaction rolled back via a savepoint.

The database comes from EVENTSYS_DATABASE_URL (PostgreSQL in CI) or a temporary SQLite file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_babel import refresh as refresh_babel
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event

from eventsys import create_app
from eventsys.extensions import db, huey
from tests.factories import Factory

DATABASE_URL = os.environ.get("EVENTSYS_DATABASE_URL")
is_postgres = bool(DATABASE_URL and DATABASE_URL.startswith("postgres"))
# Tests of what only PostgreSQL does (row locks under concurrent writers): marked `postgres`
# (registered in pyproject.toml, so `-m postgres` selects them) and skipped on SQLite.
postgres_only = pytest.mark.postgres


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if is_postgres:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (EVENTSYS_DATABASE_URL)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


class CommittingClient(FlaskClient):
    """Requests see the test's set-up as committed, as they would in production: the test's
    session is committed (to its savepoint) first, so a view's rollback cannot undo the set-up.
    Requests reuse the test's app context, so `g` (Flask-Login's cached user, the event) and
    Flask-Babel's cached locale are cleared: every request starts fresh."""

    def open(self, *args, **kwargs):
        if has_app_context():  # threads of concurrency tests bring none: their request makes one
            db.session.commit()
            for name in list(g):
                g.pop(name)
            refresh_babel()
        # Read the whole answer and close it, as a WSGI server does: a download streamed from an
        # open file (send_file) would otherwise leave the file open (a ResourceWarning, an error).
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


class ConnectionBoundSession(FlaskSession):
    """Flask-SQLAlchemy's session picks the engine per table and so ignores `bind`: its queries
    and commits would bypass the test's connection (and its rollback). This one keeps to it."""

    def get_bind(self, *args, **kwargs):
        return self.bind if self.bind is not None else super().get_bind(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory):
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": DATABASE_URL or f"sqlite:///{instance / 'test.db'}",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "QUEUE_BACKEND": "memory",
            "BASE_URL": "http://eventsys.test",
            "BADGE_OUTPUT_DIR": str(instance / "badges"),
            "UPLOAD_DIR": str(instance / "uploads"),
            "CACHE_DIR": str(instance / "cache"),
        }
    )
    app.test_client_class = CommittingClient
    with app.app_context():
        create_schema()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def create_schema() -> None:
    """The schema the migrations build (proved equal to the models by tests/test_migrations.py)."""
    from flask_migrate import upgrade

    db.drop_all()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    if os.path.isdir(os.path.join(os.path.dirname(__file__), "..", "migrations", "versions")):
        upgrade()
    else:
        db.create_all()


@pytest.fixture(autouse=True)
def db_session(app, request) -> Iterator[object]:
    """Everything a test writes, commits included, is rolled back afterwards."""
    if "committed_db" in request.fixturenames:
        yield db.session
        return
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "class_": ConnectionBoundSession,
            }
        )
        huey.storage.flush_all()
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def committed_db(app) -> Iterator[None]:
    """For tests that need real commits seen by other connections (concurrency); empties after."""
    with app.app_context():
        yield
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def factory() -> Factory:
    return Factory()


@pytest.fixture
def login(client):
    """login(user): the test client's session now belongs to that user."""

    def do_login(user) -> None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True

    return do_login


@pytest.fixture
def run_jobs():
    """Run every queued task (mail delivery, bulk prints) as a worker would; returns how many."""

    def run() -> int:
        count = 0
        while (task := huey.dequeue()) is not None:
            huey.execute(task)
            count += 1
        return count

    return run


@pytest.fixture
def count_queries(app):
    """with count_queries() as counter: ...; counter.count is the number of SQL statements."""

    @contextmanager
    def counting():
        class Counter:
            count = 0
            statements: list[str] = []

        counter = Counter()
        counter.statements = []

        def before(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
                counter.count += 1
                counter.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on localhost; yields the list of messages it received."""
    import email
    import socket

    from aiosmtpd.controller import Controller

    received: list[email.message.Message] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
            received.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    old = {k: app.config.get(k) for k in ("SMTP_HOST", "SMTP_PORT")}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    try:
        yield received
    finally:
        controller.stop()
        app.config.update(old)
