"""The Assembly, its voting rights, delegates and proxies."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol, TypeVar

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, literal, or_, select
from sqlalchemy.orm import Session

from eventsys.assembly import majority
from eventsys.assembly.models import Assembly, VotingRight
from eventsys.assembly.services.audit import append_audit
from eventsys.assembly.services.locking import lock_assembly
from eventsys.assembly.services.texts import default_title_versions
from eventsys.errors import Conflict, NotFound, ServiceError
from eventsys.events.models import Event
from eventsys.i18n.content import checked_versions
from eventsys.organisations.models import Membership, MembershipStatus, Organisation
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration


def assembly_for_event(session: Session, event: Event) -> Assembly:
    assembly = session.execute(
        select(Assembly).where(Assembly.event_id == event.id)
    ).scalar_one_or_none()
    if assembly is None:
        raise NotFound(_("This event holds no General Assembly."))
    return assembly


def create_assembly(
    session: Session,
    event: Event,
    network: Organisation,
    *,
    held_on: date,
    title: str = "",
    max_proxies: int = 1,
    quorum_percent: int = 50,
    tie_rule: str = "rejected",
    title_translations: dict[str, Any] | None = None,
) -> Assembly:
    if session.execute(select(Assembly.id).where(Assembly.event_id == event.id)).first():
        raise Conflict(_("This event already holds a General Assembly."))
    check_settings(max_proxies, quorum_percent, tie_rule)
    assembly = Assembly(
        event_id=event.id,
        network_id=network.id,
        title=title.strip() or _("General Assembly of %(network)s", network=network.name),
        held_on=held_on,
        max_proxies=max_proxies,
        quorum_percent=quorum_percent,
        tie_rule=tie_rule,
    )
    # The default title reads in every language; a title of the organisers' own in theirs.
    versions = dict(title_translations or {})
    if not title.strip() and not any(str(v or "").strip() for v in versions.values()):
        versions = default_title_versions(event, network.name)
    assembly.title_translations = checked_versions(event, versions, "title", 300)
    session.add(assembly)
    session.flush()
    sync_rights(session, assembly)
    return assembly


def update_settings(
    session: Session,
    assembly: Assembly,
    *,
    max_proxies: int,
    quorum_percent: int,
    tie_rule: str,
    actor_id: int | None = None,
) -> Assembly:
    check_settings(max_proxies, quorum_percent, tie_rule)
    lock_assembly(session, assembly)
    held = session.execute(
        select(func.count(), VotingRight.proxy_holder_id)
        .where(VotingRight.assembly_id == assembly.id, VotingRight.proxy_holder_id.is_not(None))
        .group_by(VotingRight.proxy_holder_id)
    ).all()
    if any(count > max_proxies for count, _holder in held):
        raise Conflict(
            ngettext(
                "A delegate already holds more proxies than %(num)s; change those first.",
                "A delegate already holds more proxies than %(num)s; change those first.",
                max_proxies,
            ),
            field="max_proxies",
        )
    assembly.max_proxies = max_proxies
    assembly.quorum_percent = quorum_percent
    assembly.tie_rule = tie_rule
    append_audit(
        session,
        assembly,
        "settings",
        {"max_proxies": max_proxies, "quorum_percent": quorum_percent, "tie_rule": tie_rule},
        actor_id,
    )
    return assembly


def check_settings(max_proxies: int, quorum_percent: int, tie_rule: str) -> None:
    if max_proxies < 0:
        raise ServiceError(_("The number of proxies cannot be negative."), field="max_proxies")
    if not 0 <= quorum_percent <= 100:
        raise ServiceError(_("The quorum is a percentage from 0 to 100."), field="quorum_percent")
    if tie_rule not in majority.TIE_RULES:
        raise ServiceError(_("Unknown tie rule."), field="tie_rule")


def sync_rights(session: Session, assembly: Assembly) -> int:
    """One voting right per active member of the network on the Assembly's date."""
    held_on = assembly.held_on
    memberships = session.execute(
        select(Membership).where(
            Membership.network_id == assembly.network_id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.started_on <= held_on,
            or_(Membership.ended_on.is_(None), Membership.ended_on > held_on),
        )
    ).scalars()
    existing = set(
        session.execute(
            select(VotingRight.member_id).where(VotingRight.assembly_id == assembly.id)
        ).scalars()
    )
    added = 0
    for membership in memberships:
        if membership.member_id in existing:
            continue
        existing.add(membership.member_id)
        session.add(
            VotingRight(
                assembly_id=assembly.id, member_id=membership.member_id, weight=membership.weight
            )
        )
        added += 1
    session.flush()
    return added


class _OfAssembly(Protocol):
    @property
    def assembly_id(self) -> int: ...


T = TypeVar("T", bound=_OfAssembly)


