"""Remote attendance (issue 15): a delegate joins online and is present remotely, votes like
anyone present, and counts for the quorum only if the statutes say so."""

from __future__ import annotations

import pytest

from eventsys.assembly import services
from eventsys.assembly.agenda import services as agenda
from eventsys.assembly.presence import Presence, presence_text, summarise
from eventsys.errors import Forbidden, ServiceError
from eventsys.extensions import db
from tests.assembly.conftest import build_hall, open_motion_poll, option

# --- The pure rule -------------------------------------------------------------------------


def test_summarise_splits_hall_remote_and_proxy():
    rows = [(1, "hall", False), (2, "remote", False), (1, "hall", True), (3, "remote", True)]
    off = summarise(rows, remote_counts=False)
    assert (off.hall, off.remote, off.proxy, off.total) == (1, 2, 4, 7)
    assert off.for_quorum == 2  # the hall and the proxies carried in the hall
    on = summarise(rows, remote_counts=True)
    assert on.for_quorum == 7
    with pytest.raises(ValueError):
        summarise([(1, "balcony", False)], remote_counts=True)


def test_presence_in_words(app):
    with app.test_request_context():
        text = presence_text(Presence(hall=12, remote=3, proxy_hall=2, remote_counts=False))
        assert text == (
            "Present: 12 in the hall, 3 remote, 2 by proxy; "
            "remote presence does not count for the quorum"
        )
        assert "remote presence counts for the quorum" in presence_text(
            Presence(remote_counts=True).as_dict()
        )


# --- Services ------------------------------------------------------------------------------


@pytest.fixture
def empty_hall(factory):
    """Four members with delegates, nobody present yet."""
    built = build_hall(factory, members=4, present=False)
    db.session.commit()
    return built


def test_a_delegate_joins_remotely_and_may_vote(empty_hall):
    hall = empty_hall
    assert services.exercisable_rights(db.session, hall.assembly.id, hall.delegates[0].id) == []
    mark = services.join_remotely(db.session, hall.assembly, hall.delegates[0].id)
    assert mark.present and mark.mode == "remote"
    assert services.attendance_mode(db.session, hall.assembly, hall.delegates[0].id) == "remote"
    poll = open_motion_poll(hall)
    receipts = services.cast_vote(db.session, poll.id, hall.delegates[0].id, [option(poll, "yes")])
    assert len(receipts) == 1
    services.leave_remotely(db.session, hall.assembly, hall.delegates[0].id)
    assert services.attendance_mode(db.session, hall.assembly, hall.delegates[0].id) is None


def test_only_delegates_join_remotely(empty_hall, factory):
    with pytest.raises(Forbidden):
        services.join_remotely(db.session, empty_hall.assembly, factory.user(name="Guest").id)
    with pytest.raises(ServiceError):
        services.mark_attendance(
            db.session, empty_hall.assembly, empty_hall.registrations[0], True, mode="balcony"
        )


@pytest.mark.parametrize("remote_counts", [False, True])
def test_remote_presence_counts_for_the_quorum_only_if_the_statutes_say_so(
    empty_hall, remote_counts
):
    """Four rights, quorum 50%: one delegate in the hall, two online. Without the remote ones
    the quorum (2 of 4) is missed; with them it is reached. Their votes count either way."""
    hall = empty_hall
    agenda.set_remote_quorum(db.session, hall.assembly, remote_counts)
    services.mark_attendance(db.session, hall.assembly, hall.registrations[0], True)
    for user in hall.delegates[1:3]:
        services.join_remotely(db.session, hall.assembly, user.id)
    summary = services.presence_summary(db.session, hall.assembly)
    assert (summary.hall, summary.remote, summary.proxy) == (1, 2, 0)
    poll = open_motion_poll(hall, quorum_percent=50)
    for user in hall.delegates[:3]:
        services.cast_vote(db.session, poll.id, user.id, [option(poll, "yes")])
    closed = services.close_poll(db.session, poll.id)
    presence = closed.result["presence"]
    assert (presence["hall"], presence["remote"], presence["proxy"]) == (1, 2, 0)
    assert closed.result["quorum_reached"] is remote_counts
    assert closed.result["options"][0]["weight"] == 3  # every vote is counted
    assert closed.passed is remote_counts
    if not remote_counts:
        assert "quorum of 50% not reached with 1 of 4" in closed.decision


def test_a_proxy_carried_online_counts_as_remote(factory):
    hall = build_hall(factory, members=4, present=False, max_proxies=2)
    services.set_proxy(db.session, hall.assembly, hall.rights[3], hall.rights[0])
    services.join_remotely(db.session, hall.assembly, hall.delegates[0].id)
    services.mark_attendance(db.session, hall.assembly, hall.registrations[1], True)
    summary = services.presence_summary(db.session, hall.assembly)
    assert (summary.hall, summary.remote, summary.proxy, summary.proxy_remote) == (1, 1, 1, 1)
    assert summary.for_quorum == 1


# --- Pages ---------------------------------------------------------------------------------


def test_join_remotely_from_the_assembly_page(client, login, empty_hall, factory):
    slug = empty_hall.event.slug
    login(empty_hall.delegates[0])
    page = client.get(f"/events/{slug}/assembly/vote").get_data(as_text=True)
    assert "Join remotely" in page
    client.post(f"/events/{slug}/assembly/remote/join")
    page = client.get(f"/events/{slug}/assembly/vote").get_data(as_text=True)
    assert "You are present remotely." in page and "Leave the Assembly" in page
    client.post(f"/events/{slug}/assembly/remote/leave")
    assert "Join remotely" in client.get(f"/events/{slug}/assembly/vote").get_data(as_text=True)
    login(factory.user(name="Observer"))
    refused = client.post(f"/events/{slug}/assembly/remote/join", follow_redirects=True)
    assert "Only the Assembly" in refused.get_data(as_text=True)


def test_the_chair_sets_the_remote_quorum_rule(client, login, empty_hall):
    slug = empty_hall.event.slug
    login(empty_hall.organiser)
    client.post(f"/events/{slug}/assembly/manage/agenda/remote-quorum", data={"remote-counts": "1"})
    db.session.refresh(empty_hall.assembly)
    assert empty_hall.assembly.remote_counts_for_quorum is True
    page = client.get(f"/events/{slug}/assembly/manage/agenda").get_data(as_text=True)
    assert "remote presence counts for the quorum" in page
