"""Sessions without a room or time yet: made by other areas (accepted proposals), listed in the
editor, and scheduled there, which turns them into timetable sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.errors import Conflict, NotFound
from eventsys.events.models import Event
from eventsys.programme import services
from eventsys.programme.models import ProgrammeSession, SessionKind, UnscheduledSession


@dataclass
class UnscheduledData:
    title: str
    kind: str
    description: str = ""
    language: str = "en"
    track_id: int | None = None
    speakers: list[dict[str, Any]] | None = None  # [{"name": ..., "user_id": ...}]
    source: str = ""


def create_unscheduled(session: Session, event: Event, data: UnscheduledData) -> UnscheduledSession:
    row = UnscheduledSession(
        event_id=event.id,
        kind=SessionKind(data.kind),
        title=data.title.strip()[:300],
        description=data.description.strip(),
        language=data.language,
        track_id=data.track_id,
        speakers=[
            {"name": str(s["name"])[:200], "user_id": s.get("user_id")}
            for s in data.speakers or []
            if str(s.get("name") or "").strip()
        ],
        source=data.source[:100],
    )
    session.add(row)
    session.flush()
    return row


def unscheduled_of(session: Session, event: Event) -> list[UnscheduledSession]:
    """Those still waiting for a room and time, oldest first."""
    return list(
        session.execute(
            select(UnscheduledSession)
            .where(UnscheduledSession.event_id == event.id, UnscheduledSession.session_id.is_(None))
            .order_by(UnscheduledSession.id)
        ).scalars()
    )


def unscheduled_by_id(session: Session, event: Event, row_id: int) -> UnscheduledSession:
    row = session.get(UnscheduledSession, row_id)
    if row is None or row.event_id != event.id:
        raise NotFound("There is no such unscheduled session in this programme.")
    return row


def schedule(
    session: Session,
    event: Event,
    row: UnscheduledSession,
    *,
    room_id: int | None,
    starts_at: datetime,
    ends_at: datetime,
) -> ProgrammeSession:
    """Make the timetable session, with the speakers; the same rules as any session apply."""
    if row.session_id is not None:
        raise Conflict("This session is already in the timetable.")
    placed = services.create_session(
        session,
        event,
        services.SessionData(
            title=row.title,
            kind=row.kind.value,
            starts_at=starts_at,
            ends_at=ends_at,
            room_id=room_id,
            track_id=row.track_id,
            description=row.description,
            language=row.language,
            speakers=[
                services.SpeakerData(name=s["name"], user_id=s.get("user_id"))
                for s in row.speakers or []
            ],
        ),
    )
    row.session_id = placed.id
    session.flush()
    return placed
