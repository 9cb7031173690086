"""Sign-ups for sessions with limited places: a place or the waiting list, moving up when a place
is freed, released when a registration is cancelled.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eventsys import locking
from eventsys.errors import Conflict, Forbidden, NotFound
from eventsys.events.models import Event
from eventsys.i18n import localized, mail_language
from eventsys.mail.services import queue_mail
from eventsys.programme import conflicts as rules
from eventsys.programme.models import (
    ProgrammeSession,
    SignUp,
    SignUpStatus,
)
from eventsys.programme.published import latest_version
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration
from eventsys.registration.notifications import recipient_locales
from eventsys.web.urls import external_url

# --- sign-ups ---------------------------------------------------------------------------------


def _published_entry(session: Session, row: ProgrammeSession) -> dict[str, Any] | None:
    latest = latest_version(session, row.event_id)
    if latest is None:
        return None
    return next((s for s in latest.snapshot["sessions"] if s["id"] == row.id), None)


def sign_up(session: Session, row: ProgrammeSession, registration: Registration) -> SignUp:
    """A place, or a place on the waiting list. Under concurrency: the person's registration row
    is locked first (no two overlapping sign-ups at once), then the session's (its places)."""
    if registration.event_id != row.event_id or registration.status != Status.CONFIRMED:
        raise Forbidden("Only confirmed participants of this event can sign up.", field="session")
    entry = _published_entry(session, row)
    if entry is None or entry["cancelled"] or row.is_cancelled:
        raise Conflict("This session is not open for sign-up.", field="session")
    if not row.signup_required:
        raise Conflict("This session needs no sign-up: just come.", field="session")
    _lock(session, Registration, registration.id)
    _lock(session, ProgrammeSession, row.id)
    mine = list(
        session.execute(
            select(ProgrammeSession)
            .join(SignUp, SignUp.session_id == ProgrammeSession.id)
            .where(SignUp.registration_id == registration.id)
        ).scalars()
    )
    if any(other.id == row.id for other in mine):
        raise Conflict("You are already signed up for this session.", field="session")
    for other in mine:
        if not other.is_cancelled and rules.overlaps(
            other.starts_at, other.ends_at, row.starts_at, row.ends_at
        ):
            raise Conflict(
                f"You are signed up for “{other.title}” at the same time. "
                "Cancel that sign-up first.",
                field="session",
                code="overlap",
            )
    taken = _confirmed_count(session, row.id)
    places = row.places
    status = SignUpStatus.CONFIRMED if places is None or taken < places else SignUpStatus.WAITLISTED
    signup = SignUp(session_id=row.id, registration_id=registration.id, status=status)
    session.add(signup)
    session.flush()
    return signup


def _lock(session: Session, model: Any, row_id: int) -> None:
    """Locks one row until the transaction ends (on SQLite: the database's write lock)."""
    locking.lock_row(session, model, row_id)


def _confirmed_count(session: Session, session_id: int) -> int:
    return session.execute(
        select(func.count()).where(
            SignUp.session_id == session_id, SignUp.status == SignUpStatus.CONFIRMED
        )
    ).scalar_one()


def cancel_signup(session: Session, row: ProgrammeSession, registration: Registration) -> None:
    _lock(session, ProgrammeSession, row.id)
    signup = session.execute(
        select(SignUp).where(SignUp.session_id == row.id, SignUp.registration_id == registration.id)
    ).scalar_one_or_none()
    if signup is None:
        raise NotFound("You are not signed up for this session.", field="session")
    session.delete(signup)
    session.flush()
    promote_signups(session, row)


def release_signups(session: Session, registration: Registration) -> int:
    """A registration that stopped (cancelled, erased) gives up every sign-up; each session it
    held a place in fills from its waiting list, with a mail to whoever moves up."""
    signups = list(
        session.execute(
            select(SignUp).where(SignUp.registration_id == registration.id).order_by(SignUp.id)
        ).scalars()
    )
    freed = {s.session_id for s in signups if s.status == SignUpStatus.CONFIRMED}
    for signup in signups:
        session.delete(signup)
    session.flush()
    for session_id in sorted(freed):
        row = session.get(ProgrammeSession, session_id)
        if row is not None:
            promote_signups(session, row)
    return len(signups)


