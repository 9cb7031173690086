"""Sending: the job writes one outbox mail per person, once, even when it runs again; news
skips those who opted out, registration mails do not; a thousand people are quick."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from eventsys.errors import ServiceError
from eventsys.extensions import db
from eventsys.mail.models import MailStatus, OutboundMail
from eventsys.mailings import jobs, optout, services
from eventsys.mailings.filters import opt_out_scope
from eventsys.mailings.models import MailingRecipient, MailingStatus
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration
from tests.mailings.conftest import draft


def outbox(event) -> list[OutboundMail]:
    return list(
        db.session.execute(
            select(OutboundMail).where(
                OutboundMail.event_id == event.id, OutboundMail.kind == services.MAIL_KIND
            )
        ).scalars()
    )


def who_got(mailing) -> list[str]:
    return sorted(r.email for r in services.recipient_rows(db.session, mailing)[0])


def send(mailing) -> str:
    services.start_sending(db.session, mailing, None)
    db.session.commit()
    return jobs.send_mailing.call_local(mailing.id)


def test_the_job_writes_one_mail_per_person_in_their_language(factory, event):
    mailing = draft(event, translations={"pt": ("Informação", "Caro(a) {name}")})
    factory.registration(event, name="Ana", email="ana@example.org", locale="pt")
    factory.registration(event, name="Carl", email="carl@example.org")
    assert send(mailing) == "sent"
    mails = {m.to_address: m for m in outbox(event)}
    assert set(mails) == {"ana@example.org", "carl@example.org"}
    assert mails["ana@example.org"].text_body == "Caro(a) Ana"
    assert mails["carl@example.org"].subject == "Practical information"
    assert mailing.status == MailingStatus.SENT
    assert (mailing.queued, mailing.total) == (2, 2)
    rows, total = services.recipient_rows(db.session, mailing)
    assert total == 2 and [r.locale for r in rows] == ["pt", "en"]
    assert {r.status for r in rows} == {MailStatus.QUEUED}


def test_a_retried_job_mails_nobody_twice(factory, event):
    mailing = draft(event)
    for n in range(5):
        factory.registration(event, email=f"p{n}@example.org")
    services.start_sending(db.session, mailing, None)
    mailing.status = MailingStatus.SENDING
    services.run_batch(db.session, mailing, limit=2)  # a worker died after two
    db.session.commit()
    assert jobs.send_mailing.call_local(mailing.id) == "sent"
    mailing.status = MailingStatus.SENDING  # and the task is delivered once more
    db.session.commit()
    assert jobs.send_mailing.call_local(mailing.id) == "sent"
    assert len(outbox(event)) == 5
    assert mailing.queued == 5


def test_a_sent_mailing_is_not_run_again(factory, event):
    mailing = draft(event)
    factory.registration(event)
    send(mailing)
    assert jobs.send_mailing.call_local(mailing.id) == "skipped"
    with pytest.raises(ServiceError):
        services.start_sending(db.session, mailing, None)
    assert len(outbox(event)) == 1


def test_the_database_refuses_a_second_row_for_the_same_person(factory, event):
    mailing = draft(event)
    registration = factory.registration(event)
    for _ in range(2):
        db.session.add(
            MailingRecipient(
                mailing_id=mailing.id, registration_id=registration.id, email="x", locale="en"
            )
        )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_nobody_to_send_to_is_refused(event):
    with pytest.raises(ServiceError):
        services.start_sending(db.session, draft(event), None)


def test_news_skips_who_opted_out_and_registration_mails_do_not(factory, event, organiser):
    factory.registration(event, email="Ana@Example.org")
    factory.registration(event, email="carl@example.org")
    optout.opt_out(db.session, opt_out_scope(event), "ana@example.org")
    news, practical = draft(event, kind="news"), draft(event)
    assert services.count_recipients(db.session, news) == 1
    assert services.count_recipients(db.session, practical) == 2
    send(news)
    send(practical)
    assert who_got(news) == ["carl@example.org"]
    assert who_got(practical) == ["ana@example.org", "carl@example.org"]
    assert len(outbox(event)) == 3


def test_an_opt_out_holds_for_the_whole_network_but_not_other_organisers(factory, event, organiser):
    sibling = factory.event(organiser=organiser, host_organisation_id=event.host_organisation_id)
    lone = factory.event(organiser=organiser)
    assert opt_out_scope(sibling) == opt_out_scope(event)
    assert opt_out_scope(lone) == f"event:{lone.id}"
    for e in (sibling, lone):
        factory.registration(e, email="ana@example.org")
    optout.opt_out(db.session, opt_out_scope(event), "ana@example.org")
    assert services.count_recipients(db.session, draft(sibling, kind="news")) == 0
    assert services.count_recipients(db.session, draft(lone, kind="news")) == 1


def test_opting_out_twice_changes_nothing_and_opting_back_in_undoes_it(event):
    scope = opt_out_scope(event)
    optout.opt_out(db.session, scope, "ana@example.org")
    optout.opt_out(db.session, scope, "ANA@example.org")
    assert optout.is_opted_out(db.session, scope, "ana@example.org")
    optout.opt_back_in(db.session, scope, "ana@example.org")
    assert not optout.is_opted_out(db.session, scope, "ana@example.org")


def test_opt_out_tokens_are_signed_and_name_no_address(factory, event):
    ana = factory.registration(event, email="Ana@example.org")
    token = optout.opt_out_token(ana.id, "key")
    assert "ana" not in token.lower() and "example" not in token.lower()
    assert optout.subject_of(db.session, token, "key") == (opt_out_scope(event), "ana@example.org")
    for bad in (token + "x", token.replace("W", "X", 1), "", "a.b"):
        with pytest.raises(ServiceError):
            optout.read_opt_out_token(bad, "key")
    with pytest.raises(ServiceError):
        optout.read_opt_out_token(token, "another key")
    with pytest.raises(ServiceError):  # a registration that is gone
        optout.subject_of(db.session, optout.opt_out_token(2_000_000_000, "key"), "key")


def test_a_thousand_people_are_queued_by_the_job_quickly(event):
    category = event.categories[0]
    db.session.add_all(
        Registration(
            event_id=event.id,
            category_id=category.id,
            status=Status.CONFIRMED,
            email=f"person{n}@example.org",
            display_name=f"Person {n:04d}",
        )
        for n in range(1000)
    )
    db.session.flush()
    mailing = draft(event, body="Dear {name}, your badge: {badge_link}")
    started = time.monotonic()
    assert send(mailing) == "sent"
    elapsed = time.monotonic() - started
    assert mailing.queued == mailing.total == 1000
    count = db.session.execute(
        select(func.count()).where(MailingRecipient.mailing_id == mailing.id)
    ).scalar_one()
    assert count == 1000 and len(outbox(event)) == 1000
    assert elapsed < 30, f"1,000 mails took {elapsed:.1f} s"
    progress = services.progress(db.session, mailing)
    assert (progress.queued, progress.waiting, progress.sent, progress.failed) == (1000, 1000, 0, 0)
