"""The agenda's part of the live state: the open item and its list of speakers, and a digest
that changes whenever either does (an item opens or closes, someone asks, withdraws, is moved,
starts or stops)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.assembly.agenda.models import AgendaItem, ItemState, Speaker
from eventsys.registration.models import Registration


def agenda_state(session: Session, assembly_id: int) -> dict[str, Any]:
    """{"agenda": digest, "item": the open item or None, "speakers": its list}: two queries."""
    items = session.execute(
        select(AgendaItem.id, AgendaItem.state, AgendaItem.title, AgendaItem.speaking_seconds)
        .where(AgendaItem.assembly_id == assembly_id)
        .order_by(AgendaItem.position, AgendaItem.id)
    ).all()
    current = next((row for row in items if row.state == ItemState.OPEN.value), None)
    speakers: list[dict[str, Any]] = []
    if current is not None:
        rows = session.execute(
            select(
                Speaker.id,
                Speaker.weight,
                Speaker.begun_at,
                Speaker.ended_at,
                Registration.display_name,
            )
            .join(Registration, Registration.id == Speaker.registration_id)
            .where(Speaker.item_id == current.id)
        ).all()
        speakers = [_speaker(row) for row in sorted(rows, key=_queue_order)]
    digest_source = ";".join(f"{row.id}:{row.state}" for row in items)
    digest_source += "|" + ";".join(f"{s['id']}:{s['state']}:{s['begun_at']}" for s in speakers)
    return {
        "agenda": hashlib.sha256(digest_source.encode()).hexdigest()[:16],
        "item": (
            {
                "id": current.id,
                "title": current.title,
                "speaking_seconds": current.speaking_seconds,
            }
            if current is not None
            else None
        ),
        "speakers": speakers,
    }


def _queue_order(row: Any) -> tuple:
    """Those who spoke, in order; then whoever speaks; then the queue."""
    if row.ended_at is not None:
        return (0, row.begun_at, row.id)
    if row.begun_at is not None:
        return (1, row.begun_at, row.id)
    return (2, row.weight, row.id)


def _speaker(row: Any) -> dict[str, Any]:
    state = "spoken" if row.ended_at else "speaking" if row.begun_at else "waiting"
    return {
        "id": row.id,
        "name": row.display_name,
        "state": state,
        "begun_at": _iso(row.begun_at),
        "ended_at": _iso(row.ended_at),
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
