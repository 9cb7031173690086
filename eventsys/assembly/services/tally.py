"""Counting, closing, annulling and repeating polls; the state the live pages show."""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Text, and_, case, cast, func, literal, null, or_, select
from sqlalchemy.orm import Session

from eventsys.assembly import majority
from eventsys.assembly.agenda.live import agenda_state
from eventsys.assembly.models import (
    ApplicationStatus,
    Assembly,
    AttendanceMark,
    Ballot,
    MotionKind,
    Poll,
    PollState,
    PollVote,
    VotingRight,
)
from eventsys.assembly.presence import (
    HALL,
    REMOTE,
    Group,
    Presence,
    present_for_poll,
    summarise_groups,
)
from eventsys.assembly.services import applicant_mail
from eventsys.assembly.services.attendance import presence_modes
from eventsys.assembly.services.audit import append_audit
from eventsys.assembly.services.locking import poll_gate
from eventsys.assembly.services.motions import create_poll
from eventsys.assembly.services.voting import right_carriers
from eventsys.checkin.models import CheckIn
from eventsys.db import utcnow
from eventsys.errors import Conflict, NotFound, ServiceError
from eventsys.organisations.models import Membership, Organisation
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration


def projected_poll(session: Session, assembly: Assembly) -> Poll | None:
    """What the hall sees: the poll open now, else the one closed last."""
    for state, order in ((PollState.OPEN, Poll.opened_at), (PollState.CLOSED, Poll.closed_at)):
        poll = session.execute(
            select(Poll)
            .where(Poll.assembly_id == assembly.id, Poll.state == state)
            .order_by(order.desc())
            .limit(1)
        ).scalar_one_or_none()
        if poll is not None:
            return poll
    return None


def assembly_state(session: Session, assembly_id: int) -> dict[str, Any]:
    """What the live pages poll for: `polls` changes when a poll opens, closes, is annulled or
    repeated, or the agenda moves (an item opens or closes, the list of speakers changes);
    `votes` also when someone votes in an open poll (the projector's count). Digests, the open
    agenda item and its speakers: nothing that the projector does not show."""
    rows = session.execute(
        select(Poll.id, Poll.state, func.count(PollVote.right_id))
        .outerjoin(PollVote, and_(PollVote.poll_id == Poll.id, Poll.state == PollState.OPEN))
        .where(Poll.assembly_id == assembly_id, Poll.state != PollState.DRAFT)
        .group_by(Poll.id, Poll.state)
        .order_by(Poll.id)
    ).all()
    agenda = agenda_state(session, assembly_id)
    polls = ";".join(f"{poll_id}:{PollState(state).value}" for poll_id, state, _n in rows)
    polls += "|" + agenda["agenda"]
    votes = polls + "|" + ",".join(str(count) for _i, _s, count in rows)
    return {
        "polls": hashlib.sha256(polls.encode()).hexdigest()[:16],
        "votes": hashlib.sha256(votes.encode()).hexdigest()[:16],
        **agenda,
    }


def assembly_state_version(session: Session, assembly_id: int) -> str:
    return str(assembly_state(session, assembly_id)["polls"])


def vote_count(session: Session, poll_id: int) -> int:
    return session.execute(
        select(func.count()).select_from(PollVote).where(PollVote.poll_id == poll_id)
    ).scalar_one()


def present_rights(session: Session, assembly_id: int) -> list[tuple[int, int]]:
    """(right id, weight) of every right whose carrier is present now, in the hall or online."""
    return [
        (right_id, weight)
        for right_id, weight, _m, _p in present_rights_by_mode(session, assembly_id)
    ]


