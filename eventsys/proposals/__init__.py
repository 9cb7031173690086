"""Calls for proposals: submitters propose sessions, reviewers score them, organisers decide,
and accepted proposals join the programme unscheduled."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    # Wiring, run when an app is built, so importing the package stays light (tests/test_layers.py).
    from eventsys.events.nav import add_manage_link  # noqa: PLC0415
    from eventsys.privacy.registry import register_eraser, register_exporter  # noqa: PLC0415
    from eventsys.proposals import (  # noqa: F401, PLC0415  (manage_views: routes)
        manage_views,
        privacy,
        views,
    )

    app.register_blueprint(views.bp)
    app.jinja_env.globals["proposal_call_state"] = views.call_state
    add_manage_link(app, "proposals.manage", _l("Proposals"), order=60)
    add_manage_link(
        app,
        "proposals.review_list",
        _l("Review"),
        order=65,
        roles=("reviewer",),
        shown_for=views.has_call,
    )
    register_exporter(app, "proposals", privacy.export_proposals)
    register_eraser(app, "proposals", privacy.erase_proposals)
