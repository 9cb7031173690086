"""SQLite, the embedded default, serialising check-then-write rules as PostgreSQL's locks do.

On PostgreSQL a rule that checks and then writes (a free place, a proxy limit, one vote per
right) locks a row first (`SELECT ... FOR UPDATE`, advisory locks). SQLite ignores FOR UPDATE,
and pysqlite starts no transaction before the first write, so the check ran on data that another
request was changing. SQLite has one lock that serialises: the database's write lock. Following
SQLAlchemy's documented recipe for pysqlite, the driver's own transaction handling is turned off
and SQLAlchemy emits BEGIN itself:

- a request that may write (POST, PUT, PATCH, DELETE) begins `BEGIN IMMEDIATE`: it takes the
  write lock before its first read, so its checks and its writes see one state that nobody else
  changes meanwhile;
- anything else (read-only requests, commands, queue tasks) begins deferred; in WAL mode it reads
  while a writer writes. Before its first write, or when it reaches a lock helper
  (`hold_write_lock`), it takes the write lock: if it has written nothing yet, its transaction is
  restarted as `BEGIN IMMEDIATE`, so what it reads from then on is current and stays so until it
  commits; that is what PostgreSQL's READ COMMITTED and FOR UPDATE give. (A deferred
  transaction that read and then simply wrote would be refused, "database is locked", whenever
  another writer had committed since its first read.)
- a writer waits for the lock (busy timeout) instead of failing at once.
"""

from __future__ import annotations

import re
from typing import Any

from flask import has_request_context, request
from sqlalchemy import Table, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

BUSY_TIMEOUT_SECONDS = 30
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_LOCK_KEY = "eventsys_sqlite_write_lock"  # in a connection's info while in a transaction
WRITE_STATEMENT = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.I)


def engine_options() -> dict[str, Any]:
    # check_same_thread: the pool hands a connection to whichever thread serves the next request.
    return {"connect_args": {"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False}}


def configure(engine: Engine) -> None:
    """Applies the recipe to an engine of the app (does nothing for other databases)."""
    if engine.dialect.name != "sqlite":
        return
    in_memory = engine.url.database in (None, "", ":memory:")
    engine.dispose()  # connections made before the listeners would keep pysqlite's behaviour
    event.listen(engine, "connect", _on_connect(in_memory))
    event.listen(engine, "begin", _on_begin)
    event.listen(engine, "commit", _on_end)
    event.listen(engine, "rollback", _on_end)
    event.listen(engine, "before_cursor_execute", _before_execute)


def _on_connect(in_memory: bool):
    def connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy, not pysqlite, begins transactions
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")  # readers and one writer at the same time
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.close()

    return connect


def _on_begin(connection: Connection) -> None:
    immediate = may_write()
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
    connection.info[WRITE_LOCK_KEY] = immediate


def _on_end(connection: Connection) -> None:
    connection.info.pop(WRITE_LOCK_KEY, None)


def _before_execute(connection: Connection, _cursor, statement: str, _p, context, _many) -> None:
    deferred = WRITE_LOCK_KEY in connection.info and not connection.info[WRITE_LOCK_KEY]
    if deferred and _is_write(statement, context):
        _take_write_lock(connection, None)


def _is_write(statement: str, context: Any) -> bool:
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        return True
    return bool(WRITE_STATEMENT.match(statement))


def may_write() -> bool:
    """A request that may change something: form posts and API writes."""
    return has_request_context() and request.method not in READ_ONLY_METHODS


def hold_write_lock(session: Session, table: Table) -> None:
    """Called by every lock helper: on SQLite, makes sure this transaction holds the database's
    write lock, so what it reads from now on stays true until it commits."""
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.info.get(WRITE_LOCK_KEY):
        _take_write_lock(connection, table)


def _take_write_lock(connection: Connection, table: Table | None) -> None:
    connection.info[WRITE_LOCK_KEY] = True
    if not connection.in_nested_transaction():
        # Nothing written yet: what was read needs no keeping. Restart at the driver, under
        # SQLAlchemy's transaction, which commits or rolls back the new one as usual.
        driver = connection.connection.driver_connection
        driver.execute("COMMIT")
        driver.execute("BEGIN IMMEDIATE")
    elif table is not None:
        # Inside a savepoint the transaction cannot restart; a write that changes nothing takes
        # the lock (refused as "database is locked" if another writer committed since its first
        # read: see eventsys.web, which answers 503).
        connection.exec_driver_sql(f'UPDATE "{table.name}" SET rowid = rowid WHERE 0')


def is_busy(error: BaseException) -> bool:
    """A write lock not obtained in time (or a stale read wanting to write): worth a retry."""
    return "database is locked" in str(error) or "database is busy" in str(error)
