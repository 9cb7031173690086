"""Badges to PDF: one WeasyPrint document for all badges, fonts embedded once, QR as 1-bit PNG.

No database and no Flask here: `render_pdf` takes plain `BadgeContent` values, so the queue job,
the CLI, the single-badge download and bench/badges.py all share it.
"""

from __future__ import annotations

import base64
import io
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import qrcode
from jinja2 import Environment, FileSystemLoader, select_autoescape
from PIL import Image

from eventsys import paths
from eventsys.badges.fit import FONT_DIR, NameBox, name_font_size

TEMPLATES = paths.TEMPLATES / "badges" / "print"
CHUNK = 100  # badges laid out per WeasyPrint pass: bounded memory, progress between passes


@dataclass(frozen=True)
class Geometry:
    """Per layout: page size, how many badges a page holds, and the boxes text must fit."""

    page_w: float
    page_h: float
    per_page: int
    name: NameBox
    organisation: NameBox
    qr_mm: float


GEOMETRY = {
    "a6": Geometry(105, 148, 1, NameBox(93, 27, 30, 14), NameBox(93, 10, 13, 8), 32),
    "a4_sheet": Geometry(210, 297, 4, NameBox(93, 27, 30, 14), NameBox(93, 10, 13, 8), 32),
    "card": Geometry(85, 54, 1, NameBox(51, 15, 17, 8), NameBox(51, 7, 9, 6), 26),
}


@dataclass
class BadgeContent:
    """What one badge shows; the caller already left out what the person did not agree to."""

    name: str
    code: str  # the signed check-in code, the QR's only content
    category_label: str
    category_colour: str = "#2f6f4f"
    latin_name: str | None = None
    organisation: str = ""
    country: str = ""
    answers: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class EventLook:
    title: str
    dates: str = ""
    logo_url: str | None = None  # file:// or data: URL; None prints the title instead


def direction(text: str) -> str:
    """'rtl' when the first strong character is Arabic or Hebrew (for alignment and bidi)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def qr_png(code: str) -> bytes:
    """The code as a 1-bit PNG, one pixel per module (scaled crisply in the PDF): ~150 bytes."""
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=1,
        border=0,
        # Any mask is valid; a fixed one skips the slow search for the "best" (5x faster).
        mask_pattern=2,
    )
    qr.add_data(code.upper(), optimize=0)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), pixels).convert("1")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@lru_cache(maxsize=1)
def _jinja() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _view(badge: BadgeContent, geometry: Geometry) -> dict:
    return {
        "b": badge,
        "dir": direction(badge.name),
        "org_dir": direction(badge.organisation),
        "name_pt": name_font_size(badge.name, geometry.name),
        "org_pt": name_font_size(badge.organisation, geometry.organisation)
        if badge.organisation
        else 0,
        "qr": _data_url(qr_png(badge.code)),
    }


def badge_html(badges: Sequence[BadgeContent], layout: str, look: EventLook) -> str:
    geometry = GEOMETRY[layout]
    views = [_view(b, geometry) for b in badges]
    pages = [views[i : i + geometry.per_page] for i in range(0, len(views), geometry.per_page)]
    return (
        _jinja()
        .get_template("badges.html")
        .render(pages=pages, layout=layout, look=look, g=geometry, font_dir=FONT_DIR.as_uri())
    )


def render_pdf(
    badges: Iterable[BadgeContent],
    layout: str,
    look: EventLook,
    *,
    progress: Callable[[int], None] | None = None,
    chunk: int = CHUNK,
) -> bytes:
    """All badges as one PDF. Laid out in chunks (WeasyPrint's pagination slows down on very
    long documents), then written as one document so each font subset is embedded once."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    if layout not in GEOMETRY:
        raise ValueError(f"unknown badge layout {layout!r}")
    per_page = GEOMETRY[layout].per_page
    chunk = max(per_page, chunk - chunk % per_page)
    fonts = FontConfiguration()
    stylesheet = CSS(
        string=_jinja().get_template("badges.css").render(font_dir=FONT_DIR.as_uri()),
        font_config=fonts,
    )
    documents = []
    done = 0
    for part in _chunks(badges, chunk):
        html = HTML(string=badge_html(part, layout, look), base_url=str(TEMPLATES))
        documents.append(html.render(stylesheets=[stylesheet], font_config=fonts))
        done += len(part)
        if progress is not None:
            progress(done)
    if not documents:
        raise ValueError("no badges to print")
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def _chunks(items: Iterable[BadgeContent], size: int) -> Iterable[list[BadgeContent]]:
    batch: list[BadgeContent] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
