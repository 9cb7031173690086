"""Badges to PDF: one WeasyPrint document for all badges, fonts embedded once, QR as vector paths.

No database and no Flask here: `render_pdf` takes plain `BadgeContent` values, so the queue job,
the CLI, the single-badge download and bench/badges.py all share it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from xml.etree import ElementTree

from jinja2 import Environment, FileSystemLoader, select_autoescape

from eventsys import paths
from eventsys.badges import qr
from eventsys.badges.fit import FONT_DIR, NameBox, fit_text

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
    qr_left: float  # the QR's top-left corner on its badge, mm
    qr_top: float
    slots: tuple[tuple[float, float], ...] = ((0, 0),)  # each badge's top-left corner on its page
    # Cut marks along the cutting lines, as (x1, y1, x2, y2) in mm from the page's top-left.
    cuts: tuple[tuple[float, float, float, float], ...] = ()

    @property
    def slot_w(self) -> float:
        """Width of one badge's area on the page, mm."""
        return self.page_w / (2 if self.per_page == 4 else 1)

    @property
    def slot_h(self) -> float:
        return self.page_h / (2 if self.per_page == 4 else 1)


_A6_NAME, _A6_ORG = NameBox(93, 27, 30, 14), NameBox(93, 10, 13, 8)
_A4_SLOTS = ((0, 0), (105, 0), (0, 148.5), (105, 148.5))  # as .slot0-3 in badges.css
_A4_CUTS = (
    (105, 0, 105, 6),  # the vertical line: at the top edge, the middle and the bottom edge
    (105, 145.5, 105, 151.5),
    (105, 291, 105, 297),
    (0, 148.5, 6, 148.5),  # the horizontal line: left edge, middle, right edge
    (102, 148.5, 108, 148.5),
    (204, 148.5, 210, 148.5),
)
GEOMETRY = {
    "a6": Geometry(105, 148, 1, _A6_NAME, _A6_ORG, 32, (105 - 32) / 2, 92),
    "a4_sheet": Geometry(
        210, 297, 4, _A6_NAME, _A6_ORG, 32, (105 - 32) / 2, 92, _A4_SLOTS, _A4_CUTS
    ),
    "card": Geometry(85, 54, 1, NameBox(51, 15, 17, 8), NameBox(51, 7, 9, 6), 26, 56.5, 9),
}
PT_PER_MM = 72 / 25.4


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


@lru_cache(maxsize=1)
def _jinja() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _view(badge: BadgeContent, geometry: Geometry) -> dict:
    name = fit_text(badge.name, geometry.name)
    organisation = fit_text(badge.organisation, geometry.organisation)
    return {
        "b": badge,
        "dir": direction(badge.name),
        "org_dir": direction(badge.organisation),
        "name_size": _size_class(name.size),
        "name_text": name.text,  # its lines, broken between words only
        "org_size": _size_class(organisation.size),
        "org_text": organisation.text,
        "band": _colour_class(badge.category_colour),
    }


# Sizes and colours go in classes of one <style> per chunk, not in a style attribute per
# element: WeasyPrint parses each attribute as a stylesheet of its own, which cost a quarter of
# a print's time. A size class is the fitted size rounded down to a hundredth of a point.
_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")
DEFAULT_COLOUR = "#2f6f4f"


def _size_class(size_pt: float) -> str:
    return f"s{math.floor(size_pt * 100)}"


def _colour_class(colour: str) -> str:
    # Only a hex colour reaches the stylesheet: any other text could add rules of its own.
    colour = colour if _COLOUR.fullmatch(colour or "") else DEFAULT_COLOUR
    return "c" + colour[1:].lower()


def chunk_css(views: Sequence[dict]) -> str:
    sizes = {v[key] for v in views for key in ("name_size", "org_size")}
    bands = {v["band"] for v in views}
    rules = [f".{size} {{ font-size: {int(size[1:]) / 100}pt }}" for size in sorted(sizes)]
    rules += [f".{band} {{ background: #{band[1:]} }}" for band in sorted(bands)]
    return "\n".join(rules)


def badge_html(badges: Sequence[BadgeContent], layout: str, look: EventLook) -> str:
    """The HTML of some badges, without their QR codes (`qr_painter` draws those)."""
    geometry = GEOMETRY[layout]
    views = [_view(b, geometry) for b in badges]
    pages = [views[i : i + geometry.per_page] for i in range(0, len(views), geometry.per_page)]
    return (
        _jinja()
        .get_template("badges.html")
        .render(
            pages=pages,
            layout=layout,
            look=look,
            g=geometry,
            font_dir=FONT_DIR.as_uri(),
            chunk_css=chunk_css(views),
        )
    )


