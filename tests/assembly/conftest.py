"""A small General Assembly: a network, its members, their delegates (present), an organiser."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from eventsys.accounts.models import User
from eventsys.assembly import services
from eventsys.assembly.models import Assembly, Motion, Poll, VotingRight
from eventsys.events.enums import EventKind
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.organisations.models import Membership, Organisation
from eventsys.registration.models import Registration

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Hall:
    event: Event
    network: Organisation
    assembly: Assembly
    organiser: User
    members: list[Organisation] = field(default_factory=list)
    rights: list[VotingRight] = field(default_factory=list)
    delegates: list[User] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)

    def right_of(self, index: int) -> VotingRight:
        return self.rights[index]


def build_hall(factory, members: int = 4, *, present: bool = True, max_proxies: int = 1) -> Hall:
    organiser = factory.user(name="Chair Person")
    network = factory.organisation("Climate Alliance", kind="network", country="DE")
    event = factory.event(
        organiser=organiser,
        kind=EventKind.GENERAL_ASSEMBLY,
        host_organisation_id=network.id,
        title="General Assembly",
    )
    towns = []
    for i in range(members):
        town = factory.organisation(f"Town {i + 1:02d}")
        db.session.add(
            Membership(network_id=network.id, member_id=town.id, started_on=date(2020, 1, 1))
        )
        towns.append(town)
    db.session.flush()
    assembly = services.create_assembly(
        db.session, event, network, held_on=event.starts_at.date(), max_proxies=max_proxies
    )
    hall = Hall(event, network, assembly, organiser, members=towns)
    by_member = {right.member_id: right for right in assembly.rights}
    for i, town in enumerate(towns):
        user = factory.user(name=f"Delegate {i + 1:02d}")
        registration = factory.registration(event, user=user, category="delegate")
        registration.organisation_id = town.id
        right = by_member[town.id]
        services.appoint_delegate(db.session, assembly, right, registration)
        if present:
            services.mark_attendance(db.session, assembly, registration, True)
        hall.rights.append(right)
        hall.delegates.append(user)
        hall.registrations.append(registration)
    db.session.flush()
    return hall


def open_motion_poll(hall: Hall, *, title: str = "Adopt the Cascais resolution", **poll) -> Poll:
    motion: Motion = services.create_motion(
        db.session, hall.assembly, kind="resolution", title=title, text="We act now."
    )
    created = services.create_poll(db.session, motion, **poll)
    return services.open_poll(db.session, created, upload_dir="/nonexistent")


def option(poll: Poll, key: str) -> int:
    return next(o.id for o in poll.options if o.key == key)


@pytest.fixture
def hall(factory) -> Hall:
    built = build_hall(factory)
    db.session.commit()  # views roll back on errors; the setup must survive that
    return built
