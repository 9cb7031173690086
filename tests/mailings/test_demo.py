"""The demo: a sent "Practical information" at Cascais, a draft of news at Baku."""

from __future__ import annotations

from eventsys.demo import load_demo
from eventsys.extensions import db
from eventsys.mailings import services
from eventsys.mailings.models import MailingKind, MailingStatus


def test_demo_has_a_sent_mailing_at_cascais_and_a_draft_at_baku():
    ctx = load_demo(db.session)
    assert ctx is not None
    (sent,) = services.mailings_of(db.session, ctx.cascais)
    assert sent.subject == "Practical information" and sent.status == MailingStatus.SENT
    progress = services.progress(db.session, sent)
    assert progress.total == progress.queued == progress.sent > 300
    assert progress.waiting == progress.failed == 0
    rows, _total = services.recipient_rows(db.session, sent, per_page=1000)
    assert {r.locale for r in rows} <= {"en", "pt"}
    (draft,) = services.mailings_of(db.session, ctx.baku)
    assert draft.status == MailingStatus.DRAFT and draft.kind == MailingKind.NEWS
    assert services.count_recipients(db.session, draft) > 0
    assert draft.subject_translations == {"ru": "Сайд-ивенты в программе"}
