"""Options of select and radio fields in the shape WTForms wants.

WTForms 3.3 deprecates (value, label) tuples as choices (gone in 3.4) and cannot read other
sequences at all: SQLAlchemy rows passed as choices rendered nothing and crashed the page. Every
form builds its choices through `options`, so each option is a `SelectChoice`. A leaf module:
it imports nothing from eventsys, so every area's forms may use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from wtforms import SelectChoice


def options(*groups: Iterable[Sequence[Any] | SelectChoice]) -> list[SelectChoice]:
    """(value, label) or (value, label, render_kw) items, tuples or database rows, as options.

    Several iterables are joined in order: `options([("", "—")], rows)`."""
    return [
        item if isinstance(item, SelectChoice) else SelectChoice(*item)
        for group in groups
        for item in group
    ]
