"""Colours as classes (see web/styles.py): a leaf, used by the stylesheet view, the templates
and the programme's timetable HTML alike."""

from __future__ import annotations

import re
from collections.abc import Iterable

HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def colour_class(value: str | None) -> str:
    """The class giving an element the colour `value`; "" for anything not a hex colour."""
    if not value or not HEX_COLOUR.fullmatch(value):
        return ""
    return "colour-" + value[1:].lower()


def colours_css(colours: Iterable[str | None]) -> str:
    rules = []
    for value in sorted({c.lower() for c in colours if c and HEX_COLOUR.fullmatch(c)}):
        rules.append(f".{colour_class(value)}{{--colour:{value};--track:{value};--c:{value}}}")
    return "\n".join(rules) + "\n"
