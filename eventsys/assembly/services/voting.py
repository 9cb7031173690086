"""Casting a vote, the hot path: a handful of statements in one transaction.

- one vote per voting right: the primary key of `poll_votes` (poll, right); a duplicate insert
  does nothing and the right is reported as having voted already;
- atomic close: a vote holds a shared lock on the poll (a PostgreSQL advisory lock) for its short
  transaction; closing takes it exclusively, so it waits for every vote in flight to commit, then
  counts. A vote arriving later queues behind the close and then sees the poll closed. (A row
  lock FOR SHARE would be correct too, but new sharers overtake a waiting closer, so under a
  steady stream of votes the chair's close could wait; the lock manager's queue is fair.);
- secret polls store no link between voter and choice (see models.py).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Integer, and_, bindparam, func, select, text, union_all
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import Session, aliased

from eventsys import sqlite
from eventsys.accounts.models import ApiToken, User
from eventsys.assembly.models import (
    Assembly,
    AttendanceMark,
    Ballot,
    Poll,
    PollState,
    PollVote,
    VotingRight,
)
from eventsys.assembly.services.locking import POLL_LOCK_CLASS
from eventsys.checkin.models import CheckIn
from eventsys.errors import Conflict, Forbidden, NotFound, ServiceError
from eventsys.events.models import Event
from eventsys.organisations.models import Organisation
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed back


@dataclass
class CastReceipt:
    right_id: int
    member: str
    receipt: str


def new_receipt() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(16))
    return "-".join(code[i : i + 4] for i in range(0, 16, 4))


def right_carriers(assembly_id: Any) -> Any:
    """Every voting right with the registration that carries it now: its own delegate, or the
    delegate of the member holding its proxy. Two equi-joins (not one join on a CASE), so the
    database uses its indexes however large the Assembly."""
    holder = aliased(VotingRight)
    own = select(
        VotingRight.id.label("right_id"),
        VotingRight.weight.label("weight"),
        VotingRight.member_id.label("member_id"),
        VotingRight.delegate_registration_id.label("registration_id"),
    ).where(
        VotingRight.assembly_id == assembly_id,
        VotingRight.proxy_holder_id.is_(None),
        VotingRight.delegate_registration_id.is_not(None),
    )
    proxied = (
        select(
            VotingRight.id,
            VotingRight.weight,
            VotingRight.member_id,
            holder.delegate_registration_id,
        )
        .join(holder, holder.id == VotingRight.proxy_holder_id)
        .where(VotingRight.assembly_id == assembly_id)
    )
    return union_all(own, proxied).subquery("carriers")


def _present_carriers(assembly_id: Any) -> tuple[Any, Any]:
    """(query, carriers): rights whose carrier is a confirmed registration present now. Present
    means the chair's mark, else an active check-in at the door."""
    carriers = right_carriers(assembly_id)
    query = (
        select(carriers)
        .join(Registration, Registration.id == carriers.c.registration_id)
        .outerjoin(
            AttendanceMark,
            and_(
                AttendanceMark.assembly_id == assembly_id,
                AttendanceMark.registration_id == Registration.id,
            ),
        )
        .outerjoin(
            CheckIn,
            and_(CheckIn.registration_id == Registration.id, CheckIn.reverted_at.is_(None)),
        )
        .where(
            Registration.status == Status.CONFIRMED,
            func.coalesce(AttendanceMark.present, CheckIn.id.is_not(None)),
        )
    )
    return query, carriers


def exercisable_rights(
    session: Session, assembly_id: int, user_id: int, right_ids: list[int] | None = None
) -> list[tuple[int, int, str]]:
    """(right id, weight, member name) the user may vote for now: as the present delegate of
    the member, or of the member holding its proxy. A proxy counts only while its holder is
    present."""
    query, carriers = _present_carriers(assembly_id)
    query = (
        query.with_only_columns(carriers.c.right_id, carriers.c.weight, Organisation.name)
        .join(Organisation, Organisation.id == carriers.c.member_id)
        .where(Registration.user_id == user_id)
        .order_by(Organisation.name)
    )
    if right_ids:
        query = query.where(carriers.c.right_id.in_(right_ids))
    return [tuple(row) for row in session.execute(query)]


