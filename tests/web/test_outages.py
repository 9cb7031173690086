"""Designed outages: Redis down (registrations succeed, mail waits in the outbox and is sent
by the sweep once the queue is back, rate limits still hold per process, /readyz says why),
and a mail server that refuses and then accepts (the mail arrives once, with its Message-ID;
a mail that keeps failing is shown to the organisers).

The Redis case builds its own app in a fresh interpreter, configured by EVENTSYS_* variables
as gunicorn would be, because the queue and the limiter are configured when the app is made."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from eventsys.db import utcnow
from eventsys.extensions import db
from eventsys.mail.jobs import retry_due_mails
from eventsys.mail.models import MailStatus, OutboundMail
from tests.servers import ROOT, RecordingSmtp, free_port

SCRIPT = r"""
import json
from huey.storage import MemoryStorage
from sqlalchemy import select
from eventsys import create_app
from eventsys.accounts.services import create_user
from eventsys.extensions import db, huey
from eventsys.mail.jobs import retry_due_mails
from eventsys.mail.models import OutboundMail
from tests.factories import Factory

app = create_app()
outcome = {"storage": type(huey.storage).__name__}
with app.app_context():
    db.create_all()
    event = Factory().event()
    create_user(
        db.session, email="limited@example.org", password="right password", display_name="L"
    )
    db.session.commit()
    slug, category = event.slug, event.categories[0].id
client = app.test_client()
outcome["registrations"] = [
    client.post(f"/events/{slug}/register", data={
        "display_name": f"Guest {n}", "email": f"guest{n}@example.org",
        "category_id": category, "visibility": "organisers",
    }).status_code
    for n in range(3)
]
wrong = {"email": "limited@example.org", "password": "wrong password"}
outcome["logins"] = [
    client.post("/account/login", data=wrong).status_code for attempt in range(5)
]
ready = client.get("/readyz")
outcome["readyz"] = [ready.status_code, ready.get_json()]
with app.app_context():
    outcome["outbox_before"] = sorted(
        str(s) for s in db.session.execute(select(OutboundMail.status)).scalars()
    )
    # The queue is back: the periodic sweep enqueues what waited, a worker delivers it.
    huey.storage = MemoryStorage(huey.name)
    retry_due_mails.call_local()
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
    db.session.remove()
    outcome["outbox_after"] = sorted(
        str(s) for s in db.session.execute(select(OutboundMail.status)).scalars()
    )
print(json.dumps(outcome))
"""


def test_redis_down_registrations_succeed_and_mail_waits_in_the_outbox(tmp_path):
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith("EVENTSYS_")},
        "PYTHONPATH": str(ROOT),
        "EVENTSYS_INSTANCE_PATH": str(tmp_path),
        "EVENTSYS_SECRET_KEY": "outage-test",
        "EVENTSYS_DATABASE_URL": f"sqlite:///{tmp_path / 'outage.db'}",
        "EVENTSYS_REDIS_URL": f"redis://127.0.0.1:{free_port()}/6",  # nothing listens there
        "EVENTSYS_WTF_CSRF_ENABLED": "false",
        "EVENTSYS_LOGIN_RATE_LIMIT": "3 per minute",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["storage"] == "RedisStorage"
    assert outcome["registrations"] == [302, 302, 302]
    assert outcome["outbox_before"] == ["queued"] * 3
    # Documented: while Redis is down the login limit is still enforced, counted per process.
    assert outcome["logins"] == [200, 200, 200, 429, 429]
    assert outcome["readyz"] == [503, {"status": "unavailable", "reasons": ["queue"]}]
    assert outcome["outbox_after"] == ["logged"] * 3  # no SMTP configured: written to the log


def test_smtp_refusing_then_accepting_delivers_once_with_one_message_id(app, factory, run_jobs):
    with RecordingSmtp() as smtp:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port)
        try:
            smtp.refusing = True
            event = factory.event()
            registration = factory.registration(event, email="ines@example.org")
            db.session.commit()
            run_jobs()
            mail = db.session.execute(
                select(OutboundMail).where(OutboundMail.to_address == "ines@example.org")
            ).scalar_one()
            assert registration.id is not None
            assert mail.status == MailStatus.QUEUED and mail.attempts == 1
            assert "451" in mail.last_error and mail.claimed_until is None
            smtp.refusing = False
            mail.next_attempt_at = utcnow() - timedelta(seconds=1)
            db.session.commit()
            retry_due_mails.call_local()
            run_jobs()
            assert mail.status == MailStatus.SENT and mail.attempts == 2
            [message] = [m for m in smtp.received if m["To"] == "ines@example.org"]
            assert message["Message-ID"] == mail.message_id
        finally:
            app.config.update(SMTP_HOST=None, SMTP_PORT=25)


def test_mail_that_keeps_failing_is_shown_to_the_organisers(app, factory, run_jobs, client, login):
    organiser = factory.user(name="Olga Organiser")
    with RecordingSmtp() as smtp:
        smtp.refusing = True
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port)
        try:
            event = factory.event(organiser=organiser)
            factory.registration(event, email="failing@example.org")
            db.session.commit()
            for _ in range(app.config["MAIL_MAX_ATTEMPTS"]):
                db.session.execute(
                    OutboundMail.__table__.update().values(
                        next_attempt_at=utcnow() - timedelta(seconds=1)
                    )
                )
                db.session.commit()
                retry_due_mails.call_local()
                run_jobs()
        finally:
            app.config.update(SMTP_HOST=None, SMTP_PORT=25)
    slug = event.slug
    login(organiser)
    page = client.get(f"/events/{slug}/manage/mails").get_data(as_text=True)
    assert "failing@example.org" in page


def test_a_dead_connection_at_the_end_of_a_request_does_not_become_a_500(
    tmp_path, monkeypatch, committed_db
):
    """During a PostgreSQL restart the rollback that ends a request meets a dead connection;
    the answer already made stands, and the next request gets a working session. An app of its
    own (the suite's shared test connection must not be invalidated), served as gunicorn would:
    each request makes and ends its own app context."""
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    from eventsys import create_app

    served = create_app(
        {
            "SECRET_KEY": "x",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'dead.db'}",
            "QUEUE_BACKEND": "memory",
            "RATELIMIT_ENABLED": False,
        }
    )
    with served.app_context():
        db.create_all()
    original_close = Session.close
    failures: list[Session] = []

    def close_on_a_dead_connection(self: Session) -> None:
        if not failures:
            failures.append(self)
            raise OperationalError("ROLLBACK", {}, Exception("server closed the connection"))
        original_close(self)

    monkeypatch.setattr(Session, "close", close_on_a_dead_connection)
    client = FlaskClient(served)
    assert client.get("/").status_code == 200
    assert failures, "the request's session was not closed at its end"
    assert client.get("/").status_code == 200
    with served.app_context():
        db.engine.dispose()
