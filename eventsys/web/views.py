"""Home page, language choice, health check and error pages."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
)
from werkzeug.exceptions import HTTPException

from eventsys.extensions import db
from eventsys.web.access import is_api_request, public

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
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        abort(400, f"“{locale[:20]}” is not a language this site offers.")
    session["locale"] = locale
    target = request.form.get("next") or "/"
    # Only local paths, so the form cannot be used to send people elsewhere.
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    return redirect(target)


@bp.get("/healthz")
@public
def health():
    db.session.execute(db.text("SELECT 1"))
    return jsonify(status="ok")


def handle_http_error(error: HTTPException):
    if is_api_request():
        from eventsys.api.core import error_response

        return error_response(
            error.code or 500, error.name.lower().replace(" ", "_"), error.description
        )
    return (
        render_template(
            "web/error.html", code=error.code, name=error.name, message=error.description
        ),
        error.code,
    )


def handle_unexpected(error: Exception):
    current_app.logger.exception("Unhandled error")
    db.session.rollback()
    if is_api_request():
        from eventsys.api.core import error_response

        return error_response(
            500, "server_error", "Something went wrong on our side; it was logged."
        )
    return render_template(
        "web/error.html",
        code=500,
        name="Server error",
        message="Something went wrong on our side; it was logged.",
    ), 500
