"""With real concurrent connections (PostgreSQL, or a SQLite file): each right counted once;
closing is atomic; proxy limits hold."""

from __future__ import annotations

import random
import threading
from datetime import date, timedelta

from sqlalchemy import func, select

from eventsys.accounts.models import User
from eventsys.assembly import services
from eventsys.assembly.models import AttendanceMark, Ballot, PollVote, VotingRight
from eventsys.db import utcnow
from eventsys.errors import ServiceError
from eventsys.events.enums import EventKind
from eventsys.events.services import create_event
from eventsys.extensions import db
from eventsys.organisations.models import Membership, Organisation, OrganisationKind
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration

THREADS = 24


def big_assembly(members: int) -> tuple[int, list[int]]:
    """A network of `members` towns, each with a present delegate; returns (assembly id, user ids).
    Rows are written directly: hashing hundreds of passwords would only slow the test."""
    network = Organisation(name="Network", kind=OrganisationKind.NETWORK)
    db.session.add(network)
    db.session.flush()
    starts = utcnow() + timedelta(days=10)
    event = create_event(
        db.session,
        slug=f"ga-{random.randrange(10**9)}",
        title="GA",
        timezone="Europe/Lisbon",
        starts_at=starts,
        ends_at=starts + timedelta(days=1),
        kind=EventKind.GENERAL_ASSEMBLY,
        host_organisation_id=network.id,
    )
    category = event.categories[0]
    towns = [
        Organisation(name=f"Town {i}", kind=OrganisationKind.MUNICIPALITY) for i in range(members)
    ]
    users = [User(email=f"d{i}@example.org", display_name=f"D {i}") for i in range(members)]
    db.session.add_all(towns + users)
    db.session.flush()
    db.session.add_all(
        Membership(network_id=network.id, member_id=t.id, started_on=date(2020, 1, 1))
        for t in towns
    )
    registrations = [
        Registration(
            event=event,
            user_id=u.id,
            category=category,
            status=Status.CONFIRMED,
            email=u.email,
            display_name=u.display_name,
            organisation_id=t.id,
        )
        for u, t in zip(users, towns, strict=True)
    ]
    db.session.add_all(registrations)
    db.session.flush()
    assembly = services.create_assembly(db.session, event, network, held_on=starts.date())
    by_member = {r.member_id: r for r in assembly.rights}
    for registration in registrations:
        by_member[registration.organisation_id].delegate_registration_id = registration.id
        db.session.add(
            AttendanceMark(assembly_id=assembly.id, registration_id=registration.id, present=True)
        )
    db.session.commit()
    return assembly.id, [u.id for u in users]


def new_open_poll(assembly_id: int) -> tuple[int, int]:
    from eventsys.assembly.models import Assembly

    assembly = db.session.get(Assembly, assembly_id)
    motion = services.create_motion(db.session, assembly, kind="resolution", title="Motion")
    poll = services.create_poll(db.session, motion)
    services.open_poll(db.session, poll, upload_dir="/nonexistent")
    yes = next(o.id for o in poll.options if o.key == "yes")
    db.session.commit()
    return poll.id, yes


def run_voters(app, poll_id, option_id, attempts, barrier, acked, refused, before=None):
    chunks = [attempts[i::THREADS] for i in range(THREADS)]

    def work(chunk):
        with app.app_context():
            barrier.wait()
            for user_id in chunk:
                try:
                    receipts = services.cast_vote(db.session, poll_id, user_id, [option_id])
                    db.session.commit()
                    acked.extend(receipts)
                except ServiceError as exc:
                    db.session.rollback()
                    refused.append(exc.code)
            db.session.remove()

    threads = [threading.Thread(target=work, args=(c,)) for c in chunks]
    return threads


def test_simultaneous_votes_with_duplicates_count_each_right_once(app, committed_db):
    assembly_id, users = big_assembly(200)
    poll_id, yes = new_open_poll(assembly_id)
    attempts = users * 3  # every delegate sends its vote three times, from several threads
    random.Random(5).shuffle(attempts)
    acked, refused = [], []
    barrier = threading.Barrier(THREADS)
    threads = run_voters(app, poll_id, yes, attempts, barrier, acked, refused)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(acked) == 200
    assert len({r.right_id for r in acked}) == 200
    assert refused.count("already_voted") == 400 and len(refused) == 400
    assert (
        db.session.execute(
            select(func.count()).select_from(PollVote).where(PollVote.poll_id == poll_id)
        ).scalar_one()
        == 200
    )
    poll = services.close_poll(db.session, poll_id)
    db.session.commit()
    assert poll.result["ballots"] == 200
    assert poll.result["options"][0]["weight"] == 200
    assert poll.decision.startswith("Adopted: 200 yes")


