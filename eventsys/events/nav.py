"""The organisers' navigation for one event: every area adds its links here, not in templates.

An area calls `add_manage_link(app, "registration.table", _l("Registrations"), order=20)` in its
`init_app`; `templates/events/_manage_nav.html` renders the links the current user may open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from eventsys.events.roles import user_roles
from eventsys.extensions import db

EXTENSION_KEY = "eventsys_manage_nav"


@dataclass(frozen=True)
class ManageLink:
    endpoint: str
    label: Any  # a lazy_gettext string, translated when shown
    order: int = 50
    roles: tuple[str, ...] = ("organiser",)
    # Shown only for events where it leads somewhere (for example, Review where there is a call
    # for proposals); administrators, who see every link, met a 404 page otherwise.
    shown_for: Callable[[Any], bool] | None = None


def add_manage_link(
    app: Flask,
    endpoint: str,
    label: Any,
    *,
    order: int = 50,
    roles: tuple[str, ...] = ("organiser",),
    shown_for: Callable[[Any], bool] | None = None,
) -> None:
    links: list[ManageLink] = app.extensions.setdefault(EXTENSION_KEY, [])
    if all(link.endpoint != endpoint for link in links):
        links.append(ManageLink(endpoint, label, order, roles, shown_for))
        links.sort(key=lambda link: (link.order, link.endpoint))


def manage_links(user: Any, event: Any) -> list[ManageLink]:
    """The links this user may follow for this event, in their order."""
    links: list[ManageLink] = current_app.extensions.get(EXTENSION_KEY, [])
    if not getattr(user, "is_admin", False):
        roles = (
            user_roles(db.session, event, user)
            if getattr(user, "is_authenticated", False)
            else set()
        )
        links = [link for link in links if roles & set(link.roles)]
    # Asked only for the links this user would see: each may cost a query.
    return [link for link in links if link.shown_for is None or link.shown_for(event)]
