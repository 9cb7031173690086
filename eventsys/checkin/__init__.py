from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # Wiring, run when an app is built, so importing the package stays light (tests/test_layers.py).
    from eventsys.checkin import models, views  # noqa: F401, PLC0415  (tables)

    app.register_blueprint(views.bp)
