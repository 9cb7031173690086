"""A person's export names the mailings they got and their opt-outs; erasure removes both."""

from __future__ import annotations

from eventsys.extensions import db
from eventsys.mailings import jobs, optout, services
from eventsys.mailings.filters import opt_out_scope
from eventsys.mailings.models import MailingRecipient
from eventsys.privacy.services import erase_person, export_person
from tests.mailings.conftest import draft


def test_export_and_erasure_cover_mailings_and_opt_outs(factory, event):
    person = factory.user(email="ana@example.org")
    factory.registration(event, user=person)
    mailing = draft(event)
    services.start_sending(db.session, mailing, None)
    db.session.commit()
    jobs.send_mailing.call_local(mailing.id)
    optout.opt_out(db.session, opt_out_scope(event), "ana@example.org")
    exported = export_person(db.session, person)["mailings"]
    assert [r["subject"] for r in exported["received"]] == ["Practical information"]
    assert exported["news_opt_outs"][0]["scope"] == opt_out_scope(event)
    erase_person(db.session, person)
    (row,) = db.session.query(MailingRecipient).all()
    assert "ana" not in row.email
    assert not optout.is_opted_out(db.session, opt_out_scope(event), "ana@example.org")
