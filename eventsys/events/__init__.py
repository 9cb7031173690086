from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    # Wiring, run when an app is built, so importing the package stays light (tests/test_layers.py).
    from eventsys.events import views  # noqa: PLC0415
    from eventsys.events.nav import add_manage_link, manage_links  # noqa: PLC0415

    app.register_blueprint(views.bp)
    app.register_blueprint(views.admin_bp)
    app.jinja_env.globals["manage_links"] = manage_links
    app.jinja_env.globals["my_events"] = views.my_events
    add_manage_link(app, "events.manage", _l("Overview"), order=0)
    add_manage_link(app, "events.edit", _l("Details"), order=10)
    add_manage_link(app, "events.categories", _l("Categories"), order=30)
    add_manage_link(app, "events.questions", _l("Questions"), order=40)
    add_manage_link(app, "events.roles", _l("Team"), order=90)
