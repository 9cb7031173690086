"""Attendance at the Assembly: who is present, and the rights they carry."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from eventsys.assembly.models import Assembly, AttendanceMark, VotingRight
from eventsys.assembly.presence import HALL, MODES, REMOTE
from eventsys.assembly.services.audit import append_audit
from eventsys.assembly.services.locking import lock_assembly
from eventsys.checkin.services import checked_in_registration_ids
from eventsys.db import utcnow
from eventsys.errors import Forbidden, NotFound, ServiceError
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration


def mark_attendance(
    session: Session,
    assembly: Assembly,
    registration: Registration,
    present: bool,
    *,
    actor_id: int | None = None,
    mode: str = HALL,
) -> AttendanceMark:
    """Present or absent, in the hall or online (`mode`: hall or remote)."""
    if mode not in MODES:
        raise ServiceError(_("Attendance is in the hall or remote."), field="mode")
    if registration.event_id != assembly.event_id:
        raise NotFound(_("This person is not registered for the Assembly's event."))
    lock_assembly(session, assembly)
    mark = session.execute(
        select(AttendanceMark).where(
            AttendanceMark.assembly_id == assembly.id,
            AttendanceMark.registration_id == registration.id,
        )
    ).scalar_one_or_none()
    if mark is None:
        mark = AttendanceMark(
            assembly_id=assembly.id, registration_id=registration.id, present=present, mode=mode
        )
        session.add(mark)
    else:
        mark.present = present
        mark.mode = mode
        mark.marked_at = utcnow()
    details: dict[str, object] = {"registration_id": registration.id}
    if mode != HALL:
        details["mode"] = mode
    append_audit(session, assembly, "present" if present else "absent", details, actor_id)
    session.flush()
    return mark


def present_registration_ids(session: Session, assembly: Assembly) -> set[int]:
    """Checked in at the door, or marked present by the chair; the chair's mark wins."""
    return present_ids(session, assembly.id, assembly.event_id)


def present_ids(session: Session, assembly_id: int, event_id: int) -> set[int]:
    return set(presence_modes(session, assembly_id, event_id))


def presence_modes(session: Session, assembly_id: int, event_id: int) -> dict[int, str]:
    """Registration id -> hall or remote, for everyone present: a check-in at the door is the
    hall; a mark (the chair's, or a delegate joining online) wins over it either way."""
    present = dict.fromkeys(checked_in_registration_ids(session, event_id), HALL)
    for registration_id, is_present, mode in session.execute(
        select(AttendanceMark.registration_id, AttendanceMark.present, AttendanceMark.mode).where(
            AttendanceMark.assembly_id == assembly_id
        )
    ):
        if is_present:
            present[registration_id] = mode
        else:
            present.pop(registration_id, None)
    return present


@dataclass
class RightView:
    right: VotingRight
    holder_registration_id: int | None  # whose delegate exercises it now
    present: bool
    proxies_held: int


def rights_overview(session: Session, assembly: Assembly) -> list[RightView]:
    rights = list(
        session.execute(
            select(VotingRight)
            .where(VotingRight.assembly_id == assembly.id)
            .order_by(VotingRight.id)
            # Sorted by the member's name below, and shown with it: one query, not one per right.
            .options(joinedload(VotingRight.member))
        ).scalars()
    )
    by_id = {right.id: right for right in rights}
    present = present_registration_ids(session, assembly)
    held: dict[int, int] = {}
    for right in rights:
        if right.proxy_holder_id:
            held[right.proxy_holder_id] = held.get(right.proxy_holder_id, 0) + 1
    views = []
    for right in rights:
        carrier = by_id.get(right.proxy_holder_id) if right.proxy_holder_id else right
        registration_id = carrier.delegate_registration_id if carrier else None
        views.append(
            RightView(
                right=right,
                holder_registration_id=registration_id,
                present=registration_id is not None and registration_id in present,
                proxies_held=held.get(right.id, 0),
            )
        )
    views.sort(key=lambda view: view.right.member.name.casefold())
    return views


def delegate_registration(session: Session, assembly: Assembly, user_id: int) -> Registration:
    """The user's confirmed registration that is some member's delegate at this Assembly."""
    found = session.execute(
        select(Registration)
        .join(VotingRight, VotingRight.delegate_registration_id == Registration.id)
        .where(
            VotingRight.assembly_id == assembly.id,
            Registration.user_id == user_id,
            Registration.status == Status.CONFIRMED,
        )
        .order_by(Registration.id)
        .limit(1)
    ).scalar_one_or_none()
    if found is None:
        raise Forbidden(_("Only the Assembly's delegates can join it remotely."))
    return found


def join_remotely(session: Session, assembly: Assembly, user_id: int) -> AttendanceMark:
    """A delegate who cannot be in the hall follows online and is recorded present remotely;
    they vote like anyone present (the same rights check)."""
    registration = delegate_registration(session, assembly, user_id)
    return mark_attendance(session, assembly, registration, True, actor_id=user_id, mode=REMOTE)


def leave_remotely(session: Session, assembly: Assembly, user_id: int) -> AttendanceMark:
    registration = delegate_registration(session, assembly, user_id)
    return mark_attendance(session, assembly, registration, False, actor_id=user_id, mode=REMOTE)


def attendance_mode(session: Session, assembly: Assembly, user_id: int) -> str | None:
    """hall, remote, or None (absent) for the user's delegate registration."""
    registration_ids = set(
        session.execute(
            select(Registration.id).where(
                Registration.event_id == assembly.event_id, Registration.user_id == user_id
            )
        ).scalars()
    )
    modes = presence_modes(session, assembly.id, assembly.event_id)
    return next((modes[rid] for rid in sorted(registration_ids) if rid in modes), None)
