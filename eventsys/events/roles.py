"""Who may do what at an event: granting, listing and removing event roles."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.accounts.services import find_user_by_email
from eventsys.errors import Conflict, NotFound, ServiceError
from eventsys.events.enums import RoleName
from eventsys.events.models import Event, EventRole


def user_roles(session: Session, event: Event, user: User) -> set[str]:
    rows = session.execute(
        select(EventRole.role).where(EventRole.event_id == event.id, EventRole.user_id == user.id)
    ).scalars()
    return {str(role) for role in rows}


def grant_role(session: Session, event: Event, user: User, role: RoleName | str) -> EventRole:
    role = RoleName(role)
    existing = session.execute(
        select(EventRole).where(
            EventRole.event_id == event.id, EventRole.user_id == user.id, EventRole.role == role
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    grant = EventRole(event=event, user_id=user.id, role=role)
    session.add(grant)
    session.flush()
    return grant


def revoke_role(session: Session, event: Event, user: User, role: RoleName | str) -> None:
    grant = session.execute(
        select(EventRole).where(
            EventRole.event_id == event.id,
            EventRole.user_id == user.id,
            EventRole.role == RoleName(role),
        )
    ).scalar_one_or_none()
    if grant is not None:
        session.delete(grant)
        session.flush()


def event_roles(session: Session, event: Event) -> list[EventRole]:
    return list(
        session.execute(
            select(EventRole)
            .join(User, User.id == EventRole.user_id)
            .where(EventRole.event_id == event.id)
            .order_by(EventRole.role, User.display_name)
        ).scalars()
    )


def grant_role_by_email(session: Session, event: Event, email: str, role: str) -> EventRole:
    try:
        role_name = RoleName(role)
    except ValueError as exc:
        raise ServiceError(_("Please choose a role."), field="role") from exc
    user = find_user_by_email(session, email)
    if user is None or not user.is_active:
        raise NotFound(
            _(
                "No account uses %(email)s. Ask the person to sign up first, then add them.",
                email=(email or "").strip()[:254],
            ),
            field="email",
        )
    return grant_role(session, event, user, role_name)


def remove_role(session: Session, event: Event, role_id: int, *, by_admin: bool) -> EventRole:
    grant = session.get(EventRole, role_id)
    if grant is None or grant.event_id != event.id:
        raise NotFound(_("This person has no such role at this event."))
    organisers = [r for r in event.roles if r.role == RoleName.ORGANISER]
    if grant.role == RoleName.ORGANISER and len(organisers) == 1 and not by_admin:
        raise Conflict(_("This is the event's last organiser. Add another organiser first."))
    session.delete(grant)
    session.flush()
    return grant
