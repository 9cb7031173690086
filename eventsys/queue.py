"""The task queue (Huey): SQLite in the instance folder by default, Redis when configured.

Areas declare tasks with `huey.task()` / `huey.periodic_task()` from eventsys.extensions; they
run inside an application context (the caller's, or the worker's: see bind_worker_app).
`eventsys worker` runs the consumer.
"""

from __future__ import annotations

from flask import Flask
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from redis import ConnectionPool

from eventsys.extensions import db, huey


def init_queue(app: Flask) -> None:
    if app.config.get("QUEUE_BACKEND") == "memory":  # tests run queued jobs explicitly
        huey.storage_class = MemoryStorage
        huey.storage_kwargs = {}
    elif app.config["REDIS_URL"]:
        huey.storage_class = RedisStorage
        # Timeouts, so a Redis that is down fails fast (the caller keeps the mail in the outbox)
        # instead of holding a request; above huey's 1 s blocking read.
        huey.storage_kwargs = {"connection_pool": redis_pool(app.config["REDIS_URL"])}
    else:
        huey.storage_class = SqliteStorage
        huey.storage_kwargs = {"filename": app.config["QUEUE_SQLITE_PATH"]}
    # Jobs always go through a queue: run inline they would start inside the commit that
    # scheduled them, before its data can be read.
    huey._immediate = False
    huey.storage = huey.create_storage()
    app.extensions["eventsys_queue"] = huey


def redis_pool(url: str) -> ConnectionPool:
    return ConnectionPool.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def bind_worker_app(app: Flask) -> None:
    """The consumer's worker threads have no app context: each pushes one of this app at start."""

    @huey.on_startup(name="eventsys_app_context")
    def push_app_context() -> None:
        app.app_context().push()

    # The app context lives as long as the thread, and so would its session: a task that failed
    # mid-transaction (a database restart) would leave it unusable for every later task
    # (PendingRollbackError). Each task starts and ends with a fresh session instead; the pool's
    # pre-ping replaces connections the restart broke.
    @huey.pre_execute(name="eventsys_fresh_session")
    def fresh_session(task: object) -> None:
        db.session.remove()

    @huey.post_execute(name="eventsys_release_session")
    def release_session(task: object, task_value: object, exc: BaseException | None) -> None:
        db.session.remove()


def queue_reachable() -> int:
    """How many tasks wait; raises if the queue's storage cannot be reached."""
    return huey.storage.queue_size()
