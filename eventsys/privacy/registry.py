"""Where every area says what it holds about a person and how to erase it.

An area calls, in its init_app:

    register_exporter("signatures", export_signatures)   # fn(session, user) -> JSON-able value
    register_eraser("signatures", erase_signatures)      # fn(session, user) -> rows changed

Erasers run before the account itself is anonymised (they still see the user's e-mail and
name) and must leave no personal value behind: names, e-mail addresses, Latin names,
organisation names typed by the person, free-text answers. What a record must keep (a named
vote in an Assembly's minutes) stays tied to the organisation or the anonymised account, not to
the person's name. The assembly area registers its own pair; secret votes hold nothing personal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

Exporter = Callable[[Session, Any], Any]
Eraser = Callable[[Session, Any], int | None]

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, tuple[int, Eraser]] = {}


def register_exporter(name: str, fn: Exporter) -> None:
    """Registering the same name again replaces the function (apps built twice in tests)."""
    _exporters[name] = fn


def register_eraser(name: str, fn: Eraser, *, order: int = 100) -> None:
    """Lower `order` runs first; the account itself is erased last (order 1000)."""
    _erasers[name] = (order, fn)


def exporters() -> dict[str, Exporter]:
    return dict(sorted(_exporters.items()))


def erasers() -> list[tuple[str, Eraser]]:
    return [(name, fn) for name, (_, fn) in sorted(_erasers.items(), key=lambda i: (i[1][0], i[0]))]
