from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from eventsys.registration import jobs, manage, views  # noqa: F401 (jobs: queue tasks)
    from eventsys.registration.guests import hold_minutes

    app.register_blueprint(views.bp)
    app.register_blueprint(manage.bp)
    app.jinja_env.globals["guest_hold_minutes"] = hold_minutes
