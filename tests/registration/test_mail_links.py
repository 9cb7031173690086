"""'A place is free for you' and the approval mail lead to the registration and the badge."""

from __future__ import annotations

import re

from sqlalchemy import select

from eventsys.extensions import db
from eventsys.mail.models import OutboundMail
from eventsys.registration import services
from eventsys.registration.enums import Status
from tests.mail.outbox import written

LINK = re.compile(r"http://eventsys\.test(/\S+)")


def _mail(kind: str, to: str) -> str:
    mail = db.session.execute(
        select(OutboundMail).where(OutboundMail.kind == kind, OutboundMail.to_address == to)
    ).scalar_one()
    return written(mail).text_body


def _guest(factory, event):
    return factory.registration(event, email="guest.links@example.org", organiser=False)


def _check_guest_links(client, registration, text: str) -> None:
    paths = LINK.findall(text)
    page = next(p for p in paths if not p.endswith(".pdf"))
    badge = next(p for p in paths if p.endswith("/badge.pdf"))
    response = client.get(page)
    assert response.status_code == 200, page
    assert registration.display_name in response.get_data(as_text=True)
    assert client.get(badge).status_code == 200, badge


def test_a_guest_moved_up_gets_working_links(client, factory):
    event = factory.event(capacity=1)
    first = factory.registration(event)
    guest = _guest(factory, event)
    assert guest.status == Status.WAITLISTED
    services.cancel(db.session, first)
    assert guest.status == Status.CONFIRMED
    db.session.commit()
    _check_guest_links(client, guest, _mail("registration_promoted", guest.email))


def test_a_guest_approved_at_baku_gets_working_links(client, factory):
    event = factory.event(requires_approval=True)
    guest = _guest(factory, event)
    assert guest.status == Status.PENDING
    services.approve(db.session, guest)
    db.session.commit()
    _check_guest_links(client, guest, _mail("registration_approved", guest.email))


def test_an_account_holder_gets_links_to_the_page_and_the_badge(factory):
    event = factory.event(requires_approval=True)
    user = factory.user()
    registration = factory.registration(event, user=user, organiser=False)
    services.approve(db.session, registration)
    paths = LINK.findall(_mail("registration_approved", user.email))
    assert f"/events/{event.slug}/registration" in paths
    assert f"/events/{event.slug}/registration/badge.pdf" in paths