def present_rights_by_mode(session: Session, assembly_id: int) -> list[tuple[int, int, str, bool]]:
    """(right id, weight, hall or remote, carried by proxy) of every right present now.

    Plain queries joined in Python: their plans stay good even before the database has
    statistics on a freshly imported membership (a join planned on guesses took seconds)."""
    event_id = session.execute(
        select(Assembly.event_id).where(Assembly.id == assembly_id)
    ).scalar_one()
    carriers = right_carriers(assembly_id)
    rows = session.execute(
        select(carriers.c.right_id, carriers.c.weight, carriers.c.registration_id)
    ).all()
    confirmed = set(
        session.execute(
            select(Registration.id).where(
                Registration.event_id == event_id, Registration.status == Status.CONFIRMED
            )
        ).scalars()
    )
    proxied = set(
        session.execute(
            select(VotingRight.id).where(
                VotingRight.assembly_id == assembly_id, VotingRight.proxy_holder_id.is_not(None)
            )
        ).scalars()
    )
    modes = presence_modes(session, assembly_id, event_id)
    return [
        (right_id, weight, modes[carrier], right_id in proxied)
        for right_id, weight, carrier in rows
        if carrier in modes and carrier in confirmed
    ]


def presence_groups(
    session: Session, assembly: Assembly, poll_id: int | None = None
) -> list[Group]:
    """Every voting right of the Assembly summed by the database into a handful of groups
    alike for the count (see `Group`), instead of a few thousand rows joined in Python.

    Present: a confirmed registration of the event carries the right (its own delegate, or
    the delegate of its proxy holder), and the chair's mark says present (its mode), or there
    is no mark and an active check-in at the door (the hall). `poll_id`: also whether the
    right voted in that poll."""
    carriers = right_carriers(assembly.id)
    checked_in = (
        select(CheckIn.id)
        .where(
            CheckIn.registration_id == Registration.id,
            CheckIn.event_id == assembly.event_id,
            CheckIn.reverted_at.is_(None),
        )
        .exists()
    )
    confirmed = and_(
        Registration.event_id == assembly.event_id, Registration.status == Status.CONFIRMED
    )
    mode = case(
        (or_(Registration.id.is_(None), ~confirmed), null()),
        (AttendanceMark.id.is_not(None), case((AttendanceMark.present, AttendanceMark.mode))),
        (checked_in, literal(HALL)),
    )
    columns = [
        mode.label("mode"),
        _flag(VotingRight.proxy_holder_id.is_not(None)).label("by_proxy"),
        _flag(AttendanceMark.mode == REMOTE).label("remote_marked"),
        VotingRight.weight.label("weight"),
    ]
    rights = (
        select(*columns)
        .outerjoin(carriers, carriers.c.right_id == VotingRight.id)
        # On the key alone: a join also filtered on event and status was planned, before the
        # database had statistics, as a nested loop comparing every pair (230 ms at 2,000).
        .outerjoin(Registration, Registration.id == carriers.c.registration_id)
        .outerjoin(
            AttendanceMark,
            and_(
                AttendanceMark.assembly_id == assembly.id,
                AttendanceMark.registration_id == carriers.c.registration_id,
            ),
        )
        .where(VotingRight.assembly_id == assembly.id)
    )
    if poll_id is not None:
        rights = rights.add_columns(_flag(PollVote.right_id.is_not(None)).label("voted"))
        rights = rights.outerjoin(
            PollVote, and_(PollVote.poll_id == poll_id, PollVote.right_id == VotingRight.id)
        )
    per_right = rights.subquery("per_right")
    # Grouped on the subquery's columns: PostgreSQL would not match a GROUP BY expression
    # whose bound parameters differ from the same expression in the select list.
    keys = [per_right.c.mode, per_right.c.by_proxy, per_right.c.remote_marked]
    if poll_id is not None:
        keys.append(per_right.c.voted)
    rows = session.execute(
        select(*keys, func.count(), func.sum(per_right.c.weight)).group_by(*keys)
    ).all()
    return [
        Group(
            mode=row.mode,
            by_proxy=bool(row.by_proxy),
            remote_marked=bool(row.remote_marked),
            voted=bool(row.voted) if poll_id is not None else False,
            rights=int(row[-2]),
            weight=int(row[-1]),
        )
        for row in rows
    ]


def _flag(condition: Any) -> Any:
    """0 or 1: a boolean both databases group and sum alike."""
    return case((condition, 1), else_=0)


def presence_summary(session: Session, assembly: Assembly) -> Presence:
    return summarise_groups(
        presence_groups(session, assembly), remote_counts=assembly.remote_counts_for_quorum
    )


