"""Badges to PDF: one WeasyPrint document for all badges, fonts embedded once, QR as 1-bit PNG.

No database and no Flask here: `render_pdf` takes plain `BadgeContent` values, so the queue job,
the CLI, the single-badge download and bench/badges.py all share it.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import zxingcpp
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
    """The code as a 1-bit PNG, one pixel per module (scaled crisply in the PDF): ~150 bytes.

    Encoded by zxing-cpp (C++, ~0.1 ms), error correction M; the quiet zone is the badge's
    white margin around the image."""
    symbol = zxingcpp.create_barcode(code.upper(), zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    modules = zxingcpp_image(symbol)
    out = io.BytesIO()
    modules.convert("1").save(out, "PNG")  # WeasyPrint re-compresses it: no optimize pass
    return out.getvalue()


def zxingcpp_image(symbol: zxingcpp.Barcode) -> Image.Image:
    pixels = symbol.to_image(scale=1, add_quiet_zones=False)
    height, width = memoryview(pixels).shape
    return Image.frombytes("L", (width, height), bytes(memoryview(pixels)))


QR_SCHEME = "badge-qr:"


def _fetcher(images: dict[str, bytes]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class BadgeFetcher(URLFetcher):
        """Serves the QR images from memory; everything else (fonts, logo) as usual."""

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            if url.startswith(QR_SCHEME):
                return URLFetcherResponse(
                    url, images.pop(url), headers={"Content-Type": "image/png"}
                )
            return super().fetch(url, headers)

    return BadgeFetcher()


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
        "qr": qr_png(badge.code),
    }


def badge_html(
    badges: Sequence[BadgeContent],
    layout: str,
    look: EventLook,
    images: dict[str, bytes],
    first: int = 0,
) -> str:
    """The HTML of some badges; their QR images go into `images`, named by short URLs that the
    document's URL fetcher serves (cheaper than parsing and decoding base64 data URLs).

    WeasyPrint keys an image by its URL in the whole PDF, so each name must be unique across all
    chunks of one document: `first` is the number of badges laid out before this chunk."""
    geometry = GEOMETRY[layout]
    views = [_view(b, geometry) for b in badges]
    for number, view in enumerate(views, start=first):
        name = f"{QR_SCHEME}{number}.png"
        images[name] = view["qr"]
        view["qr"] = name
    pages = [views[i : i + geometry.per_page] for i in range(0, len(views), geometry.per_page)]
    return (
        _jinja()
        .get_template("badges.html")
        .render(pages=pages, layout=layout, look=look, g=geometry, font_dir=FONT_DIR.as_uri())
    )


@lru_cache(maxsize=1)
def _user_agent_css():
    from weasyprint import CSS

    # WeasyPrint's HTML5 user-agent sheet has hundreds of rules matched against every element;
    # badges use five kinds of element, so this is all the defaults they need.
    return CSS(
        string="html, body, div, section, p { display: block } "
        "head, title, meta, style, script { display: none } span, img { display: inline } "
        "[dir=rtl] { direction: rtl } [dir] { unicode-bidi: isolate }"
    )


def _badge_html_class():
    from weasyprint import HTML

    class BadgeHTML(HTML):
        def _ua_stylesheets(self, forms: bool = False) -> list:
            return [_user_agent_css()]

    return BadgeHTML


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
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    if layout not in GEOMETRY:
        raise ValueError(f"unknown badge layout {layout!r}")
    geometry = GEOMETRY[layout]
    chunk = max(geometry.per_page, chunk - chunk % geometry.per_page)
    fonts = FontConfiguration()
    css = _jinja().get_template("badges.css")
    stylesheet = CSS(
        string=css.render(font_dir=FONT_DIR.as_uri(), layout=layout, g=geometry),
        font_config=fonts,
    )
    html_class = _badge_html_class()
    documents = []
    done = 0
    for part in _chunks(badges, chunk):
        images: dict[str, bytes] = {}
        html = html_class(
            string=badge_html(part, layout, look, images, first=done),
            base_url=str(TEMPLATES),
            url_fetcher=_fetcher(images),
        )
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
