"""Home page, language choice, health check and error pages."""

from __future__ import annotations

import contextlib
import sqlite3

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from eventsys import sqlite
from eventsys.extensions import db
from eventsys.i18n import normalise_locale
from eventsys.queue import queue_reachable
from eventsys.web.access import is_api_request, public
from eventsys.web.urls import same_site_path

bp = Blueprint("web", __name__)


@bp.get("/")
@public
def home() -> str:
    from eventsys.events.services import listed_events

    upcoming, recent = listed_events(db.session)
    return render_template("web/home.html", upcoming=upcoming, recent=recent)


@bp.post("/language")
@public
def choose_language():
    # Only paths on this site, so the form cannot be used to send people elsewhere.
    target = same_site_path(request.form.get("next"), "/")
    locale = normalise_locale(request.form.get("locale"))
    if locale is None:
        # An unknown choice keeps the current language; the page says so instead of failing.
        flash(_("This language is not offered yet; the page stays as it was."), "error")
        return redirect(target)
    session["locale"] = locale
    if current_user.is_authenticated and current_user.locale != locale:
        current_user.locale = locale  # mails follow the choice too
        db.session.commit()
    return redirect(target)


@bp.get("/favicon.ico")
@public
def favicon():
    # Browsers and feed readers ask for it at the root whatever the page links to.
    return current_app.send_static_file("favicon.ico")


@bp.get("/healthz")
@public
def health():
    """Liveness: the process answers. Nothing else is touched, so a database outage does not
    make an orchestrator kill web workers that will serve again once it is back."""
    return jsonify(status="ok")


@bp.get("/readyz")
@public
def ready():
    """Readiness: the database and the queue answer. Short reasons only (no addresses, no
    stack traces); the details go to the log."""
    reasons = [name for name, check in READINESS_CHECKS.items() if not check()]
    if reasons:
        return jsonify(status="unavailable", reasons=reasons), 503
    return jsonify(status="ok")


def _database_answers() -> bool:
    try:
        db.session.execute(db.text("SELECT 1"))
        return True
    except Exception as exc:  # noqa: BLE001 (any driver's error means "not ready")
        current_app.logger.warning("Readiness: database unreachable: %s", exc)
        return False
    finally:
        with contextlib.suppress(Exception):
            db.session.rollback()


def _queue_answers() -> bool:
    try:
        queue_reachable()
        return True
    except Exception as exc:  # noqa: BLE001 (Redis or SQLite: either means "not ready")
        current_app.logger.warning("Readiness: queue unreachable: %s", exc)
        return False


READINESS_CHECKS = {"database": _database_answers, "queue": _queue_answers}


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
        from eventsys.api.core import error_response

        return error_response(
            error.code or 500, error.name.lower().replace(" ", "_"), error.description
        )
    title, message = error_page_text(error)
    return (
        render_template("web/error.html", code=error.code, name=title, message=message),
        error.code,
    )


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
        from eventsys.api.core import error_response

        return error_response(500, "server_error", str(ERROR_MESSAGES[500]))
    return render_template(
        "web/error.html", code=500, name=str(ERROR_TITLES[500]), message=str(ERROR_MESSAGES[500])
    ), 500
