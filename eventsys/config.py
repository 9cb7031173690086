"""Defaults; every key can be overridden by an EVENTSYS_<KEY> environment variable."""

from __future__ import annotations

import os
from typing import Any


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "SECRET_KEY": None,  # required outside development; see ensure_secret_key()
        "DATABASE_URL": f"sqlite:///{os.path.join(instance_path, 'eventsys.db')}",
        # SQLite: seconds a write waits for another to finish before answering 503 (busy).
        "DATABASE_BUSY_TIMEOUT": 30,
        "REDIS_URL": None,
        "QUEUE_BACKEND": None,  # None: Redis when REDIS_URL is set, else SQLite; "memory" for tests
        "QUEUE_SQLITE_PATH": os.path.join(instance_path, "queue.db"),
        "BASE_URL": "http://127.0.0.1:5000",
        "MAIL_FROM": "eventsys <no-reply@eventsys.example>",
        "SMTP_HOST": None,
        "SMTP_PORT": 25,
        "SMTP_USERNAME": None,
        "SMTP_PASSWORD": None,
        "SMTP_STARTTLS": False,
        "SMTP_SSL": False,
        "SMTP_TIMEOUT": 10,
        "MAIL_MAX_ATTEMPTS": 5,
        # How long a worker owns a mail it is sending; longer than an SMTP conversation can take.
        "MAIL_LEASE_SECONDS": 300,
        "MAIL_RETRY_SECONDS": 60,  # first retry delay, doubled per attempt (at most an hour)
        "LOGIN_RATE_LIMIT": "10 per minute",
        # Guests (no account) registering, per client address; see registration/guests.py.
        "GUEST_REGISTRATION_RATE_LIMIT": "10 per hour",
        "GUEST_HOLD_MINUTES": 30,
        "UPLOAD_MAX_BYTES": 10 * 1024 * 1024,
        "DEFAULT_LOCALE": "en",
        "LANGUAGES": ["en", "pt", "ru"],
        "BADGE_OUTPUT_DIR": os.path.join(instance_path, "badges"),
        "UPLOAD_DIR": os.path.join(instance_path, "uploads"),
        "CACHE_DIR": os.path.join(instance_path, "cache"),
    }


def apply(app: Any, overrides: dict[str, Any] | None) -> None:
    """Defaults, then EVENTSYS_* variables, then explicit overrides (tests)."""
    for key, value in defaults(app.instance_path).items():
        app.config.setdefault(key, value)
    app.config.from_prefixed_env("EVENTSYS")
    if overrides:
        app.config.update(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["DATABASE_URL"])
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], float(app.config["DATABASE_BUSY_TIMEOUT"])
    )
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["UPLOAD_MAX_BYTES"]) + 1024 * 1024
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["DEFAULT_LOCALE"]
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # Redis down: limits are counted in each process's memory meanwhile (still enforced, per
    # process), and any other limiter error lets the request through rather than answer 500.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    if app.config["REDIS_URL"]:
        app.config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 2, "socket_timeout": 2}
        )


def normalise_database_url(url: str) -> str:
    # Heroku-style and plain postgresql:// URLs should use the psycopg 3 driver we ship.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def engine_options(url: str, busy_timeout: float) -> dict[str, Any]:
    if url.startswith("sqlite"):
        # sqlite.py loads SQLAlchemy, and this module runs on every import of eventsys.*.
        from eventsys import sqlite  # noqa: PLC0415

        return sqlite.engine_options(url, busy_timeout)
    return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}
