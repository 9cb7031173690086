"""Access rules. Every view carries one (a test walks the URL map to prove it).

- public: anyone;  login: a logged-in account;  admin: administrators;
- event:<roles>: administrators and people holding one of the roles at the event named by
  the URL's `slug` (sets g.event);  token: an opaque secret in the URL;  api: a bearer token.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import abort, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required as _login_required
from sqlalchemy import select

from eventsys.extensions import db, login_manager

View = Callable[..., Any]


def mark(rule: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return decorate


def rule_of(view: Any) -> str | None:
    return getattr(view, "access_rule", None) or getattr(
        getattr(view, "view_class", None), "access_rule", None
    )


def public(view: View) -> View:
    return mark("public")(view)


def token(view: View) -> View:
    return mark("token")(view)


def login_required(view: View) -> View:
    return mark("login")(_login_required(view))


def admin_required(view: View) -> View:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_admin:
            abort(403, _("Only administrators may open this page."))
        return view(*args, **kwargs)

    return mark("admin")(wrapper)


def load_event(slug: str) -> Any:
    from eventsys.events.models import Event

    event = db.session.execute(select(Event).where(Event.slug == slug)).scalar_one_or_none()
    if event is None:
        abort(404, _("There is no event at this address."))
    g.event = event
    return event


def has_event_role(user: Any, event: Any, roles: tuple[str, ...]) -> bool:
    from eventsys.events.services import user_roles

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


def is_api_request() -> bool:
    return request.path.startswith("/api/")
