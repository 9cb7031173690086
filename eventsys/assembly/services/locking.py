"""The Assembly's locks: one row lock serialising an Assembly's changes, one gate per poll.

Both are built on the generic helpers of eventsys.locking (which take SQLite's write lock too).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from eventsys import locking
from eventsys.assembly.models import Assembly

POLL_LOCK_CLASS = 0x45564F54  # the advisory-lock namespace of polls ("EVOT")


def lock_assembly(session: Session, assembly: Assembly) -> None:
    """Serialises changes to proxies, attendance and the audit chain of one Assembly."""
    locking.lock_row(session, Assembly, assembly.id)


def poll_gate(session: Session, poll_id: int, *, exclusive: bool) -> None:
    """Votes pass the gate together (shared); closing and annulling pass it alone. Held until
    the transaction ends. SQLite serialises all writers: its write lock is the gate."""
    locking.advisory_lock(session, POLL_LOCK_CLASS, poll_id, shared=not exclusive)
