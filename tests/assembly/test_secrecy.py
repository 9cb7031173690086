"""A secret ballot stays secret: receipts live only in the vote's own response, and no
published field of a secret poll singles out a voting right (issue 10 §3)."""

from __future__ import annotations

import re
from collections import Counter

from eventsys.assembly import services
from eventsys.extensions import db
from tests.assembly.conftest import open_motion_poll, option

RECEIPT = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")


def _session_text(client) -> str:
    with client.session_transaction() as session:
        return repr(dict(session))


def test_receipts_are_shown_once_never_stored_in_the_cookie_nor_after_logout(client, login, hall):
    poll = open_motion_poll(hall, secret=True)
    db.session.commit()
    slug = hall.event.slug
    login(hall.delegates[0])
    page = client.get(f"/events/{slug}/assembly/vote")
    assert "no-store" in page.headers["Cache-Control"]
    response = client.post(
        f"/events/{slug}/assembly/polls/{poll.id}/vote", data={"choice": option(poll, "yes")}
    )
    assert response.status_code == 200  # shown in the vote's own answer, not after a redirect
    assert "no-store" in response.headers["Cache-Control"]
    receipts = RECEIPT.findall(response.get_data(as_text=True))
    assert len(receipts) == 1
    assert receipts[0] not in _session_text(client)
    # Neither the same login reloading nor the next person on this browser sees it again.
    assert receipts[0] not in client.get(f"/events/{slug}/assembly/vote").get_data(as_text=True)
    client.post("/account/logout")
    login(hall.delegates[1])
    later = client.get(f"/events/{slug}/assembly/vote").get_data(as_text=True)
    assert receipts[0] not in later and "Your receipts" not in later


def test_a_unique_weight_cannot_be_found_in_the_published_ballots(client, login, hall):
    cascais = hall.rights[0]
    services.set_weight(db.session, hall.assembly, cascais, 7)
    poll = open_motion_poll(hall, secret=True, double_majority=True)
    receipts = services.cast_vote(db.session, poll.id, hall.delegates[0].id, [option(poll, "no")])
    assert len(receipts) == 7 and len({r.receipt for r in receipts}) == 7  # one per unit
    for i in (1, 2, 3):
        services.cast_vote(db.session, poll.id, hall.delegates[i].id, [option(poll, "yes")])
    closed = services.close_poll(db.session, poll.id)
    db.session.commit()
    published = services.published_ballots(db.session, closed)
    # Every published line is one unit of weight: no line carries a weight of its own.
    assert {b["weight"] for b in published} == {1}
    assert len(published) == 10 and all(b["member"] is None for b in published)
    assert Counter(b["choice"] for b in published) == {"No": 7, "Yes": 3}
    assert {r.receipt for r in receipts} <= {b["receipt"] for b in published}
    # The tally still counts members once each (double majority) and weight by units.
    counts = {o["key"]: (o["weight"], o["members"]) for o in closed.result["options"]}
    assert counts["no"] == (7, 1) and counts["yes"] == (3, 3)
    assert closed.result["ballots"] == 4 and closed.result["ballots_weight"] == 10
    page = client.get(f"/events/{hall.event.slug}/assembly/polls/{poll.id}").get_data(as_text=True)
    assert ">7<" not in page
    api = client.get(f"/api/v1/events/{hall.event.slug}/assembly/polls/{poll.id}/ballots")
    if api.status_code == 200:
        assert {b["weight"] for b in api.json["ballots"]} == {1}
