"""The confirmation a registration sends is written by the queue worker, not in the request."""

from __future__ import annotations

from sqlalchemy import select

from eventsys.extensions import db
from eventsys.mail.models import MailStatus, OutboundMail
from eventsys.registration import services
from eventsys.registration.models import Status


def _received(address: str) -> OutboundMail:
    return db.session.execute(
        select(OutboundMail).where(
            OutboundMail.to_address == address, OutboundMail.kind == "registration_received"
        )
    ).scalar_one()


def test_the_request_saves_values_and_the_worker_writes_the_mail(factory, run_jobs, smtp_server):
    event = factory.event(title="Conferência de Cascais", capacity=1)
    first = factory.registration(event, email="first@example.org", name="Primeira")
    waiting = factory.registration(event, email="second@example.org", name="Segunda")
    db.session.commit()
    mail = _received("second@example.org")
    assert mail.text_body == "" and mail.attachments == []
    assert mail.render_values["status"] == "waitlisted"
    assert mail.render_values["registration"] == waiting.id
    # A place frees before the worker runs: the confirmation still says what happened then,
    # and the promotion sends its own mail.
    services.cancel(db.session, first)
    db.session.commit()
    assert waiting.status == Status.CONFIRMED
    run_jobs()
    to_second = [m for m in smtp_server if m["To"] == "second@example.org"]
    assert [m["Subject"].split(":")[0] for m in to_second] == [
        "You are on the waiting list",
        "A place is free for you",
    ]
    assert "waiting list" in to_second[0].get_body(("plain",)).get_content()
    assert not list(to_second[0].iter_attachments())  # no calendar file for the waiting list
    [ics] = list(to_second[1].iter_attachments())
    assert ics.get_filename().endswith(".ics")
    [confirmed, _cancelled] = [m for m in smtp_server if m["To"] == "first@example.org"]
    assert confirmed["Subject"].startswith("Your registration is confirmed")
    assert "Primeira" in confirmed.get_body(("plain",)).get_content()
    assert [p.get_filename() for p in confirmed.iter_attachments()] == [f"{event.slug}.ics"]


def test_the_mail_of_an_erased_registration_is_not_written(factory, run_jobs, smtp_server):
    event = factory.event()
    registration = factory.registration(event, email="gone@example.org")
    registration.access_digest = None  # as erasure leaves it
    db.session.commit()
    run_jobs()
    db.session.expire_all()
    assert _received("gone@example.org").status == MailStatus.FAILED
    assert smtp_server == []
