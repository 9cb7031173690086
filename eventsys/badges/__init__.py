"""Printable badges: layouts, signed check-in codes, PDF rendering, bulk print jobs."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from eventsys.badges import jobs, models, views  # noqa: F401  (tables, queue tasks)
    from eventsys.badges.cli import badges_cli

    app.register_blueprint(views.bp)
    app.cli.add_command(badges_cli)
