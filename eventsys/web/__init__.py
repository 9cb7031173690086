from __future__ import annotations

import sqlite3

from flask import Flask
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    # Wiring, run when an app is built, so importing the package stays light (tests/test_layers.py).
    from eventsys.accounts.models import User  # noqa: F401, PLC0415  (login loader needs the model)
    from eventsys.errors import ServiceError  # noqa: PLC0415
    from eventsys.web import colours, errors, filters, labels, security, styles, timing, views  # noqa: PLC0415

    app.register_blueprint(views.bp)
    app.register_blueprint(styles.bp)
    security.init_app(app)
    app.jinja_env.globals["colour_class"] = colours.colour_class
    filters.init_app(app)
    app.add_template_filter(labels.label, "label")
    app.jinja_env.globals["majority_label"] = labels.majority_label
    app.jinja_env.globals["base_label"] = labels.base_label
    app.jinja_env.globals["document_label"] = labels.document_label
    app.jinja_env.globals["change_label"] = labels.change_label
    timing.init_app(app)
    app.jinja_env.globals["get_locale"] = get_locale
    app.register_error_handler(HTTPException, errors.handle_http_error)
    app.register_error_handler(ServiceError, errors.handle_service_error)
    # SQLAlchemy's, and the driver's own when the write lock is taken at the driver (sqlite.py).
    app.register_error_handler(OperationalError, errors.handle_database_error)
    app.register_error_handler(sqlite3.OperationalError, errors.handle_database_error)
    if not app.testing and not app.debug:
        app.register_error_handler(Exception, errors.handle_unexpected)

    @app.context_processor
    def layout_context() -> dict:
        return {"current_user": current_user, "languages": app.config["LANGUAGES"]}
