"""The programme: rooms, tracks, sessions, conflicts, versions, sign-ups, feeds and exports."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from eventsys.programme import cli, services, views
    from eventsys.registration.signals import registration_cancelled

    app.register_blueprint(views.bp)
    views.init_template_helpers(app)
    cli.init_app(app)
    registration_cancelled.connect(services.on_registration_cancelled)
