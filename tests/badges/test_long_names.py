"""Long names on the smallest badge (the 85 x 54 mm card): wrapped between words or made smaller,
never broken inside a word and never cut off by the name's box."""

from __future__ import annotations

import subprocess
import unicodedata
import xml.etree.ElementTree as ET

import pytest

from eventsys.badges import codes
from eventsys.badges.render import GEOMETRY, BadgeContent, EventLook, render_pdf

PT_PER_MM = 72 / 25.4
# The card's name box (badges.css: .main at 3 mm, 8.5 mm; .name up to 15 mm high, 51 mm wide).
NAME_LEFT, NAME_TOP = 3 * PT_PER_MM, 8.5 * PT_PER_MM
NAME_W, NAME_H = GEOMETRY["card"].name.width_mm * PT_PER_MM, 15 * PT_PER_MM
TOLERANCE = 1.0  # pt: glyph boxes reach a little beyond the line box
# pdftotext's word boxes span the font's whole ascent and descent (Arabic's are tall): a line is
# inside the box when its middle is; a line the box hides starts below it.

LONG_NAMES = [
    "Mohammed <img src=x onerror=alert(document.cookie)> Abdel Rahman Al Husseini",
    "Mohammed <img src=x onerror=alert(1)>",
    "Maximilian Alexander Friedrich Wilhelm von Schwarzenberg Hohenlohe Waldenburg "
    "Schillingsfürst zu Sayn Wittgenstein Berleburg",
    "Александра Константиновна Преображенская Рождественская Великорецкая",
    "Константинопольский Достопримечательностьевич",
    "محمد بن عبد العزيز بن عبد الرحمن الحسيني الهاشمي القرشي",
    "عبدالرحمنالحسينيالهاشميالقرشيالمخزومي بن محمد",
    "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessen Hubert",
    " ".join(["Ana Maria"] * 20),
    # After "(" and a space, Unicode line breaking (UAX 14, LB14) allows no break: the renderer
    # took both words as one, too wide for the line, and cut it inside a word.
    "Abarzrormannidelmed 1)>nimoman=alert( Delmed=alert(genrahberber1)>ham Abmonionschwmo",
    "Станндрндра( Альопоксапрендрстан Обраобра(обрапре Ский Опоженский",
    "دعزيزرحمن( درحمنشيدعبد",
]


def name_words(pdf: bytes) -> list[tuple[str, dict[str, float]]]:
    """The words printed on the badge other than the one-letter title and band."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, check=True, capture_output=True
    ).stdout
    words = []
    for element in ET.fromstring(xhtml).iter():
        if element.tag.endswith("word") and element.text and element.text not in ("T", "D"):
            box = {k: float(element.get(k)) for k in ("xMin", "xMax", "yMin", "yMax")}
            words.append((unicodedata.normalize("NFKC", element.text), box))
    return words


@pytest.mark.parametrize("name", LONG_NAMES)
def test_a_long_name_wraps_between_words_and_stays_in_its_box(name):
    badge = BadgeContent(
        name=name, code=codes.make_code(codes.new_nonce(), "k"), category_label="D"
    )
    words = name_words(render_pdf([badge], "card", EventLook("T")))
    tokens = name.split()
    printed = [text for text, _ in words]
    # Each line break falls between two words: the PDF holds every word whole, none in pieces.
    assert sorted(printed) == sorted(tokens) or sorted(t[::-1] for t in printed) == sorted(
        tokens
    ), printed
    for text, box in words:  # nothing hidden below or beside the box
        assert (box["yMin"] + box["yMax"]) / 2 <= NAME_TOP + NAME_H, (text, box)
        assert box["xMin"] >= NAME_LEFT - TOLERANCE, (text, box)
        assert box["xMax"] <= NAME_LEFT + NAME_W + TOLERANCE, (text, box)
