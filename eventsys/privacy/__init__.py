"""Personal data: the registry every area reports to, the own-data download, account deletion,
and the consent-filtered participant list."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # Wiring, run when an app is built, so importing the package stays light (tests/test_layers.py).
    from eventsys.privacy import foundation, views  # noqa: PLC0415

    app.register_blueprint(views.bp)
    app.jinja_env.globals["participant_list_shown"] = views.participant_list_shown
    foundation.register(app)
