"""The task queue (Huey): SQLite in the instance folder by default, Redis when configured.

Areas declare tasks with `huey.task()` / `huey.periodic_task()` from eventsys.extensions; they
run inside an application context (the caller's, or the worker's: see bind_worker_app).
`eventsys worker` runs the consumer.
"""

from __future__ import annotations

from flask import Flask
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from eventsys.extensions import db, huey


def init_queue(app: Flask) -> None:
    if app.config.get("QUEUE_BACKEND") == "memory":  # tests run queued jobs explicitly
        huey.storage_class = MemoryStorage
        huey.storage_kwargs = {}
    elif app.config["REDIS_URL"]:
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"url": app.config["REDIS_URL"]}
    else:
        huey.storage_class = SqliteStorage
        huey.storage_kwargs = {"filename": app.config["QUEUE_SQLITE_PATH"]}
    # Jobs always go through a queue: run inline they would start inside the commit that
    # scheduled them, before its data can be read.
    huey._immediate = False
    huey.storage = huey.create_storage()
    app.extensions["eventsys_queue"] = huey


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
