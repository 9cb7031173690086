"""Where every area says what it holds about a person and how to erase it.

An area calls, in its init_app(app):

    register_exporter(app, "signatures", export_signatures)  # fn(session, user) -> JSON-able
    register_eraser(app, "signatures", erase_signatures)     # fn(session, user) -> rows changed

Erasers run before the account itself is anonymised (they still see the user's e-mail and
name) and must leave no personal value behind: names, e-mail addresses, Latin names,
organisation names typed by the person, free-text answers. What a record must keep (a named
vote in an Assembly's minutes) stays tied to the organisation or the anonymised account, not to
the person's name. The assembly area registers its own pair; secret votes hold nothing personal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from sqlalchemy.orm import Session

Exporter = Callable[[Session, Any], Any]
Eraser = Callable[[Session, Any], int | None]
KEY = "eventsys_privacy"


def _registry(app: Flask) -> dict[str, dict]:
    """Kept on the app, so each app (and each test app) has its own."""
    return app.extensions.setdefault(KEY, {"exporters": {}, "erasers": {}})


def register_exporter(app: Flask, name: str, fn: Exporter) -> None:
    _registry(app)["exporters"][name] = fn


def register_eraser(app: Flask, name: str, fn: Eraser, *, order: int = 100) -> None:
    """Lower `order` runs first; the account itself is erased last (order 1000)."""
    _registry(app)["erasers"][name] = (order, fn)


def unregister(app: Flask, name: str) -> None:
    _registry(app)["exporters"].pop(name, None)
    _registry(app)["erasers"].pop(name, None)


def exporters() -> dict[str, Exporter]:
    return dict(sorted(_registry(current_app)["exporters"].items()))


def erasers() -> list[tuple[str, Eraser]]:
    items = _registry(current_app)["erasers"].items()
    return [(name, fn) for name, (_, fn) in sorted(items, key=lambda i: (i[1][0], i[0]))]
