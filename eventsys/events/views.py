"""Public event pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user

from eventsys.db import utcnow
from eventsys.extensions import db
from eventsys.registration.services import registration_of, registration_window_state
from eventsys.web.access import has_event_role, load_event, public

bp = Blueprint("events", __name__, url_prefix="/events")


@bp.get("/<slug>/")
@public
def show(slug: str) -> str:
    event = load_event(slug)
    is_organiser = has_event_role(current_user, event, ("organiser",))
    if not event.is_published and not is_organiser:
        abort(404, _("There is no event at this address."))
    own = (
        registration_of(db.session, event, current_user) if current_user.is_authenticated else None
    )
    return render_template(
        "events/show.html",
        event=event,
        is_organiser=is_organiser,
        own_registration=own,
        window=registration_window_state(event, utcnow()),
    )
