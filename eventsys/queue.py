"""The task queue (Huey): SQLite in the instance folder by default, Redis when configured.

Tasks run inside an application context; `eventsys worker` runs the consumer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from eventsys.extensions import huey


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


def task(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """huey.task() with a stable name; the body runs in the caller's or the worker's app context."""

    def decorate(fn: Callable[..., Any]) -> Any:
        return huey.task(**options)(fn)  # huey names it module.function

    return decorate


def periodic_task(validate: Callable[..., bool], **options: Any) -> Callable[..., Any]:
    def decorate(fn: Callable[..., Any]) -> Any:
        return huey.periodic_task(validate, **options)(fn)

    return decorate
