"""Check-in at the door. Attendance read by other areas (the Assembly's quorum) comes from here.

One active check-in per registration is a database guarantee (a partial unique index), as is one
row per device nonce: two devices scanning one badge at once admit once, and a scan resent after a
dropped connection gets the first answer again instead of "already checked in".
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eventsys import sqlite
from eventsys.badges.services import registration_for_code
from eventsys.checkin.models import CheckIn
from eventsys.db import utcnow
from eventsys.errors import Conflict, NotFound, ServiceError
from eventsys.events.models import Event
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration

NONCE_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
MAX_CODE = 200


class Outcome(enum.StrEnum):
    CHECKED_IN = "checked_in"
    ALREADY = "already_checked_in"
    CANCELLED = "cancelled"
    NOT_CONFIRMED = "not_confirmed"
    UNKNOWN = "unknown_code"
    WRONG_EVENT = "wrong_event"
    EMPTY = "empty"
    UNDONE = "undone"  # a resent copy of a scan whose check-in staff undid since


@dataclass
class ScanResult:
    outcome: Outcome
    registration: Registration | None = None
    checkin: CheckIn | None = None
    other_event: Event | None = None
    replayed: bool = False  # the same device nonce was answered before: nothing new happened

    @property
    def admitted(self) -> bool:
        return self.outcome == Outcome.CHECKED_IN


@dataclass
class CategoryCount:
    code: str
    label: str
    colour: str
    confirmed: int = 0
    checked_in: int = 0


@dataclass
class Counts:
    categories: list[CategoryCount] = field(default_factory=list)

    @property
    def confirmed(self) -> int:
        return sum(c.confirmed for c in self.categories)

    @property
    def checked_in(self) -> int:
        return sum(c.checked_in for c in self.categories)


def checked_in_registration_ids(session: Session, event_id: int) -> set[int]:
    """Registrations of the event admitted at the door and not undone."""
    return set(
        session.execute(
            select(CheckIn.registration_id).where(
                CheckIn.event_id == event_id, CheckIn.reverted_at.is_(None)
            )
        ).scalars()
    )


def clean_nonce(nonce: str | None) -> str:
    value = (nonce or "").strip()
    if not NONCE_PATTERN.match(value):
        raise ServiceError(
            "Each scan needs a device nonce of 8 to 64 letters, digits, '-', '_', '.' or ':'.",
            field="nonce",
        )
    return value


def active_checkin(session: Session, registration_id: int) -> CheckIn | None:
    return session.execute(
        select(CheckIn).where(
            CheckIn.registration_id == registration_id, CheckIn.reverted_at.is_(None)
        )
    ).scalar_one_or_none()


def _by_nonce(session: Session, nonce: str) -> CheckIn | None:
    return session.execute(select(CheckIn).where(CheckIn.nonce == nonce)).scalar_one_or_none()


def scan(
    session: Session, event: Event, code: str | None, *, nonce: str, staff_id: int | None
) -> ScanResult:
    """Admit the holder of a badge code, or say clearly why not; changes nothing otherwise."""
    nonce = clean_nonce(nonce)
    text = (code or "").strip()
    if not text:
        return ScanResult(Outcome.EMPTY)
    if len(text) > MAX_CODE:
        return ScanResult(Outcome.UNKNOWN)
    replay = _replay(session, event, nonce)
    if replay is not None:
        return replay
    registration = registration_for_code(session, text)
    if registration is None:
        return ScanResult(Outcome.UNKNOWN)
    return _admit(session, event, registration, nonce=nonce, staff_id=staff_id, method="scan")


def check_in_by_hand(
    session: Session, event: Event, registration_id: int, *, nonce: str, staff_id: int | None
) -> ScanResult:
    """Staff found the person by name and admit them."""
    nonce = clean_nonce(nonce)
    replay = _replay(session, event, nonce)
    if replay is not None:
        return replay
    registration = session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        raise NotFound("There is no such registration at this event.", field="registration_id")
    return _admit(session, event, registration, nonce=nonce, staff_id=staff_id, method="manual")


def _replay(session: Session, event: Event, nonce: str) -> ScanResult | None:
    previous = _by_nonce(session, nonce)
    if previous is None:
        return None
    if previous.event_id != event.id:
        raise Conflict("This scan's device nonce was already used; send a new one.", field="nonce")
    if previous.reverted_at is not None:
        # Staff undid this check-in after the scan: the undo is the later decision, so a copy
        # of the old scan (a device's offline queue resending it) must not reverse it, nor say
        # the person is in. Scanning the badge again (a new nonce) admits them.
        return ScanResult(Outcome.UNDONE, previous.registration, previous, replayed=True)
    return ScanResult(Outcome.CHECKED_IN, previous.registration, previous, replayed=True)


def _admit(
    session: Session,
    event: Event,
    registration: Registration,
    *,
    nonce: str,
    staff_id: int | None,
    method: str,
) -> ScanResult:
    if registration.event_id != event.id:
        return ScanResult(Outcome.WRONG_EVENT, other_event=registration.event)
    if registration.status in (Status.CANCELLED, Status.REJECTED):
        return ScanResult(Outcome.CANCELLED, registration)
    if registration.status != Status.CONFIRMED:
        return ScanResult(Outcome.NOT_CONFIRMED, registration)
    # One check-in per badge: on SQLite the write lock makes the look and the insert one step
    # (PostgreSQL has the unique index below catch the second of two simultaneous scans).
    sqlite.hold_write_lock(session)
    existing = active_checkin(session, registration.id)
    if existing is not None:
        # The same scan may have landed a moment ago through another connection.
        replayed = existing.nonce == nonce
        outcome = Outcome.CHECKED_IN if replayed else Outcome.ALREADY
        return ScanResult(outcome, registration, existing, replayed=replayed)
    checkin = CheckIn(
        event_id=event.id,
        registration_id=registration.id,
        nonce=nonce,
        staff_user_id=staff_id,
        method=method,
        checked_in_at=utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(checkin)
            session.flush()
    except IntegrityError:
        # Another device admitted this person (or this very scan arrived twice) a moment ago;
        # its transaction has committed, so the row is visible now.
        replay = _replay(session, event, nonce)
        if replay is not None:
            return replay
        return ScanResult(Outcome.ALREADY, registration, active_checkin(session, registration.id))
    return ScanResult(Outcome.CHECKED_IN, registration, checkin)


def undo(session: Session, event: Event, checkin_id: int, *, staff_id: int | None) -> CheckIn:
    """Take back a mistaken check-in; the row stays, marked reverted, for the record."""
    checkin = session.get(CheckIn, checkin_id)
    if checkin is None or checkin.event_id != event.id:
        raise NotFound("There is no such check-in at this event.")
    if checkin.reverted_at is not None:
        raise Conflict("This check-in was already undone.", code="already_undone")
    checkin.reverted_at = utcnow()
    checkin.reverted_by_id = staff_id
    session.flush()
    return checkin


def _fold(text: str) -> str:
    """Case- and accent-blind form for searching names typed at a busy desk."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search(
    session: Session, event: Event, query: str, limit: int = 20
) -> list[tuple[Registration, CheckIn | None]]:
    """Confirmed people whose name, Latin spelling or organisation contains the query."""
    needle = _fold(" ".join((query or "").split()))
    if len(needle) < 2:
        return []
    rows = session.execute(
        select(
            Registration.id,
            Registration.display_name,
            Registration.latin_name,
            Registration.organisation_name,
        ).where(Registration.event_id == event.id, Registration.status == Status.CONFIRMED)
    ).all()
    ids = [
        row.id for row in rows if any(needle in _fold(v or "") for v in (row[1], row[2], row[3]))
    ][:limit]
    if not ids:
        return []
    registrations = session.execute(
        select(Registration).where(Registration.id.in_(ids)).order_by(Registration.display_name)
    ).scalars()
    active = {
        c.registration_id: c
        for c in session.execute(
            select(CheckIn).where(CheckIn.registration_id.in_(ids), CheckIn.reverted_at.is_(None))
        ).scalars()
    }
    return [(r, active.get(r.id)) for r in registrations]


