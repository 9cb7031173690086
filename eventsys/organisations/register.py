"""A network's member register: list, add, update and end memberships.

A member is an organisation with a membership of the network; `status` says where it stands
(active, suspended, left). Only active members take voting rights at the network's Assemblies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from eventsys.errors import Conflict, NotFound, ServiceError
from eventsys.organisations.countries import is_country
from eventsys.organisations.models import (
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
)


@dataclass
class MemberData:
    """One member as the register (and its import files) describe it."""

    name: str
    kind: OrganisationKind
    country: str | None = None
    city: str | None = None
    short_name: str | None = None
    code: str | None = None
    member_since: date | None = None
    status: MembershipStatus = MembershipStatus.ACTIVE
    weight: int = 1


def network_of(session: Session, network_id: int) -> Organisation:
    network = session.get(Organisation, network_id)
    if network is None:
        raise NotFound(_("There is no such organisation."))
    return network


def members(
    session: Session,
    network: Organisation,
    *,
    include_left: bool = False,
    on: date | None = None,
) -> list[Membership]:
    """The register: each member's latest membership, by name. `on` keeps those current then."""
    query = (
        select(Membership)
        .join(Organisation, Organisation.id == Membership.member_id)
        .where(Membership.network_id == network.id)
        .options(joinedload(Membership.member))
        .order_by(Organisation.name, Membership.started_on.desc())
    )
    if not include_left:
        query = query.where(Membership.status != MembershipStatus.LEFT)
    if on is not None:
        query = query.where(
            Membership.started_on <= on,
            or_(Membership.ended_on.is_(None), Membership.ended_on > on),
        )
    latest: dict[int, Membership] = {}
    for membership in session.execute(query).scalars():
        latest.setdefault(membership.member_id, membership)
    return list(latest.values())


def active_members(session: Session, network_id: int, on: date) -> list[Membership]:
    """Those who hold a vote on `on`: active, started and not ended."""
    return list(
        session.execute(
            select(Membership)
            .where(
                Membership.network_id == network_id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.started_on <= on,
                or_(Membership.ended_on.is_(None), Membership.ended_on > on),
            )
            .order_by(Membership.id)
        ).scalars()
    )


def membership_of(session: Session, network: Organisation, membership_id: int) -> Membership:
    membership = session.get(Membership, membership_id)
    if membership is None or membership.network_id != network.id:
        raise NotFound(_("This organisation is not in the register."))
    return membership


def check_member(data: MemberData) -> None:
    if not data.name.strip():
        raise ServiceError(_("Please name the member."), field="name")
    if data.country and not is_country(data.country):
        raise ServiceError(_("Unknown country code."), field="country")
    if data.weight < 1:
        raise ServiceError(_("A weight is a whole number of at least 1."), field="weight")


def add_member(
    session: Session, network: Organisation, data: MemberData, *, today: date
) -> Membership:
    check_member(data)
    organisation = Organisation()
    _fill_organisation(organisation, data)
    session.add(organisation)
    session.flush()
    return join_network(session, network, organisation, data, today=today)


def join_network(
    session: Session,
    network: Organisation,
    organisation: Organisation,
    data: MemberData,
    *,
    today: date,
) -> Membership:
    if organisation.id == network.id:
        raise ServiceError(_("A network cannot be its own member."), field="name")
    if data.code and _code_taken(session, network.id, data.code, organisation.id):
        raise Conflict(_("Another member has this member number."), field="code")
    membership = Membership(
        network_id=network.id,
        member_id=organisation.id,
        started_on=data.member_since or today,
        weight=data.weight,
        status=data.status,
        code=data.code or None,
        ended_on=today if data.status == MembershipStatus.LEFT else None,
    )
    session.add(membership)
    session.flush()
    return membership


def update_member(
    session: Session, membership: Membership, data: MemberData, *, today: date
) -> Membership:
    check_member(data)
    if data.code and _code_taken(session, membership.network_id, data.code, membership.member_id):
        raise Conflict(_("Another member has this member number."), field="code")
    _fill_organisation(membership.member, data)
    if data.member_since:
        membership.started_on = data.member_since
    membership.weight = data.weight
    membership.code = data.code or None
    if data.status == MembershipStatus.LEFT and membership.status != MembershipStatus.LEFT:
        end_membership(session, membership, on=today)
    else:
        membership.status = data.status
        if data.status != MembershipStatus.LEFT:
            membership.ended_on = None
    session.flush()
    return membership


def end_membership(session: Session, membership: Membership, *, on: date) -> Membership:
    """The member leaves on `on`: it keeps its history, but holds no vote from that day."""
    if membership.status == MembershipStatus.LEFT:
        raise Conflict(_("This member has already left."))
    membership.status = MembershipStatus.LEFT
    membership.ended_on = max(on, membership.started_on)
    session.flush()
    return membership


def _fill_organisation(organisation: Organisation, data: MemberData) -> None:
    organisation.name = data.name.strip()[:300]
    organisation.kind = data.kind
    organisation.country = data.country.upper() if data.country else None
    organisation.city = (data.city or "").strip()[:200] or None
    organisation.short_name = (data.short_name or "").strip()[:60] or None


def _code_taken(session: Session, network_id: int, code: str, member_id: int) -> bool:
    return bool(
        session.execute(
            select(Membership.id).where(
                Membership.network_id == network_id,
                Membership.code == code,
                Membership.member_id != member_id,
            )
        ).first()
    )
