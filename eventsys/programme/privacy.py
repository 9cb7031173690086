"""The programme's part of a person's data: sessions they speak in, stars, personal feeds.

Registered with the privacy area in programme.init_app (see eventsys/privacy/registry.py).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.db import rowcount
from eventsys.programme.models import (
    FeedToken,
    ProgrammeSeen,
    ProgrammeSession,
    ProgrammeVersion,
    SessionSpeaker,
    Star,
)


def export_programme(session: Session, user: User) -> dict[str, Any]:
    speaking = session.execute(
        select(ProgrammeSession.title, ProgrammeSession.starts_at, SessionSpeaker.name)
        .join(SessionSpeaker, SessionSpeaker.session_id == ProgrammeSession.id)
        .where(SessionSpeaker.user_id == user.id)
        .order_by(ProgrammeSession.starts_at)
    ).all()
    starred = session.execute(
        select(ProgrammeSession.title, Star.created_at)
        .join(Star, Star.session_id == ProgrammeSession.id)
        .where(Star.user_id == user.id)
        .order_by(Star.created_at)
    ).all()
    tokens = session.execute(
        select(FeedToken.created_at, FeedToken.revoked_at).where(FeedToken.user_id == user.id)
    ).all()
    return {
        "speaking": [{"session": t, "starts_at": at, "as": name} for t, at, name in speaking],
        "starred": [{"session": t, "at": at} for t, at in starred],
        "feed_tokens": [{"created_at": c, "revoked_at": r} for c, r in tokens],
    }


def _without_speaker(snapshot: dict[str, Any], user_id: int) -> dict[str, Any] | None:
    """A copy of a published snapshot with the person's speaker entries gone, or None if
    they appear in none of its sessions."""
    changed = False
    sessions = []
    for entry in snapshot.get("sessions", []):
        speakers = entry.get("speakers") or []
        kept = [s for s in speakers if s.get("user_id") != user_id]
        if len(kept) != len(speakers):
            changed = True
            entry = {**entry, "speakers": kept}
        sessions.append(entry)
    return {**snapshot, "sessions": sessions} if changed else None


def erase_programme(session: Session, user: User) -> int:
    """The person stops being named as a speaker, in the draft and in every published version
    (which feeds, frab XML/JSON and the pages are served from); stars, feed tokens and the
    'seen' marks go. The sessions stay, with their other speakers."""
    changed = (
        rowcount(session.execute(delete(SessionSpeaker).where(SessionSpeaker.user_id == user.id)))
        or 0
    )
    for version in session.execute(select(ProgrammeVersion)).scalars():
        snapshot = _without_speaker(version.snapshot or {}, user.id)
        if snapshot is not None:
            version.snapshot = snapshot  # a new value, so the JSON column is written
            version.revision = uuid.uuid4().hex  # the cached copies of the old one are stale
            changed += 1
    for model in (Star, FeedToken, ProgrammeSeen):
        changed += rowcount(session.execute(delete(model).where(model.user_id == user.id))) or 0
    session.flush()
    session.expire_all()  # sessions already loaded must not keep the deleted speakers
    return changed
