"""Every printed badge carries its own check-in code, however many badges the print holds.

A print is laid out in chunks (render.CHUNK); the QR images of one chunk must never stand in for
those of another. Each page is rendered to PNG as a phone would see it, every QR code decoded, and
the code matched to the name printed on the same badge (from the PDF's text in that badge's area).
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import zxingcpp
from PIL import Image

from eventsys.badges import render, services
from eventsys.extensions import db

DPI = 100
PT_PER_INCH = 72


@dataclass
class Word:
    page: int
    x: float  # centre, in pt
    y: float
    text: str


def words_in(pdf: Path) -> list[Word]:
    """Every word of the PDF with its page and position (poppler's pdftotext -bbox)."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True
    ).stdout
    root = ET.fromstring(xhtml)
    words = []
    pages = [el for el in root.iter() if el.tag.endswith("page")]
    for number, page in enumerate(pages):
        for word in page:
            box = {k: float(word.get(k)) for k in ("xMin", "xMax", "yMin", "yMax")}
            words.append(
                Word(
                    number,
                    (box["xMin"] + box["xMax"]) / 2,
                    (box["yMin"] + box["yMax"]) / 2,
                    word.text or "",
                )
            )
    return words


def badges_on_pages(pdf: Path, tmp_path: Path, layout: str) -> list[tuple[str, str]]:
    """(decoded QR text, the text printed on the same badge) for every QR code in the PDF."""
    geometry = render.GEOMETRY[layout]
    slot_w, slot_h = (105, 148.5) if geometry.per_page == 4 else (geometry.page_w, geometry.page_h)
    pt_per_mm = PT_PER_INCH / 25.4
    words = words_in(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), str(pdf), str(tmp_path / "p")], check=True)
    found = []
    pngs = sorted(tmp_path.glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1]))
    for number, png in enumerate(pngs):
        image = Image.open(png)
        for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
            corners = result.position
            x = (corners.top_left.x + corners.bottom_right.x) / 2 * PT_PER_INCH / DPI
            y = (corners.top_left.y + corners.bottom_right.y) / 2 * PT_PER_INCH / DPI
            column, row = int(x // (slot_w * pt_per_mm)), int(y // (slot_h * pt_per_mm))
            beside = " ".join(
                w.text
                for w in words
                if w.page == number
                and int(w.x // (slot_w * pt_per_mm)) == column
                and int(w.y // (slot_h * pt_per_mm)) == row
            )
            found.append((result.text, beside))
    return found


def test_every_badge_of_a_print_longer_than_one_chunk_has_its_own_code(
    app, factory, organiser, tmp_path
):
    event = factory.event(organiser=organiser, title="Cascais Climate Conference")
    count = render.CHUNK + 5  # badges of the second chunk reused the first chunk's QR images
    people = [
        factory.registration(event, name=f"Person{n:03d} Example", country="PT")
        for n in range(count)
    ]
    db.session.commit()
    name_of = {services.code_for(db.session, r): r.display_name for r in people}
    db.session.commit()
    out = tmp_path / "badges.pdf"
    result = app.test_cli_runner().invoke(
        args=["badges", "print", event.slug, "--output", str(out)]
    )
    assert result.exit_code == 0, result.output

    found = badges_on_pages(out, tmp_path, "a4_sheet")
    assert len(found) == count  # every badge's QR code scans
    assert {code for code, _ in found} == set(name_of)  # each person's code, none twice
    for code, beside in found:
        # the name printed on the badge is the person the code checks in
        assert name_of[code].split()[0] in beside.split(), (code, beside)
