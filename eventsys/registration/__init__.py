from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from eventsys.registration import jobs, manage, views  # noqa: F401 (jobs: queue tasks)

    app.register_blueprint(views.bp)
    app.register_blueprint(manage.bp)
