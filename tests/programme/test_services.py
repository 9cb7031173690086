"""Sessions, bad input, versions and the changelog."""

from __future__ import annotations

from datetime import UTC

import pytest

from eventsys.errors import Conflict, ServiceError
from eventsys.extensions import db
from eventsys.programme import services, versions
from eventsys.programme.models import ProgrammeSession
from eventsys.programme.published import latest_version
from tests.programme.conftest import at, make_conf


def count_sessions(event) -> int:
    return db.session.query(ProgrammeSession).filter_by(event_id=event.id).count()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_at": at(9, 9)}, "ends_at", "end after it starts"),
        ({"room_id": 999999}, "room_id", "room does not exist"),
        ({"track_id": 999999}, "track_id", "track does not exist"),
        ({"kind": "party"}, "kind", "not a kind"),
        ({"title": "  "}, "title", "title"),
        ({"capacity": -1}, "capacity", "negative"),
        ({"language": "English!"}, "language", "language"),
    ],
)
def test_bad_session_input_is_refused_and_nothing_is_saved(conf, change, field, message):
    values = {
        "title": "Energy poverty",
        "kind": "workshop",
        "starts_at": at(9, 10),
        "ends_at": at(9, 11),
    }
    values.update(change)
    with pytest.raises(ServiceError, match=message) as caught:
        services.create_session(db.session, conf.event, services.SessionData(**values))
    assert caught.value.field == field
    assert count_sessions(conf.event) == 0


def test_a_room_of_another_event_is_unknown_here(conf, factory):
    other = make_conf(factory, first_day=9, last_day=10)
    data = services.SessionData("X", "panel", at(9, 10), at(9, 11), room_id=other.rooms[0].id)
    with pytest.raises(ServiceError, match="room does not exist"):
        services.create_session(db.session, conf.event, data)


def test_outside_the_event_is_saved_with_a_warning(conf):
    row = conf.add("Too early", at(8, 10), at(8, 11))
    assert row.id is not None
    assert [w.kind for w in services.warnings_for(db.session, conf.event, row)] == ["outside_event"]


def test_failed_update_leaves_the_session_as_it_was(conf):
    row = conf.add("Data for municipal planning", at(9, 10), at(9, 11))
    db.session.commit()
    with pytest.raises(ServiceError):
        services.move_session(
            db.session, conf.event, row, room_id=conf.rooms[1].id, starts_at=at(9, 12),
            ends_at=at(9, 11),
        )  # fmt: skip
    db.session.rollback()
    db.session.refresh(row)
    assert (row.starts_at, row.room_id) == (at(9, 10), conf.rooms[0].id)


def test_move_keeps_the_length(conf):
    row = conf.add("Equality in the transition", at(9, 10), at(9, 11, 30))
    services.move_session(
        db.session, conf.event, row, room_id=conf.rooms[2].id, starts_at=at(10, 14)
    )
    assert (row.starts_at, row.ends_at, row.room.name) == (at(10, 14), at(10, 15, 30), "Sala 3")


def test_room_in_use_cannot_be_removed(conf):
    conf.add("In Sala 1", at(9, 10), at(9, 11))
    with pytest.raises(Conflict, match="Move (them|it) to another room"):
        services.delete_room(db.session, conf.rooms[0])
    services.delete_room(db.session, conf.rooms[2])  # unused: fine
    assert [r.name for r in services.rooms_of(db.session, conf.event)] == ["Sala 1", "Sala 2"]


def test_versions_changelog_and_sequences(conf):
    a = conf.add("Opening plenary", at(9, 9), at(9, 10), kind="plenary")
    b = conf.add("Energy poverty", at(9, 10, 30), at(9, 12), room=1)
    c = conf.add("Nature-based solutions", at(9, 10, 30), at(9, 12), room=2)
    first = versions.publish(db.session, conf.event, comment="First draft")
    assert first.number == 1 and first.changes == []
    assert {s["sequence"] for s in first.snapshot["sessions"]} == {0}

    with pytest.raises(Conflict, match="Nothing changed"):
        versions.publish(db.session, conf.event)

    services.move_session(db.session, conf.event, b, room_id=b.room_id, starts_at=at(9, 14))
    services.move_session(
        db.session, conf.event, c, room_id=conf.rooms[0].id, starts_at=c.starts_at
    )
    services.set_cancelled(db.session, a, True)
    d = conf.add("Data for municipal planning", at(10, 9), at(10, 10))
    assert {x["uid"]: x["changes"] for x in versions.pending_changes(db.session, conf.event)} == {
        a.uid: ["cancelled"], b.uid: ["moved"], c.uid: ["room_changed"], d.uid: ["new"],
    }  # fmt: skip
    second = versions.publish(db.session, conf.event)
    assert second.number == 2
    sequences = {s["uid"]: s["sequence"] for s in second.snapshot["sessions"]}
    assert sequences == {a.uid: 1, b.uid: 1, c.uid: 1, d.uid: 0}
    # Participants only see what is published.
    services.move_session(db.session, conf.event, d, room_id=d.room_id, starts_at=at(10, 15))
    published = latest_version(db.session, conf.event.id)
    entry = next(s for s in published.snapshot["sessions"] if s["uid"] == d.uid)
    assert entry["start"] == at(10, 9).astimezone(UTC).isoformat()


def test_published_sessions_are_cancelled_not_deleted(conf):
    row = conf.add("Workshop", at(9, 10), at(9, 11))
    versions.publish(db.session, conf.event)
    draft = conf.add("Never published", at(9, 12), at(9, 13))
    with pytest.raises(Conflict, match="cancel it instead"):
        services.delete_session(db.session, row)
    services.delete_session(db.session, draft)  # not published: may go
    assert count_sessions(conf.event) == 1


def test_changed_since_collects_marks_of_later_versions(conf, participant):
    user, _registration = participant
    row = conf.add("Workshop", at(9, 10), at(9, 11))
    versions.publish(db.session, conf.event)
    versions.mark_seen(db.session, conf.event, user, 1)
    services.move_session(
        db.session, conf.event, row, room_id=conf.rooms[1].id, starts_at=at(9, 15)
    )
    versions.publish(db.session, conf.event)
    new = conf.add("Late addition", at(11, 9), at(11, 10))
    versions.publish(db.session, conf.event)
    seen = versions.last_seen(db.session, conf.event, user)
    assert versions.changed_since(db.session, conf.event, seen) == {
        row.uid: ["moved", "room_changed"],
        new.uid: ["new"],
    }
