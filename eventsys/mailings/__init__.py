"""Mailings: organisers write to a filtered group of an event's participants, through the outbox.

Sits above registration, programme and check-in (it filters by their rows) and the mail outbox
(it sends through it); nothing below imports it."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    # Wiring, run when an app is built, so importing the package stays light (tests/test_layers.py).
    from eventsys.events.nav import add_manage_link  # noqa: PLC0415
    from eventsys.mailings import (  # noqa: F401, PLC0415  (tables, queue tasks, routes)
        jobs,
        models,
        privacy,
        views,
    )
    from eventsys.privacy.registry import register_eraser, register_exporter  # noqa: PLC0415

    app.register_blueprint(views.bp)
    register_exporter(app, "mailings", privacy.export_mailings)
    # Before the registrations' eraser (order 100), which stops them naming the person.
    register_eraser(app, "mailings", privacy.erase_mailings, order=50)
    add_manage_link(app, "mailings.manage", _l("Mailings"), order=75)
