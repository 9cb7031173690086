"""The editor's rooms and tracks pages: adding, changing and removing, each refusal shown where
the organiser looks (on the adding form, or flashed above the list)."""

from __future__ import annotations

import html

from sqlalchemy import select

from eventsys.extensions import db
from eventsys.programme.models import Room, Track
from tests.programme.conftest import at


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_rooms_are_added_changed_and_removed_with_refusals_shown(client, login, conf):
    conf.add("Opening", at(9, 10), at(9, 11), room=0)
    db.session.commit()  # the views roll back their own refused work, not the setup
    login(conf.organiser)
    base = f"/events/{conf.event.slug}/programme/manage/rooms"
    added = client.post(base, data={"new-name": "Room 9", "new-capacity": "12"})
    assert added.status_code == 302 and added.headers["Location"].endswith(base)
    room = db.session.execute(select(Room).where(Room.name == "Room 9")).scalar_one()
    assert room.capacity == 12
    taken = _text(client.post(base, data={"new-name": "Room 9"}))
    assert "There is already a room called “Room 9”." in taken
    invalid = client.post(f"{base}/{room.id}", data={f"room{room.id}-capacity": "x"})
    assert "Check the room's name, places and hours." in _text(client.get(base))
    assert invalid.status_code == 302
    clash = {f"room{room.id}-name": conf.rooms[0].name}
    assert "There is already a room called" in _text(
        client.post(f"{base}/{room.id}", data=clash, follow_redirects=True)
    )
    renamed = client.post(
        f"{base}/{room.id}", data={f"room{room.id}-name": "Room 10"}, follow_redirects=True
    )
    assert "Saved." in _text(renamed)
    db.session.refresh(room)
    assert room.name == "Room 10"
    used = client.post(f"{base}/{conf.rooms[0].id}/delete", follow_redirects=True)
    assert "Move it to another room first." in _text(used)
    removed = client.post(f"{base}/{room.id}/delete", follow_redirects=True)
    assert "Room removed." in _text(removed)
    assert db.session.get(Room, room.id) is None


def test_tracks_are_added_changed_and_removed(client, login, conf):
    db.session.commit()
    login(conf.organiser)
    base = f"/events/{conf.event.slug}/programme/manage/tracks"
    added = client.post(base, data={"new-name": "Open data", "new-colour": "#123456"})
    assert added.status_code == 302
    assert "Track added." in _text(client.get(base))
    track = db.session.execute(select(Track).where(Track.name == "Open data")).scalar_one()
    bad = {f"track{track.id}-name": "Open data", f"track{track.id}-colour": "blue"}
    refused = _text(client.post(f"{base}/{track.id}", data=bad, follow_redirects=True))
    assert "Give the colour as #rrggbb" in refused
    good = {f"track{track.id}-name": "Open data", f"track{track.id}-colour": "#654321"}
    assert "Saved." in _text(client.post(f"{base}/{track.id}", data=good, follow_redirects=True))
    db.session.refresh(track)
    assert track.colour == "#654321"
    gone = client.post(f"{base}/{track.id}/delete", follow_redirects=True)
    assert "Track removed; its sessions stay in the timetable." in _text(gone)
