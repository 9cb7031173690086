from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from eventsys.organisations import (  # noqa: F401  (tables, routes)
        contacts,
        models,
        privacy,
        views,
    )
    from eventsys.privacy.registry import register_eraser, register_exporter

    app.register_blueprint(views.bp)
    app.add_template_global(views.kept_registers)
    register_exporter(app, "member_register", privacy.export_contacts)
    register_eraser(app, "member_register", privacy.erase_contacts)
