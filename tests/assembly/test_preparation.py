"""Before the meeting: rights from the register, the deadline, personal links, proxies named
online within the statutes' limits, reminders, and the applicant's mails."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from eventsys.assembly import notices, services
from eventsys.assembly.services import appointments
from eventsys.assembly.services.register_rights import rights_from_register
from eventsys.db import utcnow
from eventsys.errors import ServiceError
from eventsys.extensions import db
from eventsys.mail.models import OutboundMail
from eventsys.organisations import contacts, register
from eventsys.organisations.models import Membership, MembershipStatus
from tests.assembly.conftest import PDF, build_hall, open_motion_poll, option


def _mails(kind: str) -> list[OutboundMail]:
    return list(
        db.session.execute(
            select(OutboundMail).where(OutboundMail.kind == kind).order_by(OutboundMail.id)
        ).scalars()
    )


def _open_until(hall, hours: int = 24) -> None:
    appointments.set_deadline(db.session, hall.assembly, utcnow() + timedelta(hours=hours))


def _links_for(hall, factory, member_indexes) -> dict[int, str]:
    """A contact for each named member; returns {member index: token}."""
    users = {}
    for index in member_indexes:
        user = factory.user(name=f"Contact {index}")
        contacts.add_contact(db.session, hall.members[index].id, user.id)
        users[user.id] = index
    issued = appointments.issue_links(db.session, hall.assembly, only_not_acted=False)
    return {users[link.user_id]: token for link, token in issued if link.user_id in users}


def _without_delegates(hall, indexes) -> None:
    for i in indexes:
        services.appoint_delegate(db.session, hall.assembly, hall.rights[i], None)


def test_rights_follow_the_register_active_members_and_weights(factory):
    hall = build_hall(factory, 4)
    memberships = {
        m.member_id: m
        for m in db.session.execute(
            select(Membership).where(Membership.network_id == hall.network.id)
        ).scalars()
    }
    suspended = memberships[hall.members[0].id]
    suspended.status = MembershipStatus.SUSPENDED
    memberships[hall.members[1].id].weight = 3
    late = factory.organisation("Town late")
    register.join_network(
        db.session,
        hall.network,
        late,
        register.MemberData(name="Town late", kind=late.kind, member_since=date(2021, 1, 1)),
        today=date(2021, 1, 1),
    )
    services.appoint_delegate(db.session, hall.assembly, hall.rights[0], None)
    result = rights_from_register(db.session, hall.assembly, weighted=True)
    assert (result.added, result.reweighted, result.withdrawn) == (1, 1, 1)
    weights = {r.member.name: r.weight for r in hall.assembly.rights}
    assert weights == {"Town 02": 3, "Town 03": 1, "Town 04": 1, "Town late": 1}
    result = rights_from_register(db.session, hall.assembly, weighted=False)
    assert result.reweighted == 1
    assert {r.weight for r in hall.assembly.rights} == {1}


def test_rights_are_not_reshuffled_while_a_poll_is_open(factory):
    hall = build_hall(factory, 2)
    open_motion_poll(hall)
    with pytest.raises(ServiceError):
        rights_from_register(db.session, hall.assembly, weighted=False)


def test_links_mail_each_contact_and_only_the_digest_is_stored(factory):
    hall = build_hall(factory, 3)
    _open_until(hall)
    tokens = _links_for(hall, factory, [0, 1])
    issued = appointments.issue_links(db.session, hall.assembly, only_not_acted=False)
    assert notices.appointment_links(db.session, hall.assembly, issued, reminder=False) == 2
    mails = _mails("assembly_appointment")
    assert len(mails) == 2 and "/assembly/appoint/" in mails[0].text_body
    # The second issue replaced the first links: the old tokens open nothing.
    with pytest.raises(ServiceError):
        appointments.link_for(db.session, hall.assembly, tokens[0])
    token = mails[0].text_body.split("/assembly/appoint/")[1].split()[0]
    link = appointments.link_for(db.session, hall.assembly, token)
    assert link.token_digest != token and len(link.token_digest) == 64


def test_deadline_before_and_after(factory):
    hall = build_hall(factory, 3)
    _without_delegates(hall, [0])
    with pytest.raises(ServiceError) as caught:  # not opened yet
        appointments.issue_links(db.session, hall.assembly, only_not_acted=False)
    _open_until(hall)
    tokens = _links_for(hall, factory, [0])
    link = appointments.link_for(db.session, hall.assembly, tokens[0])
    delegate = factory.registration(hall.event, email="new.delegate@example.org")
    before = utcnow()
    appointments.appoint_online(
        db.session, hall.assembly, link, "New.Delegate@example.org", now=before
    )
    assert hall.rights[0].delegate_registration_id == delegate.id
    after = utcnow() + timedelta(hours=25)
    with pytest.raises(ServiceError) as caught:
        appointments.appoint_online(db.session, hall.assembly, link, "x@example.org", now=after)
    assert caught.value.code == "deadline_passed" and "deadline passed" in caught.value.message
    with pytest.raises(ServiceError):
        appointments.proxy_online(db.session, hall.assembly, link, hall.rights[1].id, now=after)


def test_a_deadline_after_the_event_is_refused(factory):
    hall = build_hall(factory, 1)
    with pytest.raises(ServiceError) as caught:
        appointments.set_deadline(db.session, hall.assembly, hall.event.ends_at + timedelta(days=1))
    assert caught.value.field == "deadline"


def test_someone_not_registered_is_invited_to_register(factory):
    hall = build_hall(factory, 2)
    _without_delegates(hall, [0])
    _open_until(hall)
    link = appointments.link_for(db.session, hall.assembly, _links_for(hall, factory, [0])[0])
    found = appointments.appoint_online(
        db.session, hall.assembly, link, "newcomer@example.org", now=utcnow()
    )
    assert found is None and link.invited_email == "newcomer@example.org"
    notices.invite_delegate(db.session, hall.assembly, "newcomer@example.org", "Town 01")
    (mail,) = _mails("assembly_delegate_invitation")
    assert mail.to_address == "newcomer@example.org" and "/register" in mail.text_body


def test_proxies_named_online_within_the_limits(factory):
    hall = build_hall(factory, 5, max_proxies=1)
    _without_delegates(hall, [0, 1])
    _open_until(hall)
    tokens = _links_for(hall, factory, [0, 1, 2])
    now = utcnow()
    first = appointments.link_for(db.session, hall.assembly, tokens[0])
    second = appointments.link_for(db.session, hall.assembly, tokens[1])
    third = appointments.link_for(db.session, hall.assembly, tokens[2])
    appointments.proxy_online(db.session, hall.assembly, first, hall.rights[3].id, now=now)
    assert hall.rights[0].proxy_holder_id == hall.rights[3].id
    with pytest.raises(ServiceError) as caught:  # beyond the statutes' maximum
        appointments.proxy_online(db.session, hall.assembly, second, hall.rights[3].id, now=now)
    assert "most the statutes allow" in caught.value.message
    with pytest.raises(ServiceError):  # no chains: a giver cannot carry a proxy
        appointments.proxy_online(db.session, hall.assembly, second, hall.rights[0].id, now=now)
    # A member whose delegate carries a proxy cannot give its own vote away.
    carrier = appointments.link_for(db.session, hall.assembly, _links_for(hall, factory, [3])[3])
    with pytest.raises(ServiceError):
        appointments.proxy_online(db.session, hall.assembly, carrier, hall.rights[4].id, now=now)
    # Naming a proxy releases the member's own delegate.
    appointments.proxy_online(db.session, hall.assembly, third, hall.rights[4].id, now=now)
    assert hall.rights[2].delegate_registration_id is None
    assert hall.rights[2].proxy_holder_id == hall.rights[4].id


def test_a_link_opens_only_its_own_member_and_assembly(factory):
    hall = build_hall(factory, 2)
    other = build_hall(factory, 2)
    _open_until(hall)
    token = _links_for(hall, factory, [0])[0]
    with pytest.raises(ServiceError):
        appointments.link_for(db.session, other.assembly, token)
    with pytest.raises(ServiceError):
        appointments.link_for(db.session, hall.assembly, "forged-" + token)


def test_the_chair_sees_who_has_not_acted_and_reminds_them(factory):
    hall = build_hall(factory, 3)
    _without_delegates(hall, [0, 1, 2])
    _open_until(hall)
    tokens = _links_for(hall, factory, [0, 1, 2])
    link = appointments.link_for(db.session, hall.assembly, tokens[0])
    appointments.appoint_online(
        db.session, hall.assembly, link, hall.registrations[0].email, now=utcnow()
    )
    waiting = appointments.not_acted(db.session, hall.assembly)
    assert [r.member.name for r in waiting] == ["Town 02", "Town 03"]
    issued = appointments.issue_links(db.session, hall.assembly, only_not_acted=True)
    assert notices.appointment_links(db.session, hall.assembly, issued, reminder=True) == 2
    assert len(_mails("assembly_reminder")) == 2


def test_the_applicant_hears_of_each_step(factory, app):
    hall = build_hall(factory, 3)
    application = services.submit_application(
        db.session,
        hall.assembly,
        organisation_name="Câmara Municipal de Loulé",
        organisation_kind="municipality",
        country="PT",
        city="Loulé",
        contact_name="Ana Sousa",
        contact_email="ana@example.org",
        statement="",
        uploads=[services.Upload("resolution", "r.pdf", PDF)],
        upload_dir=app.config["UPLOAD_DIR"],
        max_bytes=10**6,
    )
    services.review_application(db.session, application, complete=False, comment="Sign it.")
    services.review_application(db.session, application, complete=True, comment="")
    motion = services.put_on_agenda(db.session, application)
    poll = services.open_poll(
        db.session, services.create_poll(db.session, motion), upload_dir=app.config["UPLOAD_DIR"]
    )
    for user in hall.delegates:
        services.cast_vote(db.session, poll.id, user.id, [option(poll, "yes")])
    services.close_poll(db.session, poll.id)
    kinds = [
        m.kind
        for m in db.session.execute(
            select(OutboundMail).where(OutboundMail.to_address == "ana@example.org")
        ).scalars()
    ]
    assert kinds == [
        "application_received",
        "application_incomplete",
        "application_on_agenda",
        "application_decided",
    ]
    (decided,) = _mails("application_decided")
    assert "has admitted Câmara Municipal de Loulé" in decided.text_body
    assert (
        "quorum of 50% reached" in decided.text_body
        and "Sign it." in _mails("application_incomplete")[0].text_body
    )
