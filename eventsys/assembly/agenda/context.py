"""What the pages show of the agenda: the delegate's phone, the projector, the chair's desk."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from eventsys.assembly.agenda import services as agenda
from eventsys.assembly.agenda.models import AgendaItem
from eventsys.assembly.models import Assembly
from eventsys.assembly.services.attendance import attendance_mode
from eventsys.assembly.services.rights import is_delegate
from eventsys.db import utcnow


def item_view(item: AgendaItem | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {
        "item": item,
        "waiting": agenda.waiting(item),
        "speaking": agenda.speaking(item),
        "spoken": agenda.spoken(item),
    }


def delegate_context(session: Session, assembly: Assembly, user_id: int) -> dict[str, Any]:
    """The open item, the user's place in its queue, and whether they attend remotely."""
    current = agenda.current_item(session, assembly.id)
    registration = agenda.registration_of_user(session, assembly, user_id)
    place = None
    if current is not None and registration is not None:
        queue = agenda.waiting(current)
        place = next(
            (i for i, s in enumerate(queue, start=1) if s.registration_id == registration.id),
            None,
        )
    return {
        "agenda_current": item_view(current),
        "agenda_place": place,
        "agenda_registered": registration is not None,
        "attendance_mode": attendance_mode(session, assembly, user_id),
        "may_join_remotely": is_delegate(session, assembly, user_id),
    }


def projector_context(session: Session, assembly: Assembly) -> dict[str, Any]:
    return {
        "agenda_items": agenda.agenda_items(session, assembly),
        "agenda_current": item_view(agenda.current_item(session, assembly.id)),
        "server_now": utcnow().isoformat(),
    }