@lru_cache(maxsize=1)
def _user_agent_css():
    # Heavy (the PDF stack): loaded only when a PDF is drawn.
    from weasyprint import CSS  # noqa: PLC0415

    # WeasyPrint's HTML5 user-agent sheet has hundreds of rules matched against every element;
    # badges use five kinds of element, so this is all the defaults they need.
    return CSS(
        string="html, body, div, section, p { display: block } "
        "head, title, meta, style, script { display: none } span, img { display: inline } "
        "[dir=rtl] { direction: rtl } [dir] { unicode-bidi: isolate }"
    )


def _badge_html_class():
    # Heavy (the PDF stack): loaded only when a PDF is drawn.
    import cssselect2  # noqa: PLC0415
    from weasyprint import HTML  # noqa: PLC0415
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    class BadgeHTML(HTML):
        def __init__(self, string: str, base_url: str) -> None:
            """Our template is well-formed XML: expat (C) parses it about twenty times faster
            than WeasyPrint's pure-Python HTML5 parser, a tenth of a print's time. Text that XML
            refuses (a pasted control character) goes through the HTML5 parser instead."""
            try:
                root = ElementTree.fromstring(string)
            except ElementTree.ParseError:
                super().__init__(string=string, base_url=base_url)
                return
            self.base_url = base_url
            self.url_fetcher = URLFetcher()
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root)
            self.etree_element = root

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
    # Heavy (the PDF stack): loaded only when a PDF is drawn.
    from weasyprint import CSS  # noqa: PLC0415
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

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
    badge_codes: list[str] = []
    for part in _chunks(badges, chunk):
        html = html_class(string=badge_html(part, layout, look), base_url=str(TEMPLATES))
        documents.append(html.render(stylesheets=[stylesheet], font_config=fonts))
        badge_codes.extend(b.code for b in part)
        if progress is not None:
            progress(len(badge_codes))
    if not documents:
        raise ValueError("no badges to print")
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf(finisher=qr_painter(badge_codes, geometry))


def qr_painter(badge_codes: Sequence[str], geometry: Geometry) -> Callable[[object, object], None]:
    """A WeasyPrint finisher that draws badge k's QR code on its page and slot, as vector paths,
    and the layout's cut marks (lines: laid out as elements they cost as much as a badge's text).

    Pages hold `per_page` badges each, in order. The operators go at the end of each page's
    content stream, after a `Q` that closes a `q` put at its start, so they run in the page's
    default coordinates whatever state WeasyPrint's drawing left behind."""
    page_h = geometry.page_h * PT_PER_MM
    size = geometry.qr_mm * PT_PER_MM
    cuts = cut_marks(geometry)

    def finish(document: object, pdf) -> None:
        kids = pdf.pages["Kids"]
        page_numbers = kids[0::3]  # Kids is flat: number, 0, "R", number, 0, "R", ...
        for index, page_number in enumerate(page_numbers):
            mine = badge_codes[index * geometry.per_page : (index + 1) * geometry.per_page]
            if not mine:
                break
            contents = pdf.objects[page_number]["Contents"]
            stream = pdf.objects[int(contents.split()[0])]
            stream.stream.insert(0, b"q")
            stream.stream.append(b"Q")
            if cuts:
                stream.stream.append(cuts)
            for (slot_x, slot_y), code in zip(geometry.slots, mine, strict=False):
                left = (slot_x + geometry.qr_left) * PT_PER_MM
                top = page_h - (slot_y + geometry.qr_top) * PT_PER_MM
                stream.stream.append(qr.pdf_operators(code, left, top, size))

    return finish


def cut_marks(geometry: Geometry) -> bytes:
    """The cut marks as one stroked path: 0.2 mm, grey."""
    page_h = geometry.page_h * PT_PER_MM
    lines = " ".join(
        f"{x1 * PT_PER_MM:.2f} {page_h - y1 * PT_PER_MM:.2f} m "
        f"{x2 * PT_PER_MM:.2f} {page_h - y2 * PT_PER_MM:.2f} l"
        for x1, y1, x2, y2 in geometry.cuts
    )
    return f"q {0.2 * PT_PER_MM:.3f} w 0.467 G {lines} S Q".encode("ascii") if lines else b""


def _chunks(items: Iterable[BadgeContent], size: int) -> Iterable[list[BadgeContent]]:
    batch: list[BadgeContent] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