def voted_right_ids(session: Session, poll_id: int, right_ids: list[int]) -> set[int]:
    if not right_ids:
        return set()
    return set(
        session.execute(
            select(PollVote.right_id).where(
                PollVote.poll_id == poll_id, PollVote.right_id.in_(right_ids)
            )
        ).scalars()
    )


_STATEMENTS: dict[tuple[Any, ...], Any] = {}


def _cached(key: tuple[Any, ...], build: Any) -> Any:
    """Statements of the vote path, built once per shape: building a SQLAlchemy statement costs
    more Python time than the database takes to run it."""
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = build()
    return statement


def _vote_context(
    session: Session,
    poll_id: int,
    user_id: int | None,
    right_ids: list[int] | None,
    event_slug: str | None,
    token_digest: str | None = None,
) -> list[Any]:
    """One statement: the rights the user may use now, the poll's fixed facts and, on
    PostgreSQL, the poll's gate taken shared (so the close waits for this vote). Given an API
    token's digest instead of a user, the token is resolved in the same statement: one round
    trip less on the busiest request of the Assembly."""
    dialect = session.get_bind().dialect.name
    with_token = token_digest is not None
    key = ("context", dialect, bool(right_ids), event_slug is not None, with_token)
    statement = _cached(key, lambda: _vote_context_statement(*key[1:]))
    values: dict[str, Any] = (
        {"poll_id": poll_id, "token_digest": token_digest}
        if with_token
        else {"poll_id": poll_id, "user_id": user_id}
    )
    if right_ids:
        values["right_ids"] = list(right_ids)
    if event_slug is not None:
        values["event_slug"] = event_slug
    # On the session's connection: plain rows, without the ORM's execution and result set-up
    # (the statement selects columns only), a noticeable share of this request's Python time.
    return list(session.connection().execute(statement, values))


def _vote_context_statement(
    dialect: str, with_rights: bool, with_slug: bool, with_token: bool = False
) -> Any:
    poll_id = bindparam("poll_id", type_=Integer)
    assembly_id = (
        select(Poll.assembly_id).where(Poll.id == poll_id).correlate(None).scalar_subquery()
    )
    query, carriers = _present_carriers(assembly_id)
    columns = [
        carriers.c.right_id,
        carriers.c.weight,
        Organisation.name,
        Poll.secret,
        Poll.election,
        Poll.max_choices,
        Poll.option_keys,
        Registration.user_id,
    ]
    if dialect == "postgresql":
        columns.append(func.pg_advisory_xact_lock_shared(POLL_LOCK_CLASS, poll_id))
    query = (
        query.with_only_columns(*columns)
        .join(Organisation, Organisation.id == carriers.c.member_id)
        .join(Poll, Poll.id == poll_id)
        .where(Registration.user_id == _voter(with_token))
        .order_by(Organisation.name)
    )
    if with_rights:
        query = query.where(carriers.c.right_id.in_(bindparam("right_ids", expanding=True)))
    if with_slug:  # the API names the event: the poll must be its Assembly's
        query = (
            query.join(Assembly, Assembly.id == Poll.assembly_id)
            .join(Event, Event.id == Assembly.event_id)
            .where(Event.slug == bindparam("event_slug"))
        )
    return query


def _voter(with_token: bool) -> Any:
    """The voting user: given, or the owner of an unrevoked API token of an active account."""
    if not with_token:
        return bindparam("user_id", type_=Integer)
    return (
        select(ApiToken.user_id)
        .join(User, User.id == ApiToken.user_id)
        .where(
            ApiToken.digest == bindparam("token_digest"),
            ApiToken.revoked_at.is_(None),
            User.deleted_at.is_(None),
        )
        .correlate(None)
        .scalar_subquery()
    )


