"""The locks that serialise check-then-write rules (as pretix's base/services/locking.py).

A rule that checks and then writes (a free place, a proxy limit, one vote per right) first takes
a lock that every competing change takes too, and holds it until its transaction ends. On
PostgreSQL that is a row lock (`SELECT ... FOR UPDATE`) or an advisory lock; SQLite ignores both,
so every helper here first takes SQLite's database write lock (eventsys.sqlite), which
serialises all writers.
"""

from __future__ import annotations

import functools
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from eventsys import sqlite

T = TypeVar("T")


def lock_row(session: Session, model: Any, row_id: int) -> None:
    """Locks one row of `model` until the transaction ends."""
    sqlite.hold_write_lock(session)
    session.execute(_lock_statement(model), {"row_id": row_id})


@functools.cache
def _lock_statement(model: Any) -> Select[Any]:
    """Built once per model: a lock is taken on every registration and vote, and a statement
    built afresh is keyed afresh for the statement cache, which costs more CPU than the lock."""
    return select(model.id).where(model.id == bindparam("row_id")).with_for_update()


def locked_row(session: Session, model: type[T], row_id: int) -> T:
    """Locks one row of `model` until the transaction ends and returns it."""
    sqlite.hold_write_lock(session)
    entity: Any = model
    return session.execute(select(model).where(entity.id == row_id).with_for_update()).scalar_one()


def advisory_lock(session: Session, namespace: int, key: int, *, shared: bool = False) -> None:
    """A PostgreSQL advisory lock on (namespace, key) until the transaction ends: shared holders
    pass together, an exclusive holder alone, and waiters queue fairly (new sharers do not
    overtake a waiting exclusive one, as they do with FOR SHARE row locks). Other databases:
    SQLite's write lock, which serialises every writer."""
    if session.get_bind().dialect.name != "postgresql":
        sqlite.hold_write_lock(session)
        return
    function = func.pg_advisory_xact_lock_shared if shared else func.pg_advisory_xact_lock
    session.execute(select(function(namespace, key)))
