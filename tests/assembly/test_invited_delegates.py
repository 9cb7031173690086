"""Someone a member's contact invites by e-mail is appointed as the member's delegate once their
registration is confirmed (issue 15's leftover: the contact had to come back and appoint them)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from eventsys.assembly import services
from eventsys.assembly.models import AuditEntry
from eventsys.assembly.services import appointments
from eventsys.db import utcnow
from eventsys.extensions import db
from eventsys.registration import services as registrations
from eventsys.registration.enums import Status
from tests.assembly.conftest import build_hall
from tests.assembly.test_preparation import _links_for, _open_until, _without_delegates


def _invite(hall, factory, index: int, email: str):
    """Member `index` has no delegate; its contact invites `email` through their link."""
    _without_delegates(hall, [index])
    link = appointments.link_for(
        db.session, hall.assembly, _links_for(hall, factory, [index])[index]
    )
    found = appointments.appoint_online(db.session, hall.assembly, link, email, now=utcnow())
    assert found is None and link.invited_email == email
    return link


def test_the_invited_person_is_appointed_when_they_register(factory):
    hall = build_hall(factory, 3)
    _open_until(hall)
    link = _invite(hall, factory, 0, "Newcomer@example.org")
    registration = factory.registration(hall.event, email="newcomer@example.org", name="Nia New")
    assert hall.rights[0].delegate_registration_id == registration.id
    assert link.invited_email is None
    entry = (
        db.session.execute(
            select(AuditEntry)
            .where(AuditEntry.action == "delegate")
            .order_by(AuditEntry.seq.desc())
        )
        .scalars()
        .first()
    )
    assert entry.actor_id == link.user_id  # the contact's choice, carried out
    assert services.verify_audit(db.session, hall.assembly)


def test_a_place_awaiting_approval_appoints_only_once_approved(factory):
    hall = build_hall(factory, 2)
    hall.event.requires_approval = True
    _open_until(hall)
    _invite(hall, factory, 0, "later@example.org")
    registration = factory.registration(hall.event, email="later@example.org", organiser=False)
    assert registration.status == Status.PENDING
    assert hall.rights[0].delegate_registration_id is None
    registrations.approve(db.session, registration)
    assert hall.rights[0].delegate_registration_id == registration.id


def test_nobody_is_appointed_against_a_later_choice_or_the_rules(factory):
    hall = build_hall(factory, 4)
    _open_until(hall)
    # The member named a proxy after inviting: the proxy stands.
    link = _invite(hall, factory, 0, "first@example.org")
    appointments.proxy_online(db.session, hall.assembly, link, hall.rights[1].id, now=utcnow())
    first = factory.registration(hall.event, email="first@example.org")
    assert hall.rights[0].delegate_registration_id is None and first.status == Status.CONFIRMED
    # Two members invited the same person: one delegate each, so the second invitation waits.
    _invite(hall, factory, 2, "shared@example.org")
    second = _invite(hall, factory, 3, "shared@example.org")
    shared = factory.registration(hall.event, email="shared@example.org")
    assert hall.rights[2].delegate_registration_id == shared.id
    assert hall.rights[3].delegate_registration_id is None
    assert second.invited_email == "shared@example.org"
    assert shared.status == Status.CONFIRMED  # the registration itself always stands


def test_after_the_deadline_the_invitation_waits_for_the_chair(factory):
    hall = build_hall(factory, 2)
    _open_until(hall)
    link = _invite(hall, factory, 0, "late@example.org")
    appointments.set_deadline(db.session, hall.assembly, utcnow() - timedelta(minutes=1))
    late = factory.registration(hall.event, email="late@example.org")
    assert late.status == Status.CONFIRMED
    assert hall.rights[0].delegate_registration_id is None
    assert link.invited_email == "late@example.org"
