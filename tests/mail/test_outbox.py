from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from eventsys.db import utcnow
from eventsys.extensions import db
from eventsys.mail import services
from eventsys.mail.jobs import retry_due_mails
from eventsys.mail.models import MailStatus, OutboundMail


def test_confirmation_mail_arrives_with_calendar_file(factory, run_jobs, smtp_server):
    event = factory.event(title="Conferência de Cascais")
    factory.registration(event, email="joao@example.org", name="João Conceição")
    db.session.commit()
    assert run_jobs() >= 1
    [message] = [m for m in smtp_server if m["To"] == "joao@example.org"]
    assert "Conferência de Cascais" in message["Subject"]
    assert "João Conceição" in message.get_body(("plain",)).get_content()
    [ics] = [part for part in message.iter_attachments() if part.get_filename().endswith(".ics")]
    calendar = ics.get_content()
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert "BEGIN:VEVENT" in calendar
    assert "TZID=Europe/Lisbon" in calendar


def test_nothing_is_sent_when_the_transaction_rolls_back(factory, run_jobs):
    event = factory.event()
    factory.registration(event)
    db.session.rollback()
    assert run_jobs() == 0


def test_failing_server_keeps_registration_retries_then_flags(app, factory, run_jobs):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1, SMTP_TIMEOUT=1)  # nothing listens there
    try:
        event = factory.event()
        registration = factory.registration(event)
        db.session.commit()
        run_jobs()
        mail = db.session.execute(
            select(OutboundMail).where(OutboundMail.to_address == registration.email)
        ).scalar_one()
        assert registration.id is not None
        assert mail.status == MailStatus.QUEUED and mail.attempts == 1 and mail.last_error
        for _ in range(app.config["MAIL_MAX_ATTEMPTS"]):
            mail.next_attempt_at = utcnow() - timedelta(seconds=1)
            db.session.commit()
            retry_due_mails.call_local()
            run_jobs()
        assert mail.status == MailStatus.FAILED
        assert services.failed_count(db.session, event.id) == 1
    finally:
        app.config.update(SMTP_HOST=None, SMTP_PORT=25)


def test_without_smtp_mail_goes_to_the_log(factory, run_jobs, caplog):
    event = factory.event()
    factory.registration(event, name="Ələkbərov Rəşad")
    db.session.commit()
    with caplog.at_level("INFO", logger="eventsys.mail"):
        run_jobs()
    assert "Ələkbərov Rəşad" in caplog.text


def test_row_saved_without_message_id_gets_one_when_claimed(factory, run_jobs, smtp_server):
    """A row inserted by the previous release during a rolling upgrade has no Message-ID."""
    db.session.execute(
        OutboundMail.__table__.insert().values(
            to_address="old@example.org", subject="Old", text_body="Hi", message_id=None
        )
    )
    db.session.commit()
    [mail_id] = services.due_mail_ids(db.session)
    retry_due_mails.call_local()
    run_jobs()
    mail = db.session.get(OutboundMail, mail_id)
    [message] = [m for m in smtp_server if m["To"] == "old@example.org"]
    assert mail.status == MailStatus.SENT and mail.message_id
    assert message["Message-ID"] == mail.message_id
