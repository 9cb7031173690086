from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # Wiring, run when an app is built, so importing the package stays light (tests/test_layers.py).
    from eventsys.organisations import (  # noqa: F401, PLC0415  (tables, routes)
        contacts,
        models,
        privacy,
        views,
    )
    from eventsys.privacy.registry import register_eraser, register_exporter  # noqa: PLC0415

    app.register_blueprint(views.bp)
    app.add_template_global(views.kept_registers)
    register_exporter(app, "member_register", privacy.export_contacts)
    register_eraser(app, "member_register", privacy.erase_contacts)
