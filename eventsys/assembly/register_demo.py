"""Demo: the Cascais Assembly's register and its delegates appointed online.

Every member gets a member number and a contact person; the organiser keeps the network's
register. The chair set a deadline the day before the meeting; before it, each member's contact
appointed the delegate through their personal link, and the members that send nobody named
another member's delegate as proxy. The demo's people keep the rights the demo gives them
(participant@example.org: Cascais's delegate holding a proxy; delegate@example.org: a delegate).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.assembly.models import Assembly, VotingRight
from eventsys.assembly.services import appointments
from eventsys.organisations.contacts import add_contact
from eventsys.organisations.models import Membership
from eventsys.registration.models import Registration


def load(
    session: Session,
    assembly: Assembly,
    ctx: Any,
    delegates: list[tuple[VotingRight, Registration]],
) -> None:
    _register(session, assembly, ctx)
    deadline = assembly.event.starts_at - timedelta(days=1)
    appointments.set_deadline(session, assembly, deadline)
    before = deadline - timedelta(days=6)
    issued = appointments.issue_links(session, assembly, only_not_acted=False, now=before)
    link_of = {link.right_id: link for link, _token in issued}
    for right, registration in delegates:
        link = link_of.get(right.id)
        if link is None:
            continue
        if right.proxy_holder_id is not None:
            appointments.proxy_online(session, assembly, link, right.proxy_holder_id, now=before)
        elif appointments.confirmed_registration(session, assembly, registration.email) == (
            registration
        ):
            appointments.appoint_online(session, assembly, link, registration.email, now=before)
    session.flush()


def _register(session: Session, assembly: Assembly, ctx: Any) -> None:
    """Member numbers, one contact per member, and the organiser as keeper of the register."""
    memberships = session.execute(
        select(Membership)
        .where(Membership.network_id == assembly.network_id)
        .order_by(Membership.started_on, Membership.id)
    ).scalars()
    for number, membership in enumerate(memberships, start=1):
        membership.code = membership.code or f"CA-{number:04d}"
        email = f"contact.{number:04d}@members.example.org"
        contact = session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        if contact is None:
            contact = User(email=email, display_name=f"Contact of {membership.member.name}"[:200])
            session.add(contact)
            session.flush()
        add_contact(session, membership.member_id, contact.id)
    organiser = getattr(ctx, "organiser", None)
    if organiser is not None:
        add_contact(session, assembly.network_id, organiser.id, manager=True)
    session.flush()
