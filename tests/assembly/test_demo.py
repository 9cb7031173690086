"""The Assembly's demo data on a small context built with the factories."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pypdf import PdfReader
from sqlalchemy import select

from eventsys.assembly import demo, services
from eventsys.assembly.models import ApplicationStatus, MembershipApplication, PollState
from eventsys.extensions import db
from eventsys.organisations.models import Membership
from tests.factories import aware


@dataclass
class Ctx:
    cascais: Any
    network: Any
    members: list = field(default_factory=list)
    registrations: dict = field(default_factory=dict)


def test_demo_holds_the_cascais_assembly_that_admits_ceesen(app, factory):
    network = factory.organisation("Climate Alliance", kind="network", country="DE")
    cascais = factory.event(
        "cascais-2024",
        starts_at=aware(2024, 10, 9, 7, 0),
        days=2,
        host_organisation_id=network.id,
    )
    members = []
    for i in range(14):
        town = factory.organisation(f"Município {i}")
        db.session.add(
            Membership(network_id=network.id, member_id=town.id, started_on=date(2010, 1, 1))
        )
        members.append(town)
    registrations = [factory.registration(cascais, name=f"Delegate {i}") for i in range(16)]
    ctx = Ctx(cascais, network, members, {"cascais-2024": registrations})

    assembly = demo.load(db.session, ctx)

    assert assembly.held_on == date(2024, 10, 11)  # the last day, in Lisbon
    applications = (
        db.session.execute(select(MembershipApplication).order_by(MembershipApplication.id))
        .scalars()
        .all()
    )
    # CEESEN admitted; a second application waits on the agenda for the demo's live vote.
    assert [a.status for a in applications][0] == ApplicationStatus.ADMITTED
    assert len(applications) == 2 and applications[1].status != ApplicationStatus.ADMITTED
    application = applications[0]
    for document in application.documents:
        pdf = services.document_path(app.config["UPLOAD_DIR"], document).read_bytes()
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    admission = application_motion = assembly.motions[0]
    (poll,) = application_motion.polls
    assert poll.state == PollState.CLOSED
    assert poll.decision.startswith("Admitted:")
    assert "two-thirds of votes cast required" in poll.decision
    assert poll.closed_at.astimezone(poll.opened_at.tzinfo).date() == date(2024, 10, 11)
    membership = db.session.execute(
        select(Membership).where(Membership.member_id == application.organisation_id)
    ).scalar_one()
    assert membership.started_on == date(2024, 10, 11)
    proxies = [r for r in assembly.rights if r.proxy_holder_id]
    assert len(proxies) == demo.PROXIES
    states = [p.state for p in assembly.motions[1].polls]
    assert states == [PollState.ANNULLED, PollState.CLOSED]
    assert admission.application_id == application.id
    assert services.verify_audit(db.session, assembly)


@dataclass
class CtxWithParticipant(Ctx):
    participant: Any = None


def test_the_demo_participant_is_cascais_delegate_and_can_vote(app, factory):
    """README: participant@example.org is a delegate at Cascais; they must hold a voting right
    (their own member's, and a proxy) and be present, so the vote page offers them a ballot."""
    network = factory.organisation("Climate Alliance", kind="network", country="DE")
    cascais = factory.event("cascais-2024", days=2, host_organisation_id=network.id)
    members = []
    for name in ["Almada", "Cascais"] + [f"Town {i}" for i in range(14)]:
        town = factory.organisation(name)
        db.session.add(
            Membership(network_id=network.id, member_id=town.id, started_on=date(2010, 1, 1))
        )
        members.append(town)
    participant = factory.user(email="participant@example.org", name="Pedro Participante")
    own = factory.registration(cascais, user=participant, category="delegate")
    others = [factory.registration(cascais, name=f"Delegate {i}") for i in range(16)]
    for registration, member in zip(others, members, strict=False):
        registration.organisation_id = member.id  # every member has a delegate of its own
    ctx = CtxWithParticipant(cascais, network, members, {"cascais-2024": [own, *others]})
    ctx.participant = participant

    assembly = demo.load(db.session, ctx)

    rights = services.exercisable_rights(db.session, assembly.id, participant.id)
    names = [member for _right, _weight, member in rights]
    assert "Cascais" in names
    assert len(rights) >= 2  # Cascais's own right and a proxy it holds
    cascais_right = next(r for r in assembly.rights if r.member.name == "Cascais")
    assert cascais_right.delegate_registration_id == own.id


def test_demo_cascais_has_an_agenda_with_speakers_and_a_remote_delegate(app, factory):
    from eventsys.assembly.agenda import services as agenda

    network = factory.organisation("Climate Alliance", kind="network", country="DE")
    cascais = factory.event("cascais-2024", days=2, host_organisation_id=network.id)
    members = []
    for i in range(14):
        town = factory.organisation(f"Município {i}")
        db.session.add(
            Membership(network_id=network.id, member_id=town.id, started_on=date(2010, 1, 1))
        )
        members.append(town)
    registrations = [factory.registration(cascais, name=f"Delegate {i}") for i in range(16)]
    assembly = demo.load(
        db.session, Ctx(cascais, network, members, {"cascais-2024": registrations})
    )

    items = agenda.agenda_items(db.session, assembly)
    assert len(items) == 6 and items[1].kind == "report" and len(items[1].own_documents) == 1
    assert sum(len(agenda.spoken(item)) for item in items) >= 5
    current = agenda.current_item(db.session, assembly.id)
    assert current is not None and len(agenda.waiting(current)) == 2
    assert current.motion is not None and current.motion.polls[0].state == PollState.DRAFT
    presence = services.presence_summary(db.session, assembly)
    assert presence.remote == 1 and presence.proxy == demo.PROXIES


def test_demo_eecca_assembly_in_russian(app, factory):
    from eventsys.assembly import demo_eecca
    from eventsys.assembly.agenda import services as agenda
    from eventsys.organisations.models import Organisation

    assembly = demo_eecca.load(db.session, object())
    assert assembly is not None and assembly.event.default_locale == "ru"
    assert assembly.event.languages == ["ru"]
    members = [right.member for right in assembly.rights]
    assert len(members) == 50 and len({m.country for m in members}) == 11
    assert all(any("А" <= ch <= "я" for ch in m.name) for m in members)  # Cyrillic names
    presence = services.presence_summary(db.session, assembly)
    assert presence.remote >= 5 and presence.proxy == demo_eecca.PROXIES
    assert assembly.remote_counts_for_quorum
    polls = [poll for motion in assembly.motions for poll in motion.polls]
    assert [p.state for p in polls] == [PollState.CLOSED, PollState.CLOSED, PollState.DRAFT]
    assert polls[0].passed and polls[0].result["presence"]["remote"] >= 5
    assert len(polls[1].result["elected"]) == 3
    current = agenda.current_item(db.session, assembly.id)
    assert current is not None and len(agenda.waiting(current)) == 3
    report = agenda.agenda_items(db.session, assembly)[1]
    assert report.own_documents[0].filename.endswith(".pdf")
    assert demo_eecca.load(db.session, object()) is None  # a second run changes nothing
    assert db.session.query(Organisation).filter_by(short_name="CAN EECCA").count() == 1
