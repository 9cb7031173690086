"""Personal data: the registry every area reports to, the own-data download, account deletion,
and the consent-filtered participant list."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from eventsys.privacy import foundation, views

    app.register_blueprint(views.bp)
    app.jinja_env.globals["participant_list_shown"] = views.participant_list_shown
    foundation.register(app)