def cast_vote(
    session: Session,
    poll_id: int,
    user_id: int | None,
    choices: list[int],
    right_ids: list[int] | None = None,
    *,
    event_slug: str | None = None,
    token_digest: str | None = None,
) -> list[CastReceipt]:
    """Records one ballot per voting right the user exercises; returns the receipts.

    On PostgreSQL two statements: who may vote (taking the poll's gate), then the (poll, right)
    rows, inserted only while the poll is open, with their ballots. The caller commits. The
    database's (poll, right) key makes a repeated vote a no-op, which is reported; nothing is
    ever counted twice. On SQLite the write lock, taken first, does what the gate does.
    """
    sqlite.hold_write_lock(session)
    rows = _vote_context(session, poll_id, user_id, right_ids, event_slug, token_digest)
    if not rows:
        _explain_no_rights(session, poll_id, event_slug)
    if right_ids and len(rows) != len(set(right_ids)):
        raise Forbidden(
            _(
                "You may not vote for one of these members now: "
                "you are not present as its delegate or proxy."
            ),
            field="rights",
        )
    secret, election, max_choices, option_keys = rows[0][3:7]
    options = {int(option_id): key for option_id, key in option_keys.items()}
    choices = _valid_choices(choices, options, election=election, max_choices=max_choices)
    rights = [(row[0], row[1], row[2]) for row in rows]
    return record_ballots(session, poll_id, secret, rights, choices, cast_by_id=rows[0][7])


def _explain_no_rights(session: Session, poll_id: int, event_slug: str | None) -> None:
    query = select(Poll.state).where(Poll.id == poll_id)
    if event_slug is not None:
        query = (
            query.join(Assembly, Assembly.id == Poll.assembly_id)
            .join(Event, Event.id == Assembly.event_id)
            .where(Event.slug == event_slug)
        )
    if session.execute(query).first() is None:
        raise NotFound(_("There is no such poll."))
    raise Forbidden(
        _("You hold no voting right you can use now. Delegates vote once checked in."),
        field="rights",
    )


@dataclass
class _Unit:
    """One ballot row: a receipt for one right, with the weight and member count it adds."""

    right_id: int
    member: str
    receipt: str
    weight: int
    members: int


def _ballot_units(secret: bool, rights: list[tuple[int, int, str]]) -> list[_Unit]:
    """A named vote: one ballot per right with its weight. A secret vote: one ballot of weight 1
    per unit of weight, so no published line can single out a member by its weight."""
    units = []
    for right_id, weight, member in rights:
        if not secret:
            units.append(_Unit(right_id, member, new_receipt(), weight, 1))
            continue
        for index in range(weight):
            units.append(_Unit(right_id, member, new_receipt(), 1, 1 if index == 0 else 0))
    return units


def record_ballots(
    session: Session,
    poll_id: int,
    secret: bool,
    rights: list[tuple[int, int, str]],
    choices: list[int],
    *,
    cast_by_id: int | None,
) -> list[CastReceipt]:
    """Marks the rights as having voted and stores their ballots; returns one receipt per ballot.
    The caller has checked that the poll is open, the choices valid and the rights the voter's
    to use."""
    units = _ballot_units(secret, rights)
    if session.get_bind().dialect.name == "postgresql":
        stored = _record_in_one_statement(
            session, poll_id, secret, [r[0] for r in rights], units, choices, cast_by_id
        )
        recorded = [unit for unit in units if unit.receipt in stored]
    else:
        voted = _record_voters(session, poll_id, [r[0] for r in rights], cast_by_id)
        recorded = [unit for unit in units if unit.right_id in voted]
    if not recorded:
        _refuse_recorded_nothing(session, poll_id)
    if session.get_bind().dialect.name != "postgresql":
        session.execute(
            Ballot.__table__.insert(),
            [
                {
                    "receipt": unit.receipt,
                    "poll_id": poll_id,
                    "secret": secret,
                    "right_id": None if secret else unit.right_id,
                    "weight": unit.weight,
                    "members": unit.members,
                    "choices": choices,
                }
                for unit in recorded
            ],
        )
    return [CastReceipt(unit.right_id, unit.member, unit.receipt) for unit in recorded]


def _refuse_recorded_nothing(session: Session, poll_id: int) -> None:
    state = session.execute(select(Poll.state).where(Poll.id == poll_id)).scalar_one()
    if state != PollState.OPEN:
        raise Conflict(
            _("This poll is closed: your vote was not counted.")
            if state in (PollState.CLOSED, PollState.ANNULLED)
            else _("This poll is not open yet."),
            code="poll_closed",
        )
    raise Conflict(
        _("You have already voted in this poll; each vote is counted once."),
        code="already_voted",
    )