def test_votes_racing_the_close_are_either_counted_or_refused(app, committed_db):
    assembly_id, users = big_assembly(600)
    overtaken = counted = 0
    for round_ in range(3):
        poll_id, yes = new_open_poll(assembly_id)
        acked, refused = [], []
        barrier = threading.Barrier(THREADS + 1)
        threads = run_voters(app, poll_id, yes, list(users), barrier, acked, refused)
        closed = {}

        def close(barrier=barrier, poll_id=poll_id, closed=closed, after=30 * (round_ + 1)):
            with app.app_context():
                barrier.wait()
                # Let some votes land first, then close while others are in flight.
                while services.vote_count(db.session, poll_id) < after:
                    db.session.rollback()
                closed["poll"] = services.close_poll(db.session, poll_id).result
                db.session.commit()
                db.session.remove()

        closer = threading.Thread(target=close)
        for t in [*threads, closer]:
            t.start()
        for t in [*threads, closer]:
            t.join()
        result = closed["poll"]
        # Every acknowledged vote is in the result; every other one was told the poll closed.
        assert result["ballots"] == len(acked)
        assert set(refused) <= {"poll_closed"}
        assert len(acked) + len(refused) == len(users)
        overtaken += len(refused)
        counted += len(acked)
        stored = db.session.execute(
            select(func.count()).select_from(Ballot).where(Ballot.poll_id == poll_id)
        ).scalar_one()
        assert stored == len(acked)
    assert overtaken and counted, "the close should have overtaken some votes, not all"


def _rights(assembly_id: int) -> list[int]:
    return list(
        db.session.execute(
            select(VotingRight.id)
            .where(VotingRight.assembly_id == assembly_id)
            .order_by(VotingRight.id)
        ).scalars()
    )


def _grant_together(app, assembly_id: int, pairs: list[tuple[int, int]]) -> list[str]:
    """Every (giver, holder) proxy is set at the same moment, each in its own thread."""
    barrier = threading.Barrier(len(pairs), timeout=60)
    outcomes = []

    def grant(giver_id, holder_id):
        with app.app_context():
            from eventsys.assembly.models import Assembly

            # Read before the start, as a request does before calling the service.
            assembly = db.session.get(Assembly, assembly_id)
            giver = db.session.get(VotingRight, giver_id)
            holder = db.session.get(VotingRight, holder_id)
            barrier.wait()
            try:
                services.set_proxy(db.session, assembly, giver, holder)
                db.session.commit()
                outcomes.append("ok")
            except ServiceError:
                db.session.rollback()
                outcomes.append("refused")
            db.session.remove()

    threads = [threading.Thread(target=grant, args=pair) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_concurrent_proxy_grants_respect_the_limit(app, committed_db):
    assembly_id, _users = big_assembly(30)
    rights = _rights(assembly_id)
    holder, givers = rights[0], rights[1:21]
    outcomes = _grant_together(app, assembly_id, [(g, holder) for g in givers])
    assert outcomes.count("ok") == 1  # the statutes' default: one proxy per delegate
    held = db.session.execute(
        select(func.count()).where(VotingRight.proxy_holder_id == holder)
    ).scalar_one()
    assert held == 1


def test_a_limit_of_three_proxies_holds_under_simultaneous_grants(app, committed_db):
    """Reported on SQLite: two simultaneous proxy changes gave a delegate 4 under a limit of 3."""
    from eventsys.assembly.models import Assembly

    assembly_id, _users = big_assembly(20)
    db.session.get(Assembly, assembly_id).max_proxies = 3
    db.session.commit()
    rights = _rights(assembly_id)
    holder, givers = rights[0], rights[1:13]
    outcomes = _grant_together(app, assembly_id, [(g, holder) for g in givers])
    assert outcomes.count("ok") == 3
    held = db.session.execute(
        select(func.count()).where(VotingRight.proxy_holder_id == holder)
    ).scalar_one()
    assert held == 3


def test_simultaneous_proxy_changes_make_no_chain(app, committed_db):
    """A gives to B while B gives to C, at once: one of the two is refused, in every triple."""
    from eventsys.assembly.models import Assembly

    assembly_id, _users = big_assembly(18)
    db.session.get(Assembly, assembly_id).max_proxies = 5
    db.session.commit()
    rights = _rights(assembly_id)
    triples = [rights[i : i + 3] for i in range(0, 18, 3)]
    pairs = [pair for a, b, c in triples for pair in ((a, b), (b, c))]
    outcomes = _grant_together(app, assembly_id, pairs)
    assert outcomes.count("ok") == len(triples)
    db.session.expire_all()
    all_rights = db.session.execute(
        select(VotingRight).where(VotingRight.assembly_id == assembly_id)
    ).scalars()
    holders = {r.proxy_holder_id for r in all_rights if r.proxy_holder_id}
    givers = {r.id for r in db.session.execute(select(VotingRight)).scalars() if r.proxy_holder_id}
    assert not holders & givers, "a right both gives its vote away and holds proxies: a chain"
