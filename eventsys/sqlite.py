"""SQLite, the embedded default, serialising check-then-write rules as PostgreSQL's locks do.

On PostgreSQL a rule that checks and then writes (a free place, a proxy limit, one vote per
right) locks a row first (`SELECT ... FOR UPDATE`, advisory locks). SQLite ignores FOR UPDATE,
and pysqlite begins its transaction only at the first write, after the rule's reads, so the check
ran on data that another request was changing. SQLite has one lock that serialises: the
database's write lock. Following SQLAlchemy's documented recipe for pysqlite, the driver's own
transaction handling is turned off and transactions are begun here:

- a request that may write (POST, PUT, PATCH, DELETE) begins `BEGIN IMMEDIATE` with its first
  statement: it takes the write lock before its first read, so its checks and its writes see one
  state that nobody else changes meanwhile;
- anything else (read-only requests, commands, queue tasks) reads outside a transaction, each
  statement seeing what is committed (as PostgreSQL's READ COMMITTED does), and begins
  `BEGIN IMMEDIATE` before its first write, its first savepoint, or when it reaches a lock helper
  (`hold_write_lock`, SQLite's FOR UPDATE): from then on what it reads stays true until it
  commits. (A deferred transaction would keep a snapshot from its first read; writing after
  another writer committed it would be refused: "database is locked".)
- every transaction is thus a write transaction holding the lock; WAL mode lets readers read
  meanwhile, and a writer waits for the lock (busy timeout) instead of failing at once.
"""

from __future__ import annotations

import random
import re
import sqlite3
import time
from typing import Any

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_STATEMENT = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.I)


def engine_options(url: str, busy_timeout: float) -> dict[str, Any]:
    """`timeout` is SQLite's busy timeout: how long a writer waits for the write lock.
    check_same_thread: the pool hands a connection to whichever thread serves the next request.
    A file database gets a pool as large as a threaded server's requests in flight (a request
    holds its connection until it ends; connections to a file cost next to nothing)."""
    options: dict[str, Any] = {
        "connect_args": {"timeout": busy_timeout, "check_same_thread": False}
    }
    if ":memory:" not in url and url.rstrip("/") != "sqlite:":
        options.update(pool_size=20, max_overflow=80)
    return options


def configure(engine: Engine) -> None:
    """Applies the recipe to an engine of the app (does nothing for other databases)."""
    if engine.dialect.name != "sqlite":
        return
    in_memory = engine.url.database in (None, "", ":memory:")
    engine.dispose()  # connections made before the listeners would keep pysqlite's behaviour
    event.listen(engine, "connect", _on_connect(in_memory))
    event.listen(engine, "begin", _on_begin)
    event.listen(engine, "savepoint", _on_savepoint)
    event.listen(engine, "before_cursor_execute", _before_execute)


BUSY_TIMEOUT_MS = "eventsys_busy_timeout_ms"


def _on_connect(in_memory: bool):
    def connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # pysqlite begins nothing by itself
        # The busy timeout the engine was made with (connect_args), for _take_write_lock.
        cursor = dbapi_connection.execute("PRAGMA busy_timeout")
        record.info[BUSY_TIMEOUT_MS] = int(cursor.fetchone()[0])
        cursor.close()
        if not in_memory:  # WAL: readers and one writer at the same time
            dbapi_connection.execute("PRAGMA journal_mode=WAL").close()

    return connect


def _on_begin(connection: Connection) -> None:
    if may_write():
        _begin_immediate(connection)


def _on_savepoint(connection: Connection, _name: str | None) -> None:
    _begin_immediate(connection)  # SAVEPOINT outside a transaction would begin a deferred one


def _before_execute(connection: Connection, _cursor, statement: str, _p, context, _many) -> None:
    if _is_write(statement, context):
        _begin_immediate(connection)


def _is_write(statement: str, context: Any) -> bool:
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        return True
    return bool(WRITE_STATEMENT.match(statement))


def _begin_immediate(connection: Connection) -> None:
    """Takes the write lock (waiting up to the busy timeout) unless this connection holds it:
    every transaction begun here is IMMEDIATE, so being in one means holding it."""
    driver = connection.connection.driver_connection
    assert driver is not None, "a connection checked out of the pool is open"
    if not driver.in_transaction:
        timeout_ms = connection.connection.info.get(BUSY_TIMEOUT_MS)
        if timeout_ms is None:  # a connection made before configure(): ask it
            timeout_ms = int(driver.execute("PRAGMA busy_timeout").fetchone()[0])
        _take_write_lock(driver, timeout_ms)


def _take_write_lock(driver: sqlite3.Connection, timeout_ms: int) -> None:
    """BEGIN IMMEDIATE, with every waiter asking again every few milliseconds until the busy
    timeout. SQLite's own busy handler backs off to 100 ms between tries, so under a burst of
    writers a request that had waited long lost the lock to each newcomer, again and again, and
    some failed after the whole timeout (seen: a quarter of the runs of the votes racing the
    close, tests/assembly/test_concurrency.py). The driver's timeout is lowered only while
    asking: reads and commits keep theirs."""
    deadline = time.monotonic() + timeout_ms / 1000
    driver.execute("PRAGMA busy_timeout = 1")
    try:
        while True:
            try:
                driver.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not is_busy(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(random.uniform(0.0005, 0.004))  # jittered: no waiter is always last
    finally:
        driver.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")


def may_write() -> bool:
    """A request that may change something: form posts and API writes."""
    return has_request_context() and request.method not in READ_ONLY_METHODS


def hold_write_lock(session: Session) -> None:
    """Called by every lock helper: on SQLite, this transaction takes the database's write lock
    now, so what it reads from now on stays true until it commits."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        _begin_immediate(connection)


def is_busy(error: BaseException) -> bool:
    """The write lock not obtained within the busy timeout: contention, worth a retry."""
    return "database is locked" in str(error) or "database is busy" in str(error)