# PostgreSQL: the voted rows and the ballots in one statement, one round trip. The ballots
# join only the rights actually inserted, so a duplicate or a closed poll stores nothing.
RECORD_SQL = text(
    """
    WITH voted AS (
        INSERT INTO poll_votes (poll_id, right_id, cast_by_id)
        SELECT polls.id, given.right_id, :user_id
        FROM polls, unnest(CAST(:right_ids AS integer[])) AS given(right_id)
        WHERE polls.id = :poll_id AND polls.state = :open_state
        ON CONFLICT (poll_id, right_id) DO NOTHING
        RETURNING right_id
    )
    INSERT INTO ballots (receipt, poll_id, secret, right_id, weight, members, choices)
    SELECT b.receipt, :poll_id, :secret,
           CASE WHEN :secret THEN NULL ELSE voted.right_id END, b.weight, b.members,
           CAST(:choices AS json)
    FROM voted
    JOIN unnest(CAST(:unit_rights AS integer[]), CAST(:receipts AS text[]),
                CAST(:weights AS integer[]), CAST(:members AS integer[]))
         AS b(right_id, receipt, weight, members)
      ON b.right_id = voted.right_id
    RETURNING receipt
    """
)


def _record_in_one_statement(
    session: Session,
    poll_id: int,
    secret: bool,
    right_ids: list[int],
    units: list[_Unit],
    choices: list[int],
    cast_by_id: int | None,
) -> set[str]:
    values = {
        "poll_id": poll_id,
        "user_id": cast_by_id,
        "secret": secret,
        "right_ids": right_ids,
        "unit_rights": [unit.right_id for unit in units],
        "receipts": [unit.receipt for unit in units],
        "weights": [unit.weight for unit in units],
        "members": [unit.members for unit in units],
        "choices": json.dumps(choices),
        "open_state": PollState.OPEN.value,  # the column stores enum values (eventsys.db)
    }
    return set(session.connection().execute(RECORD_SQL, values).scalars())


def _valid_choices(
    choices: list[int], options: dict[int, str], *, election: bool, max_choices: int
) -> list[int]:
    picked = list(dict.fromkeys(int(c) for c in choices or []))
    if not picked:
        raise ServiceError(_("Please choose an option."), field="choices")
    unknown = [c for c in picked if c not in options]
    if unknown:
        raise ServiceError(_("This poll has no such option."), field="choices")
    if not election:
        if len(picked) != 1:
            raise ServiceError(_("Please choose exactly one option."), field="choices")
        return picked
    if any(options[c] == "abstain" for c in picked) and len(picked) > 1:
        raise ServiceError(_("An abstention cannot be combined with candidates."), field="choices")
    if len(picked) > max_choices:
        raise ServiceError(
            ngettext(
                "You may choose at most %(num)s candidate.",
                "You may choose at most %(num)s candidates.",
                max_choices,
            ),
            field="choices",
        )
    return sorted(picked)


def _record_voters(
    session: Session, poll_id: int, right_ids: list[int], user_id: int | None
) -> set[int]:
    """Inserts (poll, right) rows while the poll is open, skipping rights that voted already;
    returns the rights inserted. The state is read after the gate, so never after a close."""
    dialect = session.get_bind().dialect.name
    statement = _cached(("record", dialect), lambda: _record_voters_statement(dialect))
    values = {"poll_id": poll_id, "right_ids": list(right_ids), "user_id": user_id}
    return set(session.execute(statement, values).scalars())


def _record_voters_statement(dialect: str) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite_dialect.insert
    rows = (
        select(Poll.id, VotingRight.id, bindparam("user_id", type_=Integer))
        .select_from(Poll)
        .join(VotingRight, VotingRight.id.in_(bindparam("right_ids", expanding=True)))
        .where(Poll.id == bindparam("poll_id", type_=Integer), Poll.state == PollState.OPEN)
    )
    table = PollVote.__table__  # Core, not the ORM's bulk-insert path
    return (
        insert(table)
        .from_select(["poll_id", "right_id", "cast_by_id"], rows)
        .on_conflict_do_nothing(index_elements=["poll_id", "right_id"])
        .returning(table.c.right_id)
    )
