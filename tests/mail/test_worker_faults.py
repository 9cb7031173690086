"""The queue worker against real faults: a PostgreSQL cluster of the test's own restarted under it,
and the worker killed with SIGKILL in the middle of a batch of mails, then started again.

These tests start their own cluster whatever database the suite runs on, so they run in CI on
SQLite too (they are skipped only where the PostgreSQL server binaries are missing)."""

from __future__ import annotations

import collections
import contextlib
import signal
import time

import pytest
from huey.storage import SqliteStorage
from sqlalchemy import create_engine, select

from eventsys.extensions import db, huey
from eventsys.mail.jobs import deliver_mail
from eventsys.mail.models import OutboundMail
from tests.servers import (
    PrivatePostgres,
    RecordingSmtp,
    postgres_bin,
    start_worker,
    stop_process,
    wait_until,
    worker_env,
)

pytestmark = pytest.mark.skipif(postgres_bin() is None, reason="PostgreSQL binaries missing")


@pytest.fixture
def cluster():
    server = PrivatePostgres()
    server.start()
    engine = create_engine(
        server.url.replace("postgresql://", "postgresql+psycopg://"), pool_pre_ping=True
    )
    db.metadata.create_all(engine)
    try:
        yield server, engine
    finally:
        engine.dispose()
        server.remove()


@contextlib.contextmanager
def queue_file(path):
    """Enqueue into the worker's SQLite queue file instead of the tests' memory queue."""
    original = huey.storage
    huey.storage = SqliteStorage(name=huey.name, filename=str(path))
    try:
        yield
    finally:
        huey.storage = original


def add_mails(engine, prefix: str, count: int) -> list[int]:
    """Outbox rows written with Core (no ORM commit hook enqueues them): the test enqueues."""
    rows = [
        {"to_address": f"{prefix}{n}@example.org", "subject": f"{prefix} {n}", "text_body": "Hi"}
        for n in range(count)
    ]
    with engine.begin() as connection:
        for row in rows:
            connection.execute(OutboundMail.__table__.insert().values(**row))
        return list(
            connection.execute(
                select(OutboundMail.id).where(OutboundMail.to_address.like(f"{prefix}%"))
            ).scalars()
        )


def delivered_to(smtp: RecordingSmtp, prefix: str) -> set[str]:
    return {m["To"] for m in smtp.received if m["To"].startswith(prefix)}


def test_worker_recovers_on_its_own_after_a_database_restart(cluster, tmp_path):
    server, engine = cluster
    env = worker_env(tmp_path, server.url, SMTP_HOST="127.0.0.1", SMTP_PORT=0, MAIL_LEASE_SECONDS=2)
    log = tmp_path / "worker.log"
    with RecordingSmtp(delay=0.5) as smtp, queue_file(tmp_path / "queue.db"):
        env["EVENTSYS_SMTP_PORT"] = str(smtp.port)
        worker = start_worker(env, log)
        try:
            for mail_id in add_mails(engine, "before", 1):
                deliver_mail(mail_id)
            assert wait_until(lambda: delivered_to(smtp, "before"), 30), log.read_text()
            # Restart while tasks are in the middle of their SMTP conversation and their
            # transactions, then again while the worker is idle and tasks arrive when it is down.
            down = add_mails(engine, "down", 4)
            for mail_id in add_mails(engine, "during", 4):
                deliver_mail(mail_id)
            time.sleep(0.3)
            server.restart()
            server.stop()
            for mail_id in down:
                deliver_mail(mail_id)
            time.sleep(2)  # the worker meets the stopped database
            server.start()
            after = add_mails(engine, "after", 6)
            for mail_id in after:
                deliver_mail(mail_id)
            assert wait_until(lambda: len(delivered_to(smtp, "after")) == 6, 30), log.read_text()
            assert wait_until(lambda: len(delivered_to(smtp, "down")) == 4, 30), log.read_text()
            assert wait_until(lambda: len(delivered_to(smtp, "during")) == 4, 30), log.read_text()
            assert "PendingRollbackError" not in log.read_text()
        finally:
            stop_process(worker)


def test_killed_worker_sends_each_mail_once_more_at_most_with_the_same_message_id(
    cluster, tmp_path
):
    server, engine = cluster
    log = tmp_path / "worker.log"
    with RecordingSmtp(delay=0.4) as smtp, queue_file(tmp_path / "queue.db"):
        env = worker_env(
            tmp_path, server.url, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port, MAIL_LEASE_SECONDS=2
        )
        ids = add_mails(engine, "batch", 30)
        worker = start_worker(env, log)
        try:
            for mail_id in ids:
                deliver_mail(mail_id)
            assert wait_until(lambda: len(smtp.received) >= 8, 30), log.read_text()
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            time.sleep(2.5)  # the killed worker's leases run out
            worker = start_worker(env, log)
            assert wait_until(lambda: len(delivered_to(smtp, "batch")) == 30, 40), log.read_text()
            with engine.connect() as connection:
                assert wait_until(
                    lambda: (
                        set(
                            connection.execute(
                                select(OutboundMail.status).where(OutboundMail.id.in_(ids))
                            ).scalars()
                        )
                        == {"sent"}
                    ),
                    10,
                )
                connection.rollback()
        finally:
            stop_process(worker)
    ids_by_row = collections.defaultdict(list)
    for message in smtp.received:
        ids_by_row[message["To"]].append(message["Message-ID"])
    doubled = {to: found for to, found in ids_by_row.items() if len(set(found)) > 1}
    assert not doubled, f"mails delivered twice with different Message-IDs: {doubled}"
    assert max(len(found) for found in ids_by_row.values()) <= 2
