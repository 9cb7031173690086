"""`eventsys programme conflicts|publish`."""

from __future__ import annotations

from eventsys.extensions import db
from eventsys.programme.published import latest_version
from tests.programme.conftest import at


def test_cli_lists_conflicts_and_publishes(app, conf):
    conf.add("Workshop A", at(9, 10), at(9, 11))
    conf.add("Workshop B", at(9, 10, 30), at(9, 11, 30))
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["programme", "conflicts", conf.event.slug])
    assert listed.exit_code == 0
    expected = "room_double_booked: Sala 1 is used twice at once: Workshop A, Workshop B"
    assert expected in listed.output
    assert "1 conflict\n" in listed.output
    published = runner.invoke(args=["programme", "publish", conf.event.slug, "--comment", "v1"])
    assert published.exit_code == 0 and "Published version 1" in published.output
    assert latest_version(db.session, conf.event.id).comment == "v1"
    again = runner.invoke(args=["programme", "publish", conf.event.slug])
    assert again.exit_code != 0 and "Nothing changed" in again.output