def tally(session: Session, poll: Poll) -> dict[str, Any]:
    """Counts by weight and by members, presence and entitlement: the input of majority.decide.
    Every count is an aggregate in the database; presence.py turns the groups into numbers."""
    options = {option.id: option for option in poll.options}
    by_weight = dict.fromkeys(options, 0)
    by_members = dict.fromkeys(options, 0)
    ballots = ballots_weight = 0
    # Summed by the database per distinct choice (a handful of rows), not one row per ballot.
    choice_text = cast(Ballot.choices, Text)
    for choices, weight, members in session.execute(
        select(choice_text, func.sum(Ballot.weight), func.sum(Ballot.members))
        .where(Ballot.poll_id == poll.id)
        .group_by(choice_text)
    ):
        weight, members = int(weight), int(members)
        ballots += members
        ballots_weight += weight
        for option_id in json.loads(choices):
            by_weight[option_id] += weight
            by_members[option_id] += members
    assembly = session.get_one(Assembly, poll.assembly_id)
    groups = presence_groups(session, assembly, poll.id)
    remote_counts = assembly.remote_counts_for_quorum
    presence = summarise_groups(groups, remote_counts=remote_counts)
    present, present_weight = present_for_poll(groups, remote_counts=remote_counts)
    return {
        "options": [
            {
                "id": option_id,
                "key": options[option_id].key,
                "label": options[option_id].label,
                "weight": by_weight[option_id],
                "members": by_members[option_id],
            }
            for option_id in options
        ],
        "ballots": ballots,
        "ballots_weight": ballots_weight,
        "present": present,
        "present_weight": present_weight,
        "entitled": sum(group.rights for group in groups),
        "entitled_weight": sum(group.weight for group in groups),
        "presence": presence.as_dict(),
    }


def decide_poll(poll: Poll, counts: dict[str, Any]) -> majority.Decision:
    rule = majority.Rule(
        majority=poll.majority,
        base=poll.base,
        quorum=Fraction(poll.quorum_percent, 100),
        tie=poll.tie_rule,
        double=poll.double_majority,
        seats=poll.seats,
    )

    def unit(key: str, ballots: str, present: str, entitled: str) -> majority.Count:
        options: dict[str, Fraction] = {}
        for option in counts["options"]:
            name = option["key"] if option["key"] != "candidate" else option["label"]
            options[name] = Fraction(option[key])
        return majority.Count(
            options=options,
            ballots=Fraction(counts[ballots]),
            present=Fraction(counts[present]),
            entitled=Fraction(counts[entitled]),
        )

    words = {
        MotionKind.ADMISSION: (_("Admitted"), _("Not admitted")),
        MotionKind.RESOLUTION: (_("Adopted"), _("Rejected")),
        MotionKind.ELECTION: (None, None),
    }[poll.motion.kind]
    return majority.decide(
        unit("weight", "ballots_weight", "present_weight", "entitled_weight"),
        rule,
        members=unit("members", "ballots", "present", "entitled"),
        election=poll.election,
        passed_word=words[0],
        failed_word=words[1],
    )


