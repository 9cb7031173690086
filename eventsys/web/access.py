"""Access rules. Every view carries one (a test walks the URL map to prove it).

- public: anyone;  login: a logged-in account;  admin: administrators;
- event:<roles>: administrators and people holding one of the roles at the event named by
  the URL's `slug` (sets g.event; see events/access.py);  token: an opaque secret in the URL;
  api: a bearer token.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required as _login_required

from eventsys.extensions import login_manager

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


def is_api_request() -> bool:
    return request.path.startswith("/api/")
