"""What the Assembly holds about a person, for the own-data download and account deletion.

Secret ballots hold nothing that names a voter, so they are untouched. Named votes stay: the
Assembly's record needs them, and they are tied to the member organisation's voting right and
the (then anonymised) account, not to a name. Applications typed by the person lose the
contact's name and address.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.assembly.agenda.models import AgendaItem, Speaker
from eventsys.assembly.models import Ballot, MembershipApplication, Poll, PollVote, VotingRight
from eventsys.registration.models import Registration


def _own_applications(session: Session, user: User) -> list[MembershipApplication]:
    return list(
        session.execute(
            select(MembershipApplication).where(
                or_(
                    MembershipApplication.submitted_by_id == user.id,
                    MembershipApplication.contact_email == user.email,
                )
            )
        ).scalars()
    )


def export_assembly(session: Session, user: User) -> dict[str, Any]:
    delegate_for = session.execute(
        select(VotingRight)
        .join(Registration, Registration.id == VotingRight.delegate_registration_id)
        .where(Registration.user_id == user.id)
    ).scalars()
    named_votes = session.execute(
        select(Poll, Ballot)
        .join(PollVote, PollVote.poll_id == Poll.id)
        .join(Ballot, (Ballot.poll_id == Poll.id) & (Ballot.right_id == PollVote.right_id))
        .where(PollVote.cast_by_id == user.id, Poll.secret.is_(False))
    ).all()
    return {
        "delegate_for": [right.member.name for right in delegate_for],
        "named_votes": [
            {"poll": poll.id, "motion": poll.motion.title, "choices": ballot.choices}
            for poll, ballot in named_votes
        ],
        "applications": [
            {
                "organisation": application.organisation.name,
                "contact_name": application.contact_name,
                "contact_email": application.contact_email,
                "submitted_at": application.submitted_at,
            }
            for application in _own_applications(session, user)
        ],
        "speeches": _speeches(session, user),
    }


def _speeches(session: Session, user: User) -> list[dict[str, Any]]:
    """Requests to speak and speeches on agenda items, with their times."""
    rows = session.execute(
        select(AgendaItem.title, Speaker.requested_at, Speaker.begun_at, Speaker.ended_at)
        .join(Speaker, Speaker.item_id == AgendaItem.id)
        .join(Registration, Registration.id == Speaker.registration_id)
        .where(Registration.user_id == user.id)
        .order_by(Speaker.requested_at)
    ).all()
    return [
        {"item": title, "requested_at": asked, "begun_at": begun, "ended_at": ended}
        for title, asked, begun, ended in rows
    ]


def erase_assembly(session: Session, user: User) -> int:
    applications = _own_applications(session, user)
    for application in applications:
        application.contact_name = ""
        application.contact_email = ""
    session.flush()
    return len(applications)
