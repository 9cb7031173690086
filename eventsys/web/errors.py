"""One error envelope for pages and the API: an error page for people, {"error": {...}} for
API clients. A leaf of the web layer, so the API's core and the web views both use it without
importing each other."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import current_app, jsonify, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from eventsys import sqlite
from eventsys.errors import ServiceError
from eventsys.extensions import db
from eventsys.web.access import is_api_request


def error_response(
    status: int, code: str, message: str | None, field_errors: dict[str, Any] | None = None
):
    body = {"error": {"code": code, "message": message, "fields": field_errors or {}}}
    return jsonify(body), status


# Titles and default explanations for the error pages; a view's own abort() message wins.
ERROR_TITLES = {
    400: _l("Bad request"),
    401: _l("Please log in"),
    403: _l("Not allowed"),
    404: _l("Page not found"),
    405: _l("Not possible here"),
    413: _l("Too large"),
    429: _l("Too many attempts"),
    500: _l("Server error"),
    503: _l("Busy"),
}
ERROR_MESSAGES = {
    400: _l("The request could not be understood. Please go back and try again."),
    401: _l("Please log in to open this page."),
    403: _l("You may not open this page."),
    404: _l("There is nothing at this address. Check the link, or start from the events."),
    405: _l("This page cannot be used in this way."),
    413: _l("What you sent is too large."),
    429: _l("Too many attempts in a short time. Please wait a minute and try again."),
    500: _l("Something went wrong on our side; it was logged."),
    503: _l("Too many changes at the same moment; nothing was saved. Please try again."),
}


def error_page_text(error: HTTPException) -> tuple[str, str]:
    """The page's title and message in the reader's language."""
    code = error.code or 500
    title = str(ERROR_TITLES.get(code, error.name))
    own_message = error.description and error.description != type(error).description
    message = error.description if own_message else str(ERROR_MESSAGES.get(code, ""))
    return title, message or error.description or ""


def handle_http_error(error: HTTPException):
    if is_api_request():
        # flask-smorest's abort(code, message=...) carries its text in `data`, not `description`.
        data = getattr(error, "data", None)
        message = data.get("message") if isinstance(data, dict) else None
        return error_response(
            error.code or 500, error.name.lower().replace(" ", "_"), message or error.description
        )
    title, message = error_page_text(error)
    return (
        render_template("web/error.html", code=error.code, name=title, message=message),
        error.code,
    )


def service_error_response(exc: ServiceError):
    """A service's refusal as the API's error envelope, nothing saved."""
    db.session.rollback()
    return error_response(exc.status, exc.code, exc.message, _error_fields(exc))


def handle_service_error(exc: ServiceError):
    """A refusal no view showed on its form: nothing saved, and on a page the error page with the
    service's status and message (a NotFound is a 404 page, a Forbidden a 403), so views need
    no code of their own for them."""
    if is_api_request():
        return service_error_response(exc)
    db.session.rollback()
    # A conflict or an invalid value is titled as a bad request; the message says what it was.
    title = str(ERROR_TITLES.get(exc.status, ERROR_TITLES[400]))
    page = render_template("web/error.html", code=exc.status, name=title, message=exc.message)
    return page, exc.status


def _error_fields(exc: ServiceError) -> dict[str, list[str]] | None:
    """Every field at fault (a FieldErrors names several), each with its message."""
    several = getattr(exc, "field_errors", None)
    if several:
        return {name: [message] for name, message in several.items()}
    return {exc.field: [exc.message]} if exc.field else None


def handle_database_error(error: OperationalError | sqlite3.OperationalError):
    """SQLite's write lock not obtained within the busy timeout is contention, not a fault:
    503, try again; nothing was saved."""
    if not sqlite.is_busy(error):
        if current_app.testing or current_app.debug:
            raise error
        return handle_unexpected(error)
    current_app.logger.warning("Database busy: %s", error)
    db.session.rollback()
    busy = ServiceUnavailable(retry_after=1)
    response = handle_http_error(busy)
    response = current_app.make_response(response)
    response.headers["Retry-After"] = "1"
    return response


def handle_unexpected(error: Exception):
    current_app.logger.exception("Unhandled error")
    db.session.rollback()
    if is_api_request():
        return error_response(500, "server_error", str(ERROR_MESSAGES[500]))
    return render_template(
        "web/error.html", code=500, name=str(ERROR_TITLES[500]), message=str(ERROR_MESSAGES[500])
    ), 500
