from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from eventsys.organisations import contacts, models, views  # noqa: F401  (tables, routes)

    app.register_blueprint(views.bp)