def of_assembly(
    session: Session, model: type[T], assembly: Assembly, row_id: int, missing: str
) -> T:
    """The row with this id if it belongs to this Assembly; ids of other Assemblies are unknown."""
    row = session.get(model, row_id)
    if row is None or row.assembly_id != assembly.id:
        raise NotFound(missing)
    return row


def right_of(session: Session, assembly: Assembly, right_id: int) -> VotingRight:
    return of_assembly(
        session,
        VotingRight,
        assembly,
        right_id,
        _("There is no such voting right at this Assembly."),
    )


def appoint_delegate(
    session: Session,
    assembly: Assembly,
    right: VotingRight,
    registration: Registration | None,
    *,
    actor_id: int | None = None,
) -> VotingRight:
    """The member's delegate: a confirmed registration at the Assembly's event."""
    lock_assembly(session, assembly)
    if registration is not None:
        if registration.event_id != assembly.event_id or registration.status != Status.CONFIRMED:
            raise ServiceError(
                _("The delegate must hold a confirmed registration for this event."),
                field="registration_id",
            )
        other = session.execute(
            select(VotingRight.id).where(
                VotingRight.assembly_id == assembly.id,
                VotingRight.delegate_registration_id == registration.id,
                VotingRight.id != right.id,
            )
        ).first()
        if other:
            raise Conflict(
                _("This person is already the delegate of another member; name a proxy instead."),
                field="registration_id",
            )
    elif _proxies_held(session, right):
        raise Conflict(_("This delegate holds proxies; move them first."), field="registration_id")
    right.delegate_registration_id = registration.id if registration else None
    append_audit(
        session,
        assembly,
        "delegate",
        {"member": right.member.name, "registration_id": registration.id if registration else None},
        actor_id,
    )
    session.flush()
    return right


def _proxies_held(session: Session, right: VotingRight) -> int:
    return session.execute(
        select(func.count()).where(VotingRight.proxy_holder_id == right.id)
    ).scalar_one()


def set_proxy(
    session: Session,
    assembly: Assembly,
    giver: VotingRight,
    holder: VotingRight | None,
    *,
    actor_id: int | None = None,
) -> VotingRight:
    """`giver` cannot attend and names `holder`'s delegate; None withdraws the proxy.

    No chains: a right given away cannot hold proxies, a holder cannot give its own away.
    """
    lock_assembly(session, assembly)
    session.refresh(giver)
    if holder is None:
        giver.proxy_holder_id = None
        append_audit(session, assembly, "proxy_removed", {"member": giver.member.name}, actor_id)
        session.flush()
        return giver
    session.refresh(holder)
    if holder.assembly_id != assembly.id or giver.assembly_id != assembly.id:
        raise NotFound(_("There is no such voting right at this Assembly."))
    if holder.id == giver.id:
        raise ServiceError(_("A member cannot be its own proxy."), field="holder_id")
    if holder.delegate_registration_id is None:
        raise ServiceError(
            _("%(member)s has no delegate to carry a proxy.", member=holder.member.name),
            field="holder_id",
        )
    if holder.proxy_holder_id is not None:
        raise Conflict(
            _(
                "%(member)s has given its own vote to a proxy; proxies cannot be passed on.",
                member=holder.member.name,
            ),
            field="holder_id",
        )
    if _proxies_held(session, giver):
        raise Conflict(
            _(
                "%(member)s carries proxies of other members; proxies cannot be passed on.",
                member=giver.member.name,
            ),
            field="holder_id",
        )
    held = session.execute(
        select(func.count()).where(
            VotingRight.proxy_holder_id == holder.id, VotingRight.id != giver.id
        )
    ).scalar_one()
    if held >= assembly.max_proxies:
        raise Conflict(
            ngettext(
                "The delegate of %(member)s already holds %(num)s proxy, the most the statutes "
                "allow.",
                "The delegate of %(member)s already holds %(num)s proxies, the most the statutes "
                "allow.",
                held,
                member=holder.member.name,
            ),
            field="holder_id",
        )
    giver.proxy_holder_id = holder.id
    append_audit(
        session,
        assembly,
        "proxy_set",
        {"member": giver.member.name, "holder": holder.member.name},
        actor_id,
    )
    session.flush()
    return giver


def set_weight(
    session: Session, assembly: Assembly, right: VotingRight, weight: int, *, actor_id=None
) -> VotingRight:
    if weight < 1:
        raise ServiceError(_("A weight is a whole number of at least 1."), field="weight")
    lock_assembly(session, assembly)
    right.weight = weight
    append_audit(
        session, assembly, "weight", {"member": right.member.name, "weight": weight}, actor_id
    )
    session.flush()
    return right


def is_delegate(session: Session, assembly: Assembly, user_id: int) -> bool:
    return bool(
        session.execute(
            select(literal(1))
            .select_from(VotingRight)
            .join(Registration, Registration.id == VotingRight.delegate_registration_id)
            .where(VotingRight.assembly_id == assembly.id, Registration.user_id == user_id)
        ).first()
    )