def close_poll(session: Session, poll_id: int, *, actor_id: int | None = None) -> Poll:
    """Closes atomically and fixes the result. Waits for the votes in flight (they hold the
    poll's gate shared), so every acknowledged vote is counted; later votes see it closed."""
    poll_gate(session, poll_id, exclusive=True)
    poll = session.execute(
        select(Poll)
        .where(Poll.id == poll_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if poll is None:
        raise NotFound(_("There is no such poll."))
    if poll.state != PollState.OPEN:
        raise Conflict(_("Only an open poll can be closed."))
    counts = tally(session, poll)
    decision = decide_poll(poll, counts)
    poll.state = PollState.CLOSED
    poll.closed_at = utcnow()
    poll.result = {**counts, "quorum_reached": decision.quorum_reached, "tie": decision.tie}
    poll.result["elected"] = decision.elected
    poll.decision = decision.text
    poll.passed = decision.passed
    assembly = poll.motion.assembly
    _apply_admission(session, poll, assembly)
    append_audit(
        session,
        assembly,
        "poll_closed",
        {"poll": poll.id, "votes": counts["ballots"], "decision": decision.text},
        actor_id,
    )
    session.flush()
    return poll


def _apply_admission(session: Session, poll: Poll, assembly: Assembly) -> None:
    application = poll.motion.application
    if poll.motion.kind != MotionKind.ADMISSION or application is None:
        return
    applicant_mail.decision(session, application, poll)
    if not poll.passed:
        application.status = ApplicationStatus.REJECTED
        return
    application.status = ApplicationStatus.ADMITTED
    already = session.execute(
        select(Membership.id).where(
            Membership.network_id == assembly.network_id,
            Membership.member_id == application.organisation_id,
            Membership.started_on == assembly.held_on,
        )
    ).first()
    if not already:
        session.add(
            Membership(
                network_id=assembly.network_id,
                member_id=application.organisation_id,
                started_on=assembly.held_on,
            )
        )


def annul_poll(session: Session, poll: Poll, reason: str, *, actor_id: int | None = None) -> Poll:
    """A poll opened by mistake: it stays in the record as annulled; its ballots are kept."""
    if not (reason or "").strip():
        raise ServiceError(_("Please say why the poll is annulled."), field="reason")
    poll_gate(session, poll.id, exclusive=True)
    locked = session.execute(
        select(Poll)
        .where(Poll.id == poll.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    if locked.state not in (PollState.OPEN, PollState.CLOSED):
        raise Conflict(_("Only an open or closed poll can be annulled."))
    if locked.state == PollState.CLOSED and locked.passed and locked.motion.kind == "admission":
        raise Conflict(
            _("This poll admitted a member; ending that membership needs a motion of its own.")
        )
    if locked.motion.application is not None and locked.state == PollState.CLOSED:
        locked.motion.application.status = ApplicationStatus.ON_AGENDA
    locked.state = PollState.ANNULLED
    locked.annulled_at = utcnow()
    locked.annul_reason = reason.strip()
    append_audit(
        session,
        locked.motion.assembly,
        "poll_annulled",
        {"poll": locked.id, "reason": locked.annul_reason},
        actor_id,
    )
    session.flush()
    return locked


def repeat_poll(session: Session, poll: Poll) -> Poll:
    if poll.state != PollState.ANNULLED:
        raise Conflict(_("Only an annulled poll is repeated."))
    candidates = [o.label for o in poll.options if o.key == "candidate"]
    return create_poll(
        session,
        poll.motion,
        secret=poll.secret,
        majority_rule=poll.majority,
        base=poll.base,
        double_majority=poll.double_majority,
        quorum_percent=poll.quorum_percent,
        tie_rule=poll.tie_rule,
        candidates=candidates,
        max_choices=poll.max_choices,
        seats=poll.seats,
        repeat_of=poll,
    )


def published_ballots(session: Session, poll: Poll) -> list[dict[str, Any]]:
    """After the close: (receipt, choice, weight) for everyone to check; named polls add the
    member. Sorted by receipt, which is random, so the order says nothing about who voted when."""
    if poll.state not in (PollState.CLOSED, PollState.ANNULLED):
        raise Conflict(_("The ballots are published when the poll closes."))
    labels = {option.id: option.label for option in poll.options}
    members: dict[int, str] = {}
    if not poll.secret:
        members = dict(
            session.execute(
                select(VotingRight.id, Organisation.name)
                .join(Organisation, Organisation.id == VotingRight.member_id)
                .where(VotingRight.assembly_id == poll.assembly_id)
            )
            .tuples()
            .all()
        )
    rows = session.execute(
        select(Ballot.receipt, Ballot.choices, Ballot.weight, Ballot.right_id)
        .where(Ballot.poll_id == poll.id)
        .order_by(Ballot.receipt)
    )
    return [
        {
            "receipt": receipt,
            "choice": ", ".join(labels[c] for c in choices) or _("blank"),
            "weight": weight,
            "member": members.get(right_id) if right_id else None,
        }
        for receipt, choices, weight, right_id in rows
    ]
