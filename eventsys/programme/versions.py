"""The programme's published versions: publishing a snapshot, what changed between two, and
which version a person saw last. Participants, feeds and exports read only these snapshots.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys import locking
from eventsys.accounts.models import User
from eventsys.db import utcnow
from eventsys.errors import Conflict
from eventsys.events.models import Event
from eventsys.programme.models import (
    ProgrammeSeen,
    ProgrammeSession,
    ProgrammeVersion,
    Room,
    Track,
)
from eventsys.programme.published import latest_version
from eventsys.programme.services import load_programme

# --- versions ---------------------------------------------------------------------------------


def versions_of(session: Session, event: Event) -> list[ProgrammeVersion]:
    return list(
        session.execute(
            select(ProgrammeVersion)
            .where(ProgrammeVersion.event_id == event.id)
            .order_by(ProgrammeVersion.number.desc())
        ).scalars()
    )


def _session_entry(row: ProgrammeSession) -> dict[str, Any]:
    return {
        "id": row.id,
        "uid": row.uid,
        "kind": row.kind.value,
        "title": row.title,
        "description": row.description,
        "language": row.language,
        "room_id": row.room_id,
        "room": row.room.name if row.room else "",
        "track_id": row.track_id,
        "track": row.track.name if row.track else "",
        "colour": row.track.colour if row.track else "",
        "start": row.starts_at.astimezone(UTC).isoformat(),
        "end": row.ends_at.astimezone(UTC).isoformat(),
        "speakers": [{"name": s.name, "user_id": s.user_id} for s in row.speakers],
        "places": row.places,
        "signup": row.signup_required,
        "cancelled": row.is_cancelled,
        **_translations_entry(row),
    }


def _names(row: Room | Track) -> dict[str, Any]:
    return {"name_translations": dict(row.name_translations)} if row.name_translations else {}


def _translations_entry(row: ProgrammeSession) -> dict[str, Any]:
    """The other languages' texts, only when there are some: snapshots of untranslated
    programmes stay as they were, so publishing after an upgrade announces no change."""
    found = {
        name: dict(versions)
        for name, versions in (
            ("title", row.title_translations),
            ("description", row.description_translations),
            ("room", row.room.name_translations if row.room else None),
            ("track", row.track.name_translations if row.track else None),
        )
        if versions
    }
    return {"translations": found} if found else {}


# Fields whose change a participant's calendar must learn of.
_CONTENT = (
    "kind", "title", "description", "language", "track", "speakers", "signup", "translations",
)  # fmt: skip


def diff_sessions(
    previous: list[dict[str, Any]], current: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """What changed per session between two snapshots, in timetable order."""
    before = {s["uid"]: s for s in previous}
    changes = []
    for entry in current:
        old = before.get(entry["uid"])
        kinds = _change_kinds(old, entry)
        if kinds:
            changes.append(
                {"uid": entry["uid"], "id": entry["id"], "title": entry["title"], "changes": kinds}
            )
    return changes


def _change_kinds(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    if old is None:
        return ["cancelled"] if new["cancelled"] else ["new"]
    if new["cancelled"] and not old["cancelled"]:
        return ["cancelled"]
    kinds = []
    if old["cancelled"] and not new["cancelled"]:
        kinds.append("restored")
    if (old["start"], old["end"]) != (new["start"], new["end"]):
        kinds.append("moved")
    if old["room_id"] != new["room_id"] or old["room"] != new["room"]:
        kinds.append("room_changed")
    places_changed = new["signup"] and old.get("places") != new.get("places")
    if places_changed or any(old.get(k) != new.get(k) for k in _CONTENT):
        kinds.append("changed")
    return kinds


def publish(
    session: Session, event: Event, *, user: User | None = None, comment: str = ""
) -> ProgrammeVersion:
    """Freeze the timetable as the next version, with its changelog and calendar sequences."""
    locking.lock_row(session, Event, event.id)  # one publisher at a time
    programme = load_programme(session, event, with_signups=False)
    previous = latest_version(session, event.id)
    old_sessions = previous.snapshot["sessions"] if previous else []
    current = [_session_entry(row) for row in programme.sessions]
    # A published session deleted since stays, cancelled, so calendars remove it.
    present = {s["uid"] for s in current}
    for gone in old_sessions:
        if gone["uid"] not in present and not gone["cancelled"]:
            current.append({**gone, "cancelled": True})
    changes = diff_sessions(old_sessions, current)
    if previous is not None and not changes and comment.strip() == "":
        raise Conflict(f"Nothing changed since version {previous.number}.", field="comment")
    sequences = {s["uid"]: s.get("sequence", 0) for s in old_sessions}
    changed = {c["uid"] for c in changes}
    for entry in current:
        base = sequences.get(entry["uid"])
        entry["sequence"] = 0 if base is None else base + (1 if entry["uid"] in changed else 0)
    version = ProgrammeVersion(
        event_id=event.id,
        number=(previous.number + 1) if previous else 1,
        comment=(comment or "").strip()[:2000],
        published_by_id=user.id if user else None,
        published_at=utcnow(),
        snapshot={
            "rooms": [
                {"id": r.id, "name": r.name, "capacity": r.capacity, **_names(r)}
                for r in programme.rooms
            ],
            "tracks": [
                {"id": t.id, "name": t.name, "colour": t.colour, **_names(t)}
                for t in programme.tracks
            ],
            "sessions": current,
        },
        changes=[] if previous is None else changes,
    )
    session.add(version)
    session.flush()
    return version


def pending_changes(session: Session, event: Event) -> list[dict[str, Any]]:
    """What publishing now would announce."""
    programme = load_programme(session, event, with_signups=False)
    previous = latest_version(session, event.id)
    old = previous.snapshot["sessions"] if previous else []
    current = [_session_entry(row) for row in programme.sessions]
    present = {s["uid"] for s in current}
    current += [{**g, "cancelled": True} for g in old if g["uid"] not in present]
    return diff_sessions(old, current)


def changed_since(session: Session, event: Event, number: int | None) -> dict[str, list[str]]:
    """uid -> what changed in the versions after `number` (None: nothing was seen yet)."""
    if number is None:
        return {}
    marks: dict[str, list[str]] = defaultdict(list)
    for changes in session.execute(
        select(ProgrammeVersion.changes)
        .where(ProgrammeVersion.event_id == event.id, ProgrammeVersion.number > number)
        .order_by(ProgrammeVersion.number)
    ).scalars():
        for change in changes:
            for kind in change["changes"]:
                if kind not in marks[change["uid"]]:
                    marks[change["uid"]].append(kind)
    return dict(marks)


def last_seen(session: Session, event: Event, user: User) -> int | None:
    return session.execute(
        select(ProgrammeSeen.version_number).where(
            ProgrammeSeen.event_id == event.id, ProgrammeSeen.user_id == user.id
        )
    ).scalar_one_or_none()


def mark_seen(session: Session, event: Event, user: User, number: int) -> None:
    row = session.execute(
        select(ProgrammeSeen).where(
            ProgrammeSeen.event_id == event.id, ProgrammeSeen.user_id == user.id
        )
    ).scalar_one_or_none()
    if row is None:
        session.add(ProgrammeSeen(event_id=event.id, user_id=user.id, version_number=number))
    else:
        row.version_number = max(row.version_number, number)
    session.flush()
