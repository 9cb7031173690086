"""Voting rights taken from the network's member register, not from a hand-made list.

One right per member active on the Assembly's date; its weight is 1, or the membership's weight
when the statutes weigh votes (AssemblyPreparation.weighted). Rights of members no longer
active are withdrawn unless they have voted already (those stay, so the record stays whole).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from eventsys.assembly.models import Assembly, Poll, PollState, PollVote, VotingRight
from eventsys.assembly.preparation_models import AssemblyPreparation, DelegateLink
from eventsys.assembly.services.audit import append_audit
from eventsys.assembly.services.locking import lock_assembly
from eventsys.db import utcnow
from eventsys.errors import Conflict
from eventsys.organisations.register import active_members


@dataclass
class RegisterSync:
    added: int = 0
    reweighted: int = 0
    withdrawn: int = 0
    kept: int = 0  # not active any more, but they have voted: kept for the record


def preparation_of(session: Session, assembly: Assembly) -> AssemblyPreparation:
    preparation = session.get(AssemblyPreparation, assembly.id)
    if preparation is None:
        preparation = AssemblyPreparation(assembly_id=assembly.id, weighted=False)
        session.add(preparation)
        session.flush()
    return preparation


def rights_from_register(
    session: Session, assembly: Assembly, *, weighted: bool, actor_id: int | None = None
) -> RegisterSync:
    lock_assembly(session, assembly)
    if session.execute(
        select(Poll.id).where(Poll.assembly_id == assembly.id, Poll.state == PollState.OPEN)
    ).first():
        raise Conflict(_("A poll is open; take the voting rights from the register after it."))
    preparation = preparation_of(session, assembly)
    preparation.weighted = weighted
    weights = {
        m.member_id: (m.weight if weighted else 1)
        for m in active_members(session, assembly.network_id, assembly.held_on)
    }
    rights = list(
        session.execute(select(VotingRight).where(VotingRight.assembly_id == assembly.id)).scalars()
    )
    result = RegisterSync()
    for right in rights:
        if right.member_id in weights:
            if right.weight != weights[right.member_id]:
                right.weight = weights[right.member_id]
                result.reweighted += 1
        elif _has_voted(session, right):
            result.kept += 1
        else:
            _withdraw(session, right)
            result.withdrawn += 1
    held = {right.member_id for right in rights}
    for member_id, weight in weights.items():
        if member_id not in held:
            session.add(VotingRight(assembly_id=assembly.id, member_id=member_id, weight=weight))
            result.added += 1
    preparation.register_synced_at = utcnow()
    append_audit(
        session,
        assembly,
        "rights_from_register",
        {"weighted": weighted, **result.__dict__},
        actor_id,
    )
    session.flush()
    session.expire(assembly, ["rights"])  # the relationship still lists the rights before
    return result


def _has_voted(session: Session, right: VotingRight) -> bool:
    return bool(
        session.execute(select(PollVote.poll_id).where(PollVote.right_id == right.id)).first()
    )


def _withdraw(session: Session, right: VotingRight) -> None:
    # Members who named this one as proxy must name another (SQLite may not enforce SET NULL).
    session.execute(
        update(VotingRight)
        .where(VotingRight.proxy_holder_id == right.id)
        .values(proxy_holder_id=None)
        .execution_options(synchronize_session="fetch")
    )
    session.execute(delete(DelegateLink).where(DelegateLink.right_id == right.id))
    session.delete(right)
    session.flush()
