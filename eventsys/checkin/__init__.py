from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from eventsys.checkin import models, views  # noqa: F401  (tables)

    app.register_blueprint(views.bp)
