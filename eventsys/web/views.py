"""Home page, language choice and health checks (the error pages: web/errors.py)."""

from __future__ import annotations

import contextlib

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
from flask_login import current_user

from eventsys.events.services import listed_events
from eventsys.extensions import db
from eventsys.i18n import normalise_locale
from eventsys.queue import queue_reachable
from eventsys.web.access import public
from eventsys.web.urls import same_site_path

bp = Blueprint("web", __name__)


@bp.get("/")
@public
def home() -> str:
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