def on_registration_cancelled(registration: Registration, *, session: Session) -> None:
    release_signups(session, registration)


def promote_signups(session: Session, row: ProgrammeSession) -> list[SignUp]:
    """Fill free places from the waiting list in the order people joined it, holding the
    session's lock so a sign-up at the same moment cannot take the same place."""
    _lock(session, ProgrammeSession, row.id)
    places = row.places
    waiting = list(
        session.execute(
            select(SignUp)
            .where(SignUp.session_id == row.id, SignUp.status == SignUpStatus.WAITLISTED)
            .order_by(SignUp.created_at, SignUp.id)
        ).scalars()
    )
    if not waiting:
        return []
    free = len(waiting) if places is None else places - _confirmed_count(session, row.id)
    promoted = waiting[: max(free, 0)]
    for signup in promoted:
        signup.status = SignUpStatus.CONFIRMED
        _notify_promoted(session, row, signup)
    session.flush()
    return promoted


def _notify_promoted(session: Session, row: ProgrammeSession, signup: SignUp) -> None:
    registration = session.get(Registration, signup.registration_id)
    if registration is None:
        return
    with mail_language(*recipient_locales(registration)):  # the session's title in theirs too
        subject = _("A place is yours: %(title)s", title=localized(row, "title"))
        text = render_template(
            "mail/programme_signup_promoted.txt",
            registration=registration,
            item=row,
            event=row.event,
            link=external_url("programme.session", slug=row.event.slug, session_id=row.id),
        )
    queue_mail(
        session,
        to=registration.email,
        subject=subject,
        text=text,
        event_id=row.event_id,
        kind="programme_signup_promoted",
    )


def signups_of(session: Session, registration: Registration | None) -> dict[int, str]:
    if registration is None:
        return {}
    return {
        session_id: str(status)
        for session_id, status in session.execute(
            select(SignUp.session_id, SignUp.status).where(
                SignUp.registration_id == registration.id
            )
        )
    }


def signup_counts(
    session: Session, event: Event, *, session_ids: list[int] | None = None
) -> dict[int, dict[str, int]]:
    """Sign-ups per session and status; `session_ids` narrows it to the sessions a page shows
    (still one query, however many there are)."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"confirmed": 0, "waitlisted": 0})
    query = (
        select(SignUp.session_id, SignUp.status, func.count())
        .join(ProgrammeSession, ProgrammeSession.id == SignUp.session_id)
        .where(ProgrammeSession.event_id == event.id)
        .group_by(SignUp.session_id, SignUp.status)
    )
    if session_ids is not None:
        query = query.where(SignUp.session_id.in_(session_ids))
    for session_id, status, n in session.execute(query):
        counts[session_id][str(status)] = n
    return dict(counts)


def waitlist_position(session: Session, row: ProgrammeSession, registration: Registration) -> int:
    mine = session.execute(
        select(SignUp).where(SignUp.session_id == row.id, SignUp.registration_id == registration.id)
    ).scalar_one_or_none()
    if mine is None or mine.status != SignUpStatus.WAITLISTED:
        return 0
    ahead = session.execute(
        select(func.count()).where(
            SignUp.session_id == row.id,
            SignUp.status == SignUpStatus.WAITLISTED,
            (SignUp.created_at < mine.created_at)
            | ((SignUp.created_at == mine.created_at) & (SignUp.id < mine.id)),
        )
    ).scalar_one()
    return ahead + 1


def participants_of(session: Session, row: ProgrammeSession) -> list[tuple[SignUp, Registration]]:
    """For organisers: who signed up, in order."""
    return list(
        session.execute(
            select(SignUp, Registration)
            .join(Registration, Registration.id == SignUp.registration_id)
            .where(SignUp.session_id == row.id)
            .order_by(SignUp.status, SignUp.created_at, SignUp.id)
        ).tuples()
    )
