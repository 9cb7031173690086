from __future__ import annotations

from types import SimpleNamespace

from eventsys.extensions import db
from eventsys.mail.services import failed_mails
from eventsys.registration import demo
from eventsys.registration.enums import Status
from tests.factories import aware


def test_demo_load_fills_the_approval_queue_and_the_failed_mails(factory):
    organiser = factory.user()
    baku = factory.event(
        "baku-2024-south-south",
        organiser=organiser,
        timezone="Asia/Baku",
        starts_at=aware(2024, 11, 15, 6),
        days=1,
        requires_approval=True,
    )
    added = demo.load(db.session, SimpleNamespace(baku=baku, organiser=organiser))
    assert [r.status for r in added] == [Status.PENDING] * len(demo.BAKU_APPLICANTS)
    assert {r.display_name for r in added} >= {"فاطمة الزهراء بنعلي", "अनन्या शर्मा"}
    assert sum(r.email_confirmed_at is None for r in added) == 1
    assert len(failed_mails(db.session, baku.id)) == 1
