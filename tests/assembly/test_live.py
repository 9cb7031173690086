"""The delegate's ballot and the projector update by themselves: both poll one small state
endpoint and reload when its version changes (issue 11 item 6); no inline script."""

from __future__ import annotations

import re

from eventsys.assembly import services
from eventsys.extensions import db
from tests.assembly.conftest import open_motion_poll, option


def test_the_state_changes_when_a_poll_opens_votes_and_closes(client, hall):
    url = f"/events/{hall.event.slug}/assembly/state"
    before = client.get(url)
    assert before.status_code == 200 and "no-store" in before.headers["Cache-Control"]
    poll = open_motion_poll(hall)
    db.session.commit()
    opened = client.get(url).json
    assert opened["polls"] != before.json["polls"]
    services.cast_vote(db.session, poll.id, hall.delegates[0].id, [option(poll, "yes")])
    db.session.commit()
    voted = client.get(url).json
    assert voted["polls"] == opened["polls"]  # a ballot page is not reloaded under a voter
    assert voted["votes"] != opened["votes"]  # the projector's count is
    services.close_poll(db.session, poll.id)
    db.session.commit()
    assert client.get(url).json["polls"] != voted["polls"]


def test_vote_page_and_projector_load_the_live_script_and_carry_their_version(client, login, hall):
    open_motion_poll(hall)
    db.session.commit()
    state = client.get(f"/events/{hall.event.slug}/assembly/state").json
    login(hall.delegates[0])
    for path, key in (("vote", "polls"), ("projector", "votes")):
        page = client.get(f"/events/{hall.event.slug}/assembly/{path}").get_data(as_text=True)
        assert 'src="/static/assembly/live.js"' in page
        assert f'data-live-key="{key}"' in page
        assert f'data-live-version="{state[key]}"' in page
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # no inline script
        assert 'http-equiv="refresh"' not in page
    assert client.get("/static/assembly/live.js").status_code == 200
