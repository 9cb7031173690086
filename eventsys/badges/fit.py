"""Font size for a name so it fits its box: measured with the bundled fonts' advance widths.

No database and no WeasyPrint here: the size is computed once per badge in Python (fast, and the
HTML then never overflows), from the same OpenType fonts the PDF embeds.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from eventsys import paths

FONT_DIR = paths.STATIC / "fonts"
# Bold faces: names are printed bold. Order = fallback order of the CSS font-family.
NAME_FONTS = ("NotoSans-Bold.ttf", "NotoSansArabic-Bold.ttf", "NotoSansDevanagari-Bold.ttf")
PT_PER_MM = 72 / 25.4
LINE_HEIGHT = 1.15
# Shaping (kerning, conjuncts, joined Arabic) rarely widens text; keep a little room anyway.
SAFETY = 0.94


@dataclass(frozen=True)
class NameBox:
    width_mm: float
    height_mm: float
    max_pt: float
    min_pt: float


@lru_cache(maxsize=1)
def _metrics() -> list[tuple[dict[int, str], dict[str, tuple[int, int]], int]]:
    from fontTools.ttLib import TTFont

    fonts = []
    for name in NAME_FONTS:
        font = TTFont(FONT_DIR / name, lazy=True)
        fonts.append((font.getBestCmap(), dict(font["hmtx"].metrics), font["head"].unitsPerEm))
    return fonts


@lru_cache(maxsize=4096)
def char_em(char: str) -> float:
    """Advance of one character in em, from the first bundled font that has it."""
    for cmap, hmtx, upm in _metrics():
        glyph = cmap.get(ord(char))
        if glyph is not None:
            return hmtx[glyph][0] / upm
    return 0.0 if unicodedata.combining(char) else 0.6


def text_em(text: str) -> float:
    return sum(char_em(c) for c in text)


def _lines_needed(words: list[float], space: float, line_em: float) -> int | None:
    """Greedy word wrap; None when a single word is wider than the line."""
    lines, current = 1, 0.0
    for width in words:
        if width > line_em:
            return None
        needed = width if current == 0 else current + space + width
        if needed <= line_em:
            current = needed
        else:
            lines, current = lines + 1, width
    return lines


def name_font_size(text: str, box: NameBox, step: float = 0.5) -> float:
    """The largest size (pt) at which the name fits the box, never above box.max_pt.

    One line is preferred while it stays large (a name is read from afar); then the name wraps
    at spaces. Below box.min_pt a name would be hard to read, but it still must fit, so the search
    goes on down to half of min_pt (a 200-character name on an 85 mm card)."""
    words = [text_em(w) for w in text.split()] or [0.0]
    space = char_em(" ")
    one_line = sum(words) + space * (len(words) - 1)
    size = min(box.max_pt, box.width_mm * PT_PER_MM * SAFETY / one_line) if one_line else box.max_pt
    if (
        size >= max(box.min_pt, box.max_pt * 0.75)
        and size * LINE_HEIGHT <= box.height_mm * PT_PER_MM
    ):
        return round(size * 2) / 2 if round(size * 2) / 2 <= size else size
    size = box.max_pt
    floor = box.min_pt / 2
    while size > floor:
        line_em = box.width_mm * PT_PER_MM * SAFETY / size
        lines = _lines_needed(words, space, line_em)
        if lines is not None and lines * size * LINE_HEIGHT <= box.height_mm * PT_PER_MM:
            return size
        size -= step
    # Nothing fits in height even at the floor: at least keep the widest word inside the width
    # (the box clips extra lines rather than spill over the QR code).
    return min(floor, box.width_mm * PT_PER_MM * SAFETY / max(words))
