"""Declarations opened for signature at events: public pages, signatures, counts, exports."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # Wiring, run when an app is built, so importing the package stays light (tests/test_layers.py).
    from eventsys.declarations import jobs, privacy, views  # noqa: F401, PLC0415 (jobs: queue tasks)
    from eventsys.privacy.registry import register_eraser, register_exporter  # noqa: PLC0415

    app.register_blueprint(views.bp)
    app.jinja_env.globals["event_declarations"] = views.event_declarations
    register_exporter(app, "signatures", privacy.export_signatures)
    register_eraser(app, "signatures", privacy.erase_signatures)
