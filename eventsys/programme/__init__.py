"""The programme: rooms, tracks, sessions, conflicts, versions, sign-ups, feeds and exports."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # Wiring, run when an app is built, so importing the package stays light (tests/test_layers.py).
    from eventsys.privacy.registry import register_eraser, register_exporter  # noqa: PLC0415
    from eventsys.programme import (  # noqa: PLC0415
        cli,
        editor_views,  # noqa: F401  (adds its routes to views.bp)
        feed_views,  # noqa: F401  (adds its routes to views.bp)
        privacy,
        signups,
        unscheduled_views,  # noqa: F401  (adds its routes to views.bp)
        views,
    )
    from eventsys.registration.signals import registration_cancelled  # noqa: PLC0415

    app.register_blueprint(views.bp)
    views.init_template_helpers(app)
    cli.init_app(app)
    registration_cancelled.connect(signups.on_registration_cancelled)
    register_exporter(app, "programme", privacy.export_programme)
    register_eraser(app, "programme", privacy.erase_programme)
