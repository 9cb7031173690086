"""Casting votes, closing, receipts, secrecy, annulment: the rules through the services."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select

from eventsys.assembly import services
from eventsys.assembly.models import AuditEntry, Ballot, PollState, PollVote
from eventsys.checkin.models import CheckIn
from eventsys.errors import Conflict, Forbidden, ServiceError
from eventsys.extensions import db
from tests.assembly.conftest import open_motion_poll, option


def vote(hall, index, poll, key, **kw):
    voter = hall.delegates[index].id
    return services.cast_vote(db.session, poll.id, voter, [option(poll, key)], **kw)


def test_votes_are_counted_and_decided_in_words(hall):
    poll = open_motion_poll(hall, majority_rule="two_thirds", base="cast", quorum_percent=50)
    for i, key in enumerate(["yes", "yes", "yes", "no"]):
        receipts = vote(hall, i, poll, key)
        assert len(receipts) == 1 and len(receipts[0].receipt) == 19
    closed = services.close_poll(db.session, poll.id)
    assert closed.state == PollState.CLOSED
    assert closed.passed is True
    assert closed.decision == (
        "Adopted: 3 yes, 1 no, 0 abstentions; two-thirds of votes cast required; "
        "quorum of 50% reached with 4 of 4 voting rights present"
    )


def test_unknown_option_is_refused_and_nothing_counted(hall):
    poll = open_motion_poll(hall)
    with pytest.raises(ServiceError, match="no such option"):
        services.cast_vote(db.session, poll.id, hall.delegates[0].id, [999999])
    assert services.vote_count(db.session, poll.id) == 0


def test_two_options_in_a_yes_no_poll_are_refused(hall):
    poll = open_motion_poll(hall)
    with pytest.raises(ServiceError, match="exactly one"):
        services.cast_vote(
            db.session, poll.id, hall.delegates[0].id, [option(poll, "yes"), option(poll, "no")]
        )


def test_second_vote_is_refused_and_the_first_stands(hall):
    poll = open_motion_poll(hall)
    vote(hall, 0, poll, "yes")
    with pytest.raises(Conflict, match="already voted") as error:
        vote(hall, 0, poll, "no")
    assert error.value.code == "already_voted"
    counts = services.tally(db.session, poll)
    assert {o["key"]: o["weight"] for o in counts["options"]} == {"yes": 1, "no": 0, "abstain": 0}


def test_database_refuses_a_second_row_for_the_same_right(hall):
    poll = open_motion_poll(hall)
    vote(hall, 0, poll, "yes")
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(
            PollVote.__table__.insert().values(poll_id=poll.id, right_id=hall.rights[0].id)
        )


def test_vote_after_close_is_refused_with_a_clear_message(hall):
    poll = open_motion_poll(hall)
    services.close_poll(db.session, poll.id)
    with pytest.raises(Conflict, match="closed: your vote was not counted"):
        vote(hall, 0, poll, "yes")


def test_vote_before_opening_is_refused(hall):
    motion = services.create_motion(db.session, hall.assembly, kind="resolution", title="Later")
    poll = services.create_poll(db.session, motion)
    with pytest.raises(Conflict, match="not open yet"):
        vote(hall, 0, poll, "yes")


def test_nobody_votes_for_a_member_they_do_not_represent(hall):
    poll = open_motion_poll(hall)
    with pytest.raises(Forbidden):
        vote(hall, 0, poll, "yes", right_ids=[hall.rights[1].id])
    outsider = hall.organiser
    with pytest.raises(Forbidden, match="no voting right"):
        services.cast_vote(db.session, poll.id, outsider.id, [option(poll, "yes")])


def test_absent_delegate_cannot_vote_and_checked_in_one_can(factory):
    from tests.assembly.conftest import build_hall

    hall = build_hall(factory, 2, present=False)
    poll = open_motion_poll(hall)
    with pytest.raises(Forbidden):
        vote(hall, 0, poll, "yes")
    db.session.add(CheckIn(event_id=hall.event.id, registration_id=hall.registrations[0].id))
    db.session.flush()
    assert vote(hall, 0, poll, "yes")
    # The chair's "absent" overrides the door's check-in (the delegate left the hall).
    db.session.add(CheckIn(event_id=hall.event.id, registration_id=hall.registrations[1].id))
    services.mark_attendance(db.session, hall.assembly, hall.registrations[1], False)
    with pytest.raises(Forbidden):
        vote(hall, 1, poll, "yes")


def test_proxy_counts_only_while_its_holder_is_present(hall):
    giver, holder = hall.rights[0], hall.rights[1]
    services.set_proxy(db.session, hall.assembly, giver, holder)
    services.mark_attendance(db.session, hall.assembly, hall.registrations[1], False)
    assert services.exercisable_rights(db.session, hall.assembly.id, hall.delegates[1].id) == []
    present = dict(services.present_rights(db.session, hall.assembly.id))
    assert giver.id not in present and holder.id not in present
    services.mark_attendance(db.session, hall.assembly, hall.registrations[1], True)
    poll = open_motion_poll(hall)
    receipts = vote(hall, 1, poll, "yes")
    assert {r.right_id for r in receipts} == {giver.id, holder.id}
    # The giver's own delegate, though present, no longer votes for it.
    with pytest.raises(Forbidden):
        vote(hall, 0, poll, "no")


def test_proxy_holder_may_vote_differently_for_each_right(hall):
    services.set_proxy(db.session, hall.assembly, hall.rights[0], hall.rights[1])
    poll = open_motion_poll(hall)
    vote(hall, 1, poll, "yes", right_ids=[hall.rights[1].id])
    vote(hall, 1, poll, "no", right_ids=[hall.rights[0].id])
    counts = {o["key"]: o["weight"] for o in services.tally(db.session, poll)["options"]}
    assert counts == {"yes": 1, "no": 1, "abstain": 0}


def test_weights_count_in_the_tally_and_members_in_the_double_majority(hall):
    services.set_weight(db.session, hall.assembly, hall.rights[0], 10)
    poll = open_motion_poll(hall, majority_rule="absolute", double_majority=True)
    vote(hall, 0, poll, "yes")
    for i in (1, 2, 3):
        vote(hall, i, poll, "no")
    closed = services.close_poll(db.session, poll.id)
    assert closed.result["options"][0]["weight"] == 10
    assert closed.passed is False
    assert "not reached by members: 1 yes, 3 no" in closed.decision


def test_secret_ballots_hold_no_voter_and_the_receipts_add_up(hall):
    poll = open_motion_poll(hall, secret=True)
    receipts = [vote(hall, i, poll, key)[0].receipt for i, key in enumerate(["yes", "no", "yes"])]
    assert all(b.right_id is None for b in db.session.execute(select(Ballot)).scalars())
    # Nothing in a ballot row can point back to a voter: no right, no time, no serial number.
    columns = {c.key for c in inspect(Ballot).columns}
    # `members` is 1 or 0 (the first unit of a weighted secret ballot counts the member).
    assert columns == {"receipt", "poll_id", "secret", "right_id", "weight", "choices", "members"}
    services.close_poll(db.session, poll.id)
    published = services.published_ballots(db.session, poll)
    assert sorted(b["receipt"] for b in published) == sorted(receipts)
    assert all(b["member"] is None for b in published)
    assert sum(b["weight"] for b in published if b["choice"] == "Yes") == 2


def test_the_database_refuses_a_voter_on_a_secret_ballot(hall):
    from sqlalchemy.exc import IntegrityError

    poll = open_motion_poll(hall, secret=True)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(
            Ballot.__table__.insert().values(
                receipt="X",
                poll_id=poll.id,
                secret=True,
                right_id=hall.rights[0].id,
                weight=1,
                choices=[],
            )
        )


def test_named_poll_publishes_who_voted_what(hall):
    poll = open_motion_poll(hall, secret=False)
    vote(hall, 0, poll, "no")
    services.close_poll(db.session, poll.id)
    (ballot,) = services.published_ballots(db.session, poll)
    assert ballot["member"] == hall.members[0].name and ballot["choice"] == "No"


def test_ballots_are_not_published_while_the_poll_is_open(hall):
    poll = open_motion_poll(hall)
    vote(hall, 0, poll, "yes")
    with pytest.raises(Conflict):
        services.published_ballots(db.session, poll)


def test_quorum_missed_makes_the_poll_invalid(factory):
    from tests.assembly.conftest import build_hall

    hall = build_hall(factory, 4, present=False)
    services.mark_attendance(db.session, hall.assembly, hall.registrations[0], True)
    poll = open_motion_poll(hall, quorum_percent=50)
    vote(hall, 0, poll, "yes")
    closed = services.close_poll(db.session, poll.id)
    assert closed.passed is False
    assert closed.result["quorum_reached"] is False
    assert "quorum of 50% not reached with 1 of 4 voting rights present" in closed.decision


def test_poll_content_is_fixed_with_a_hash_when_it_opens(hall):
    poll = open_motion_poll(hall, title="Cut emissions")
    assert poll.content["title"] == "Cut emissions"
    assert poll.content_hash == services.content_hash(poll.content)
    with pytest.raises(Conflict, match="text is fixed"):
        services.update_motion(db.session, poll.motion, title="Cut fewer emissions", text="")
    services.close_poll(db.session, poll.id)
    services.update_motion(db.session, poll.motion, title="Cut fewer emissions", text="")
    assert poll.content["title"] == "Cut emissions"  # the closed poll keeps what was voted on


def test_annulled_poll_stays_in_the_record_and_can_be_repeated(hall):
    poll = open_motion_poll(hall)
    vote(hall, 0, poll, "yes")
    with pytest.raises(ServiceError, match="why"):
        services.annul_poll(db.session, poll, "")
    services.annul_poll(db.session, poll, "Opened on the wrong motion")
    with pytest.raises(Conflict):
        vote(hall, 1, poll, "yes")
    repeat = services.repeat_poll(db.session, poll)
    assert repeat.repeat_of_id == poll.id and repeat.state == PollState.DRAFT
    services.open_poll(db.session, repeat, upload_dir="/nonexistent")
    assert vote(hall, 0, repeat, "no")  # a fresh poll: the same right votes again
    assert poll.state == PollState.ANNULLED and poll.annul_reason == "Opened on the wrong motion"


def test_closing_twice_is_refused(hall):
    poll = open_motion_poll(hall)
    services.close_poll(db.session, poll.id)
    with pytest.raises(Conflict):
        services.close_poll(db.session, poll.id)


def test_election_with_several_choices(hall):
    motion = services.create_motion(db.session, hall.assembly, kind="election", title="Board")
    poll = services.create_poll(
        db.session, motion, candidates=["Ana", "Boris", "Chidi"], max_choices=2, seats=2
    )
    services.open_poll(db.session, poll, upload_dir="/nonexistent")
    ids = {o.label: o.id for o in poll.options}
    with pytest.raises(ServiceError, match="at most 2"):
        services.cast_vote(
            db.session, poll.id, hall.delegates[0].id, [ids["Ana"], ids["Boris"], ids["Chidi"]]
        )
    with pytest.raises(ServiceError, match="abstention"):
        services.cast_vote(db.session, poll.id, hall.delegates[0].id, [ids["Ana"], ids["Abstain"]])
    for i, names in enumerate([["Ana", "Boris"], ["Ana"], ["Ana", "Chidi"], ["Boris"]]):
        services.cast_vote(db.session, poll.id, hall.delegates[i].id, [ids[n] for n in names])
    closed = services.close_poll(db.session, poll.id)
    assert closed.result["elected"] == ["Ana", "Boris"]
    assert closed.decision.startswith("Elected: Ana, Boris (Ana 3, Boris 2, Chidi 1)")


def test_audit_log_records_the_poll_and_detects_tampering(hall):
    poll = open_motion_poll(hall)
    services.close_poll(db.session, poll.id)
    actions = [e.action for e in services.audit_entries(db.session, hall.assembly)]
    assert actions[-2:] == ["poll_opened", "poll_closed"]
    assert services.verify_audit(db.session, hall.assembly)
    entry = services.audit_entries(db.session, hall.assembly)[-1]
    entry_id = entry.id
    with pytest.raises(RuntimeError, match="append-only"), db.session.begin_nested():
        entry.details = {"decision": "Adopted unanimously"}
        db.session.flush()
    # Even an UPDATE past the ORM breaks the chain of digests.
    db.session.execute(
        AuditEntry.__table__.update()
        .where(AuditEntry.id == entry_id)
        .values(details={"decision": "forged"})
    )
    db.session.expire_all()
    assert not services.verify_audit(db.session, hall.assembly)


def test_the_vote_path_is_a_handful_of_statements(hall, count_queries):
    from tests.conftest import is_postgres

    poll = open_motion_poll(hall)
    services.set_proxy(db.session, hall.assembly, hall.rights[0], hall.rights[1])
    voter, yes = hall.delegates[1].id, option(poll, "yes")
    db.session.flush()
    with count_queries() as counter:
        receipts = services.cast_vote(db.session, poll.id, voter, [yes])  # two rights at once
    assert len(receipts) == 2
    # PostgreSQL: who may vote (with the gate), then votes and ballots in one statement.
    assert counter.count == (2 if is_postgres else 3), counter.statements