def counts(session: Session, event: Event) -> Counts:
    """Checked in / confirmed, per category, in the category order of the event."""
    confirmed = dict(
        session.execute(
            select(Registration.category_id, func.count())
            .where(Registration.event_id == event.id, Registration.status == Status.CONFIRMED)
            .group_by(Registration.category_id)
        )
        .tuples()
        .all()
    )
    admitted = dict(
        session.execute(
            select(Registration.category_id, func.count())
            .join(CheckIn, CheckIn.registration_id == Registration.id)
            .where(
                CheckIn.event_id == event.id,
                CheckIn.reverted_at.is_(None),
                # Of the people expected: a check-in of a registration cancelled since is
                # history, not someone the door still counts as in.
                Registration.status == Status.CONFIRMED,
            )
            .group_by(Registration.category_id)
        )
        .tuples()
        .all()
    )
    return Counts(
        [
            CategoryCount(c.code, c.label, c.colour, confirmed.get(c.id, 0), admitted.get(c.id, 0))
            for c in event.categories
        ]
    )


def recent(session: Session, event: Event, limit: int = 10) -> list[CheckIn]:
    return list(
        session.execute(
            select(CheckIn)
            .where(CheckIn.event_id == event.id)
            # By time, not id: scans from a device's offline queue arrive late.
            .order_by(CheckIn.checked_in_at.desc(), CheckIn.id.desc())
            .limit(limit)
        ).scalars()
    )
