"""Printable badges: layouts, signed check-in codes, PDF rendering, bulk print jobs."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from eventsys.badges import jobs, models, views  # noqa: F401  (tables, queue tasks)
    from eventsys.badges.cli import badges_cli
    from eventsys.web.urls import external_url

    app.register_blueprint(views.bp)
    app.cli.add_command(badges_cli)
    # Mails (rendered in queue jobs too) link to badges with absolute URLs.
    app.jinja_env.globals.setdefault("external_url", external_url)
