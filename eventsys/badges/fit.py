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
    # Heavy: the font tables are read only when a badge is fitted.
    from fontTools.ttLib import TTFont  # noqa: PLC0415

    fonts = []
    for name in NAME_FONTS:
        with TTFont(FONT_DIR / name, lazy=True) as font:  # closed: the tables are copied out
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


def wrap(words: list[str], widths: list[float], space: float, line_em: float) -> list[str] | None:
    """Greedy wrap at spaces only; None when a single word is wider than the line."""
    lines: list[list[str]] = [[]]
    current = 0.0
    for word, width in zip(words, widths, strict=True):
        if width > line_em:
            return None
        needed = width if not lines[-1] else current + space + width
        if needed <= line_em or not lines[-1]:
            lines[-1].append(word)
            current = needed
        else:
            lines.append([word])
            current = width
    return [" ".join(line) for line in lines]


@dataclass(frozen=True)
class Fitted:
    size: float  # pt
    lines: list[str]  # printed as they are: the renderer never breaks a line itself

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def fit_text(text: str, box: NameBox, step: float = 0.5) -> Fitted:
    """The largest size (pt, never above box.max_pt) at which the text fits the box, and its lines.

    One line is preferred while it stays large (a name is read from afar); then the name wraps,
    between words only: the lines are computed here and printed as they are (`white-space:
    pre`), so the renderer's own line breaking (which may split a word at a hyphen, or keep
    "alert( Delmed" together and then cut inside a word) never comes into play. Below
    box.min_pt a name is hard to read, but it still must fit, whole: the search goes on down to a
    point; a single word wider than the box at that size gets the size that fits its width."""
    words = text.split() or [""]
    widths = [text_em(w) for w in words]
    space = char_em(" ")
    width_pt = box.width_mm * PT_PER_MM * SAFETY
    height_pt = box.height_mm * PT_PER_MM
    one_line = sum(widths) + space * (len(words) - 1)
    size = min(box.max_pt, width_pt / one_line) if one_line else box.max_pt
    if size >= max(box.min_pt, box.max_pt * 0.75) and size * LINE_HEIGHT <= height_pt:
        rounded = round(size * 2) / 2
        return Fitted(rounded if rounded <= size else size, [" ".join(words)])
    size = box.max_pt
    while size >= 1:
        lines = wrap(words, widths, space, width_pt / size)
        if lines is not None and len(lines) * size * LINE_HEIGHT <= height_pt:
            return Fitted(size, lines)
        size -= step if size > box.min_pt / 2 else step / 2
    # One word too wide even at a point's size (no real name): every word on a line of its
    # own, at the size where the widest fits the width.
    return Fitted(min(1.0, width_pt / max(widths)), words)


def name_font_size(text: str, box: NameBox, step: float = 0.5) -> float:
    """The size (pt) of `fit_text`."""
    return fit_text(text, box, step).size
