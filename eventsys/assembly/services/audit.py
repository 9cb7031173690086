"""The Assembly's audit log: a hash chain every change is appended to."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.assembly.models import Assembly, AuditEntry
from eventsys.assembly.services.locking import lock_assembly
from eventsys.db import utcnow


def _audit_digest(previous: str, seq: int, action: str, details: dict, at: str, actor) -> str:
    payload = json.dumps(
        [previous, seq, action, details, at, actor], sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def append_audit(
    session: Session,
    assembly: Assembly,
    action: str,
    details: dict[str, Any],
    actor_id: int | None = None,
) -> AuditEntry:
    """Appends to the chain. Callers hold the assembly or poll lock; we take the assembly's."""
    lock_assembly(session, assembly)
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.digest)
        .where(AuditEntry.assembly_id == assembly.id)
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    seq, previous = (last[0] + 1, last[1]) if last else (1, "")
    at = utcnow().replace(microsecond=0)
    entry = AuditEntry(
        assembly_id=assembly.id,
        seq=seq,
        at=at,
        actor_id=actor_id,
        action=action,
        details=details,
        digest=_audit_digest(previous, seq, action, details, at.isoformat(), actor_id),
    )
    session.add(entry)
    session.flush()
    return entry


def audit_entries(session: Session, assembly: Assembly) -> list[AuditEntry]:
    return list(
        session.execute(
            select(AuditEntry).where(AuditEntry.assembly_id == assembly.id).order_by(AuditEntry.seq)
        ).scalars()
    )


def verify_audit(
    session: Session, assembly: Assembly, entries: list[AuditEntry] | None = None
) -> bool:
    """True when no entry was changed, removed or inserted out of order. `entries`: the log
    already read (a page showing it need not read it twice)."""
    previous = ""
    if entries is None:
        entries = audit_entries(session, assembly)
    for expected_seq, entry in enumerate(entries, 1):
        digest = _audit_digest(
            previous,
            entry.seq,
            entry.action,
            entry.details,
            entry.at.isoformat(),
            entry.actor_id,
        )
        if entry.seq != expected_seq or digest != entry.digest:
            return False
        previous = entry.digest
    return True
