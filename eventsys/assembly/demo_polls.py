"""The demo Assemblies' polls (Cascais, demo.py; EECCA, demo_eecca.py): every voting right
present casts its ballot, drawn from a seeded generator so that each demo reads the same."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.assembly import services
from eventsys.assembly.models import Poll, VotingRight
from eventsys.organisations.models import Organisation


def present_ballots(session: Session, poll: Poll) -> list[tuple[int, int, str]]:
    """(right, weight, member's name) of every voting right present, in the rights' order."""
    present = dict(services.present_rights(session, poll.assembly_id))
    names = dict(
        session.execute(
            select(VotingRight.id, Organisation.name)
            .join(Organisation, Organisation.id == VotingRight.member_id)
            .where(VotingRight.id.in_(list(present) or [0]))
        )
        .tuples()
        .all()
    )
    return [(right_id, weight, names[right_id]) for right_id, weight in sorted(present.items())]


def vote(
    session: Session,
    poll: Poll,
    rng: random.Random,
    split: list[tuple[str, float]],
    upload_dir: str,
) -> Poll:
    """Opens the poll, has every right present vote one option of `split` (option key, share;
    the shares add up in order, the last takes the rest) and closes it: the closed poll."""
    services.open_poll(session, poll, upload_dir=upload_dir)
    keys = {option.key: option.id for option in poll.options}
    for ballot in present_ballots(session, poll):
        draw = rng.random()
        key = next(key for key, share in _cumulative(split) if draw < share)
        services.record_ballots(
            session, poll.id, poll.secret, [ballot], [keys[key]], cast_by_id=None
        )
    return services.close_poll(session, poll.id)


def _cumulative(split: list[tuple[str, float]]) -> list[tuple[str, float]]:
    total, out = 0.0, []
    for key, share in split:
        total += share
        out.append((key, total))
    return out
