"""Mails the queue worker writes from a kind and its values (eventsys.mail.rendering)."""

from __future__ import annotations

import pytest

from eventsys.extensions import db
from eventsys.mail import rendering
from eventsys.mail.jobs import deliver_mail
from eventsys.mail.models import MailStatus, OutboundMail


@pytest.fixture
def greeting_kind():
    written = []

    def render(session, values):
        written.append(values)
        if values.get("gone"):
            return None
        return rendering.RenderedMail(
            f"Hello {values['name']}",
            f"Dear {values['name']}",
            None,
            [("a.txt", "text/plain", b"x")],
        )

    rendering.register_renderer("test_greeting", render)
    yield written
    rendering._renderers.pop("test_greeting", None)


def _queue(**values) -> int:
    mail = rendering.queue_rendered_later(
        db.session, to="someone@example.org", kind="test_greeting", values=values
    )
    db.session.commit()
    return mail.id


def test_the_worker_writes_the_mail_once_and_sends_it(greeting_kind, run_jobs, smtp_server):
    mail_id = _queue(name="Ana")
    mail = db.session.get(OutboundMail, mail_id)
    assert (mail.subject, mail.text_body, mail.render_values) == ("", "", {"name": "Ana"})
    assert run_jobs() == 1
    db.session.expire_all()
    mail = db.session.get(OutboundMail, mail_id)
    assert mail.status == MailStatus.SENT
    assert (mail.subject, mail.text_body, mail.render_values) == ("Hello Ana", "Dear Ana", None)
    [message] = smtp_server
    assert message["Subject"] == "Hello Ana" and message["Message-ID"] == mail.message_id
    assert [part.get_filename() for part in message.iter_attachments()] == ["a.txt"]
    # Sent again (say, its worker died before recording it): the same text, not written again.
    mail.status = MailStatus.QUEUED
    db.session.commit()
    deliver_mail.call_local(mail_id)
    assert len(greeting_kind) == 1
    assert smtp_server[1]["Subject"] == "Hello Ana"


def test_a_mail_whose_subject_is_gone_fails_and_is_not_sent(greeting_kind, run_jobs, smtp_server):
    mail_id = _queue(name="Ana", gone=True)
    run_jobs()
    db.session.expire_all()
    mail = db.session.get(OutboundMail, mail_id)
    assert mail.status == MailStatus.FAILED and "no longer exists" in mail.last_error
    assert smtp_server == []


def test_a_kind_without_renderer_is_retried_not_lost(app, run_jobs, smtp_server):
    mail = rendering.queue_rendered_later(
        db.session, to="someone@example.org", kind="nobody_renders_this", values={}
    )
    db.session.commit()
    with pytest.raises(LookupError):
        deliver_mail.call_local(mail.id)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(OutboundMail, mail.id).status == MailStatus.QUEUED
    assert smtp_server == []
