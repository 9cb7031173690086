"""The close-and-count's numbers with every kind of presence mixed, checked against a case
counted by hand (issue 14: the tally moved into SQL aggregates must give the same result)."""

from __future__ import annotations

import pytest

from eventsys.assembly import services
from eventsys.assembly.agenda import services as agenda
from eventsys.assembly.presence import Group, present_for_poll, summarise_groups
from eventsys.checkin.services import check_in_by_hand
from eventsys.extensions import db
from eventsys.registration.enums import Status
from tests.assembly.conftest import build_hall, open_motion_poll, option


def test_the_groups_give_presence_and_the_present_count():
    """The pure rule the database's groups feed: (mode, by proxy, voted, last online, rights,
    weight)."""
    groups = [
        Group("hall", False, True, False, 2, 5),
        Group("hall", True, False, False, 1, 4),
        Group("remote", False, True, True, 1, 1),
        Group("remote", True, True, True, 1, 5),
        Group(None, False, True, False, 1, 2),  # voted, then marked absent in the hall
        Group(None, False, True, True, 1, 1),  # voted online, then left
        Group(None, False, False, False, 1, 7),  # absent
    ]
    presence = summarise_groups(groups, remote_counts=False)
    assert (presence.hall, presence.remote, presence.proxy_hall, presence.proxy_remote) == (
        5,
        1,
        4,
        5,
    )
    assert present_for_poll(groups, remote_counts=False) == (4, 11)
    assert present_for_poll(groups, remote_counts=True) == (7, 18)
    assert present_for_poll([], remote_counts=True) == (0, 0)


WEIGHTS = [3, 2, 1, 4, 5, 2, 1, 7]  # entitled: 8 members, weight 25


def _door(hall, index: int) -> None:
    check_in_by_hand(
        db.session,
        hall.event,
        hall.registrations[index].id,
        nonce=f"door-{index:04d}",
        staff_id=None,
    )


def _vote(hall, poll, index: int) -> None:
    services.cast_vote(db.session, poll.id, hall.delegates[index].id, [option(poll, "yes")])


def _mixed_hall(factory, remote_counts: bool):
    """0: checked in at the door (hall), weight 3, also carries 3's proxy (weight 4);
    1: marked present by the chair, weight 2, does not vote;
    2: online, weight 1, carries 4's proxy (weight 5, remote by proxy);
    5: checked in, votes, then marked absent by the chair (weight 2; voted: counts present);
    6: online, votes, then leaves (weight 1; counts present only if remote counts);
    7: checked in, but the registration is cancelled: absent (weight 7)."""
    hall = build_hall(factory, members=8, present=False)
    agenda.set_remote_quorum(db.session, hall.assembly, remote_counts)
    for right, weight in zip(hall.rights, WEIGHTS, strict=True):
        right.weight = weight
    services.set_proxy(db.session, hall.assembly, hall.rights[3], hall.rights[0])
    services.set_proxy(db.session, hall.assembly, hall.rights[4], hall.rights[2])
    for index in (0, 5, 7):
        _door(hall, index)
    services.mark_attendance(db.session, hall.assembly, hall.registrations[1], True)
    for index in (2, 6):
        services.join_remotely(db.session, hall.assembly, hall.delegates[index].id)
    db.session.flush()
    poll = open_motion_poll(hall, quorum_percent=50)
    for index in (0, 2, 5, 6):
        _vote(hall, poll, index)
    services.mark_attendance(db.session, hall.assembly, hall.registrations[5], False)
    services.leave_remotely(db.session, hall.assembly, hall.delegates[6].id)
    hall.registrations[7].status = Status.CANCELLED
    db.session.flush()
    return hall, poll


@pytest.mark.parametrize(
    ("remote_counts", "present", "present_weight", "for_quorum"),
    [
        # hall 0, 1, 3 (by proxy) and 5 (voted, then left the hall); 2, 4 and 6 are remote
        (False, 4, 3 + 2 + 4 + 2, 3 + 2 + 4),
        # everyone present or who voted: 0, 1, 2, 3, 4, 5, 6
        (True, 7, 3 + 2 + 1 + 4 + 5 + 2 + 1, 3 + 2 + 1 + 4 + 5),
    ],
)
def test_the_tally_of_a_mixed_hall_matches_the_count_by_hand(
    factory, remote_counts, present, present_weight, for_quorum
):
    hall, poll = _mixed_hall(factory, remote_counts)
    counts = services.tally(db.session, poll)
    assert counts["presence"] == {
        "hall": 3 + 2,
        "remote": 1,
        "proxy": 4 + 5,
        "proxy_remote": 5,
        "for_quorum": for_quorum,
        "remote_counts": remote_counts,
    }
    assert (counts["present"], counts["present_weight"]) == (present, present_weight)
    assert (counts["entitled"], counts["entitled_weight"]) == (8, sum(WEIGHTS))
    # Ballots of 0, 3, 2, 4, 5 and 6, all yes.
    assert (counts["ballots"], counts["ballots_weight"]) == (6, 3 + 4 + 1 + 5 + 2 + 1)
    yes = next(o for o in counts["options"] if o["key"] == "yes")
    assert (yes["members"], yes["weight"]) == (6, 16)
    summary = services.presence_summary(db.session, hall.assembly)
    assert summary.as_dict() == counts["presence"]
    closed = services.close_poll(db.session, poll.id)
    assert closed.result["present_weight"] == present_weight
    # Quorum 50% of 25: 11 present misses it, 18 reaches it; all the votes are yes.
    assert closed.result["quorum_reached"] is remote_counts
    assert closed.passed is remote_counts


def test_the_tally_of_an_empty_hall(factory):
    hall = build_hall(factory, members=3, present=False)
    poll = open_motion_poll(hall)
    counts = services.tally(db.session, poll)
    assert counts["presence"]["hall"] == counts["present"] == counts["ballots"] == 0
    assert (counts["entitled"], counts["entitled_weight"]) == (3, 3)
