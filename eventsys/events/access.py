"""An event's pages and who may open them: the event named by the URL, and its roles.

Lives with events, not in web/, so web/ needs nothing of a domain area; the marks these
decorators leave are read by web/access.py's `rule_of` like every other access rule.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import abort, g
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from eventsys.events.models import Event
from eventsys.events.roles import user_roles
from eventsys.extensions import db, login_manager
from eventsys.web.access import View, mark


def load_event(slug: str) -> Event:
    event = db.session.execute(select(Event).where(Event.slug == slug)).scalar_one_or_none()
    if event is None:
        abort(404, _("There is no event at this address."))
    g.event = event
    return event


def has_event_role(user: Any, event: Any, roles: tuple[str, ...]) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_admin or user_roles(db.session, event, user) & set(roles))


def event_role_required(*roles: str) -> Callable[[View], View]:
    """Organiser or check-in pages of one event; the view receives `event` instead of `slug`."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(*args: Any, slug: str, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            event = load_event(slug)
            if not has_event_role(current_user, event, roles):
                abort(403, _("You do not have a role at this event that opens this page."))
            return view(*args, event=event, **kwargs)

        return mark("event:" + ",".join(roles))(wrapper)

    return decorate
