"""The programme: rooms, tracks, sessions, conflicts, versions, sign-ups, feeds and exports."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from eventsys.privacy.registry import register_eraser, register_exporter
    from eventsys.programme import (
        cli,
        feed_views,  # noqa: F401  (adds its routes to views.bp)
        privacy,
        services,
        unscheduled_views,  # noqa: F401  (adds its routes to views.bp)
        views,
    )
    from eventsys.registration.signals import registration_cancelled

    app.register_blueprint(views.bp)
    views.init_template_helpers(app)
    cli.init_app(app)
    registration_cancelled.connect(services.on_registration_cancelled)
    register_exporter(app, "programme", privacy.export_programme)
    register_eraser(app, "programme", privacy.erase_programme)
