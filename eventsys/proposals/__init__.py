"""Calls for proposals: submitters propose sessions, reviewers score them, organisers decide,
and accepted proposals join the programme unscheduled."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from eventsys.events.nav import add_manage_link
    from eventsys.privacy.registry import register_eraser, register_exporter
    from eventsys.proposals import manage_views, privacy, views  # noqa: F401 (manage_views: routes)

    app.register_blueprint(views.bp)
    app.jinja_env.globals["proposal_call_state"] = views.call_state
    add_manage_link(app, "proposals.manage", _l("Proposals"), order=60)
    add_manage_link(app, "proposals.review_list", _l("Review"), order=65, roles=("reviewer",))
    register_exporter(app, "proposals", privacy.export_proposals)
    register_eraser(app, "proposals", privacy.erase_proposals)
