"""Shared fixtures: one app per run, each test in a transaction rolled back via a savepoint.

The database comes from EVENTSYS_DATABASE_URL (PostgreSQL in CI) or a temporary SQLite file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import g
from sqlalchemy import event
from sqlalchemy.orm import scoped_session, sessionmaker

from eventsys import create_app
from eventsys.extensions import db, huey
from tests.factories import Factory

DATABASE_URL = os.environ.get("EVENTSYS_DATABASE_URL")
is_postgres = bool(DATABASE_URL and DATABASE_URL.startswith("postgres"))
postgres_only = pytest.mark.skipif(
    not is_postgres, reason="needs PostgreSQL (EVENTSYS_DATABASE_URL)"
)


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
        }
    )
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
        if connection.dialect.name == "sqlite":
            # pysqlite opens no transaction of its own here, so the session's first SAVEPOINT
            # would be the outermost one: a view's commit would really commit and its rollback
            # would undo the test's fixtures. An explicit BEGIN makes the savepoints nest.
            connection.exec_driver_sql("BEGIN")
        original = db.session
        # A plain session on the test's connection: Flask-SQLAlchemy's Session.get_bind()
        # picks the engine by table and would bypass `bind`, so nothing would be rolled back.
        db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
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
        # Requests reuse the test's app context, so Flask-Login's cached user must go too.
        g.pop("_login_user", None)

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
