from __future__ import annotations

import sqlite3

from flask import Flask
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    from eventsys.accounts.models import User  # noqa: F401  (login loader needs the model)
    from eventsys.web import filters, labels, security, styles, timing, views

    app.register_blueprint(views.bp)
    app.register_blueprint(styles.bp)
    security.init_app(app)
    app.jinja_env.globals["colour_class"] = styles.colour_class
    filters.init_app(app)
    app.add_template_filter(labels.label, "label")
    app.jinja_env.globals["majority_label"] = labels.majority_label
    app.jinja_env.globals["base_label"] = labels.base_label
    app.jinja_env.globals["document_label"] = labels.document_label
    app.jinja_env.globals["change_label"] = labels.change_label
    timing.init_app(app)
    app.jinja_env.globals["get_locale"] = get_locale
    app.register_error_handler(HTTPException, views.handle_http_error)
    # SQLAlchemy's, and the driver's own when the write lock is taken at the driver (sqlite.py).
    app.register_error_handler(OperationalError, views.handle_database_error)
    app.register_error_handler(sqlite3.OperationalError, views.handle_database_error)
    if not app.testing and not app.debug:
        app.register_error_handler(Exception, views.handle_unexpected)

    @app.context_processor
    def layout_context() -> dict:
        return {"current_user": current_user, "languages": app.config["LANGUAGES"]}
