"""eventsys: conference and event management for networks of municipalities, regions and NGOs."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from eventsys import config, paths, validation

PROJECT_ROOT = paths.CHECKOUT


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(paths.TEMPLATES),
        static_folder=str(paths.STATIC),
        instance_path=os.environ.get("EVENTSYS_INSTANCE_PATH") or str(paths.DEFAULT_INSTANCE),
        instance_relative_config=True,
    )
    os.makedirs(app.instance_path, exist_ok=True)
    # Before any route is added: path parameters stop at the database's range (404 beyond).
    app.url_map.converters.update(validation.CONVERTERS)
    app.before_request(validation.refuse_bad_query_text)
    config.apply(app, overrides)
    ensure_secret_key(app)
    init_extensions(app)
    register_areas(app)
    register_commands(app)
    configure_models()
    return app


def configure_models() -> None:
    """Every model is imported by now: configure the mappers while the app is built, not in the
    middle of a worker's first request (where it cost each new gunicorn worker about 100 ms)."""
    from sqlalchemy.orm import configure_mappers  # noqa: PLC0415  (as init_extensions)

    configure_mappers()


def ensure_secret_key(app: Flask) -> None:
    """Production sets EVENTSYS_SECRET_KEY; a new user gets a key kept in the instance folder,
    so every process of one installation (web workers, queue workers) signs alike."""
    if app.config.get("SECRET_KEY"):
        return

    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def init_extensions(app: Flask) -> None:
    # Loaded when an app is built: this module runs on every import of eventsys.*.
    from eventsys import queue, sqlite  # noqa: PLC0415
    from eventsys.extensions import babel, csrf, db, limiter, login_manager, migrate  # noqa: PLC0415
    from eventsys.i18n import select_locale, select_timezone  # noqa: PLC0415

    db.init_app(app)
    with app.app_context():  # SQLite: transactions that serialise like PostgreSQL's locks
        for engine in db.engines.values():
            sqlite.configure(engine)
    migrate.init_app(app, db, directory=str(paths.MIGRATIONS), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    queue.init_queue(app)


def register_commands(app: Flask) -> None:
    # Loaded when an app is built: this module runs on every import of eventsys.*.
    from eventsys import backup  # noqa: PLC0415
    from eventsys.demo import demo_command  # noqa: PLC0415

    app.cli.add_command(demo_command)
    backup.init_cli()


def register_areas(app: Flask) -> None:
    """Every domain area plugs in here, and only here: blueprints, API, CLI, template helpers."""
    # Loaded when an app is built: this module runs on every import of eventsys.*.
    from eventsys import (  # noqa: PLC0415
        accounts,
        api,
        assembly,
        badges,
        checkin,
        declarations,
        events,
        i18n,
        mail,
        mailings,
        organisations,
        privacy,
        programme,
        proposals,
        registration,
        web,
    )

    areas = (
        web,
        api,
        i18n,
        accounts,
        organisations,
        events,
        registration,
        programme,
        assembly,
        badges,
        checkin,
        mail,
        privacy,
        declarations,
        mailings,
        proposals,
    )
    for area in areas:
        area.init_app(app)
