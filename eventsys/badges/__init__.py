"""Printable badges: layouts, signed check-in codes, PDF rendering, bulk print jobs."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # Wiring, run when an app is built, so importing the package stays light (tests/test_layers.py).
    from eventsys.badges import jobs, models, views  # noqa: F401, PLC0415  (tables, queue tasks)
    from eventsys.badges.cli import badges_cli  # noqa: PLC0415
    from eventsys.web.urls import external_url  # noqa: PLC0415

    app.register_blueprint(views.bp)
    app.cli.add_command(badges_cli)
    # Mails (rendered in queue jobs too) link to badges with absolute URLs.
    app.jinja_env.globals.setdefault("external_url", external_url)
