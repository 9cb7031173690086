"""Stars, the personal agenda (starred and signed-up sessions) and its private feed tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.db import utcnow
from eventsys.events.models import Event
from eventsys.programme.models import (
    FeedToken,
    ProgrammeSession,
    SessionSpeaker,
    Star,
)
from eventsys.programme.signups import signups_of
from eventsys.registration.models import Registration

# --- stars and the personal agenda -------------------------------------------------------------


def set_star(session: Session, row: ProgrammeSession, user: User, starred: bool) -> None:
    existing = session.execute(
        select(Star).where(Star.session_id == row.id, Star.user_id == user.id)
    ).scalar_one_or_none()
    if starred and existing is None:
        session.add(Star(session_id=row.id, user_id=user.id))
    elif not starred and existing is not None:
        session.delete(existing)
    session.flush()


def starred_ids(session: Session, event: Event, user: User | None) -> set[int]:
    if user is None:
        return set()
    return set(
        session.execute(
            select(Star.session_id)
            .join(ProgrammeSession, ProgrammeSession.id == Star.session_id)
            .where(Star.user_id == user.id, ProgrammeSession.event_id == event.id)
        ).scalars()
    )


def agenda_reasons(
    session: Session, event: Event, user: User, registration: Registration | None
) -> dict[int, list[str]]:
    """session id -> why it is on the person's agenda: signed_up, waitlisted, speaking, starred."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for session_id, status in signups_of(session, registration).items():
        reasons[session_id].append("signed_up" if status == "confirmed" else "waitlisted")
    for session_id in session.execute(
        select(SessionSpeaker.session_id)
        .join(ProgrammeSession, ProgrammeSession.id == SessionSpeaker.session_id)
        .where(SessionSpeaker.user_id == user.id, ProgrammeSession.event_id == event.id)
    ).scalars():
        reasons[session_id].append("speaking")
    for session_id in starred_ids(session, event, user):
        reasons[session_id].append("starred")
    return dict(reasons)


# --- personal feed tokens ---------------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_feed_token(session: Session, event: Event, user: User) -> str:
    """A fresh secret for the personal calendar; earlier ones stop working."""
    revoke_feed_tokens(session, event, user)
    secret = secrets.token_urlsafe(32)
    session.add(FeedToken(event_id=event.id, user_id=user.id, digest=_digest(secret)))
    session.flush()
    return secret


def revoke_feed_tokens(session: Session, event: Event, user: User) -> int:
    rows = session.execute(
        select(FeedToken).where(
            FeedToken.event_id == event.id,
            FeedToken.user_id == user.id,
            FeedToken.revoked_at.is_(None),
        )
    ).scalars()
    count = 0
    for row in rows:
        row.revoked_at = utcnow()
        count += 1
    session.flush()
    return count


def has_feed_token(session: Session, event: Event, user: User) -> bool:
    return (
        session.execute(
            select(FeedToken.id).where(
                FeedToken.event_id == event.id,
                FeedToken.user_id == user.id,
                FeedToken.revoked_at.is_(None),
            )
        ).first()
        is not None
    )


def feed_owner(session: Session, secret: str) -> tuple[Event, User] | None:
    if not secret or len(secret) > 100:
        return None
    row = session.execute(
        select(FeedToken).where(FeedToken.digest == _digest(secret), FeedToken.revoked_at.is_(None))
    ).scalar_one_or_none()
    if row is None:
        return None
    user = session.get(User, row.user_id)
    event = session.get(Event, row.event_id)
    if user is None or not user.is_active or event is None:
        return None
    return event, user
