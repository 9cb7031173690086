"""Render the badges of a 2,000-participant event to one PDF; compare with plain reportlab.

    python bench/badges.py [--count 2000] [--layout a4_sheet] [--output /tmp/badges.pdf]

Each renderer runs in its own forked process, so its peak memory (max RSS) is its own. Both are
single-threaded, so on an idle machine wall time equals CPU time; this 2-core machine is shared
with other work, so the rates of the last line are per CPU-second of the renderer's process (the
wall-clock figures are printed above it). Both get
the same content: name (Latin, Cyrillic, Azerbaijani, Arabic, Devanagari), Latin transliteration,
organisation, country, category band with label, QR code with a signed check-in code.
Afterwards a sample of pages of our PDF is rendered to PNG and every QR code on them decoded: each
must be the code of the badge in that place, none twice; otherwise the benchmark fails (exit 1).
The last line is: badges/s: X; reference/s: Y; ratio: Z; peak MiB: M; file MiB: F
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eventsys.badges import codes  # noqa: E402
from eventsys.badges.fit import FONT_DIR  # noqa: E402
from eventsys.badges.render import GEOMETRY, BadgeContent, EventLook, render_pdf  # noqa: E402

FIRST = {
    "PT": ["Ana", "João", "Maria da Conceição", "Inês", "Tiago"],
    "RO": ["Ștefan", "Ioana", "Mihai", "Andreea"],
    "RU": ["Алексей", "Наталья", "Дмитрий", "Ольга"],
    "AZ": ["Məmməd", "Leyla", "Əli", "Günel"],
    "JO": ["محمد", "فاطمة", "عبد الله", "ليلى"],
    "IN": ["अनुष्का", "राहुल", "प्रिया", "अर्जुन"],
    "DE": ["Jürgen", "Anneliese", "Maximilian-Alexander"],
}
LAST = {
    "PT": ["Simões", "Fernandes de Albuquerque e Vasconcelos", "Sá"],
    "RO": ["Țărână", "Popescu"],
    "RU": ["Петров", "Кузнецова", "Соколов"],
    "AZ": ["Əliyev", "Qasımova", "Hüseynov"],
    "JO": ["الحسيني", "عبد الرحمن", "الخطيب"],
    "IN": ["श्रीवास्तव", "शर्मा", "द्विवेदी"],
    "DE": ["Müller", "Schwarzenberg-Hohenlohe"],
}
LATIN = {
    "RU": "Aleksei Petrov",
    "AZ": "Mammad Aliyev",
    "JO": "Mohammed Al-Husseini",
    "IN": "Anushka Srivastava",
}
COUNTRY = {
    "PT": "Portugal",
    "RO": "Romania",
    "RU": "Russia",
    "AZ": "Azerbaijan",
    "JO": "Jordan",
    "IN": "India",
    "DE": "Germany",
}
CATEGORIES = [
    ("Delegate", "#1f6f43"),
    ("Observer", "#3b6ea8"),
    ("Speaker", "#b5512c"),
    ("Press", "#6b3fa0"),
    ("Staff", "#444444"),
]
TOWNS = ["Cascais", "Almada", "Iași", "Baku", "Amman", "Pune", "Freiburg im Breisgau"]
KEY = "bench-secret-key"


def participants(count: int) -> list[BadgeContent]:
    rng = random.Random(2024)
    badges = []
    for _ in range(count):
        country = rng.choice(list(FIRST))
        label, colour = rng.choice(CATEGORIES)
        badges.append(
            BadgeContent(
                name=f"{rng.choice(FIRST[country])} {rng.choice(LAST[country])}",
                latin_name=LATIN.get(country),
                organisation=f"Municipality of {rng.choice(TOWNS)}",
                country=COUNTRY[country],
                category_label=label,
                category_colour=colour,
                code=codes.make_code(codes.new_nonce(), KEY),
            )
        )
    return badges


def ours(badges: list[BadgeContent], layout: str, output: str) -> int:
    pdf = render_pdf(badges, layout, EventLook("Climate Alliance International Conference 2024"))
    Path(output).write_bytes(pdf)
    return len(pdf)


def check_qr_codes(
    pdf: Path, badges: list[BadgeContent], layout: str, pages: int = 16, dpi: int = 100
) -> int:
    """Decodes the QR codes of a sample of pages (first, last and random ones in between, so
    every chunk of the layout is likely hit); each must be the code of the badge in its place
    (page and slot), and no code may appear twice. Returns how many were checked."""
    import zxingcpp
    from PIL import Image

    geometry = GEOMETRY[layout]
    count = -(-len(badges) // geometry.per_page)
    rng = random.Random(7)
    sample = sorted({0, count - 1, *rng.sample(range(count), min(pages, count))})
    px_per_mm = dpi / 25.4
    seen: dict[str, int] = {}
    errors = []
    with tempfile.TemporaryDirectory() as folder:
        for page in sample:
            prefix = Path(folder) / f"p{page}"
            number = str(page + 1)
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(dpi), "-f", number, "-l", number, pdf, prefix],
                check=True,
            )
            [png] = Path(folder).glob(f"p{page}-*.png")
            on_page = badges[page * geometry.per_page : (page + 1) * geometry.per_page]
            found = zxingcpp.read_barcodes(Image.open(png), formats=zxingcpp.BarcodeFormat.QRCode)
            if len(found) != len(on_page):
                errors.append(f"page {page + 1}: {len(found)} QR codes for {len(on_page)} badges")
            for result in found:
                x = (result.position.top_left.x + result.position.bottom_right.x) / 2
                y = (result.position.top_left.y + result.position.bottom_right.y) / 2
                column = int(x / px_per_mm // geometry.slot_w)
                row = int(y / px_per_mm // geometry.slot_h)
                slot = row * (2 if geometry.per_page == 4 else 1) + column
                index = page * geometry.per_page + slot
                if slot >= len(on_page) or result.text != badges[index].code:
                    errors.append(f"page {page + 1}, slot {slot}: {result.text} is not its code")
                if result.text in seen:
                    errors.append(f"{result.text} on badges {seen[result.text]} and {index}")
                seen[result.text] = index
    if errors:
        raise SystemExit("QR check FAILED:\n" + "\n".join(errors[:20]))
    return len(seen)


def reference(badges: list[BadgeContent], layout: str, output: str | None) -> tuple[float, int]:
    """Plain reportlab: canvas, registered TTFs, its own QR widget; four A6 badges per A4."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.colors import HexColor, white
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("NotoSans", str(FONT_DIR / "NotoSans-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("NotoSans-Bold", str(FONT_DIR / "NotoSans-Bold.ttf")))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(210 * mm, 297 * mm))
    slots = [(0, 148.5), (105, 148.5), (0, 0), (105, 0)]
    for index, badge in enumerate(badges):
        x, y = slots[index % 4]
        x, y = x * mm, y * mm
        page.setFillColor(HexColor(badge.category_colour))
        page.rect(x, y, 105 * mm, 15 * mm, stroke=0, fill=1)
        page.setFillColor(white)
        page.setFont("NotoSans-Bold", 14)
        page.drawCentredString(x + 52.5 * mm, y + 5.5 * mm, badge.category_label)
        page.setFillColor(HexColor("#111111"))
        size = 26
        while size > 10 and pdfmetrics.stringWidth(badge.name, "NotoSans-Bold", size) > 93 * mm:
            size -= 1
        page.setFont("NotoSans-Bold", size)
        page.drawCentredString(x + 52.5 * mm, y + 115 * mm, badge.name)
        page.setFont("NotoSans", 12)
        if badge.latin_name:
            page.drawCentredString(x + 52.5 * mm, y + 107 * mm, badge.latin_name)
        page.drawCentredString(x + 52.5 * mm, y + 100 * mm, badge.organisation)
        page.drawCentredString(x + 52.5 * mm, y + 94 * mm, badge.country)
        widget = QrCodeWidget(badge.code, barLevel="M")
        left, bottom, right, top = widget.getBounds()
        drawing = Drawing(
            32 * mm,
            32 * mm,
            transform=[32 * mm / (right - left), 0, 0, 32 * mm / (top - bottom), 0, 0],
        )
        drawing.add(widget)
        renderPDF.draw(drawing, page, x + 36.5 * mm, y + 20 * mm)
        if index % 4 == 3:
            page.showPage()
    page.save()
    pdf = out.getvalue()
    if output:
        Path(output).with_suffix(".reference.pdf").write_bytes(pdf)
    return len(pdf)


def _child(fn, badges, layout, output, queue) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    size = fn(badges, layout, output)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    queue.put((wall, cpu, size, peak))


def measure(fn, badges, layout, output) -> tuple[float, float, int, float]:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_child, args=(fn, badges, layout, output, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--layout", default="a4_sheet", choices=["a6", "a4_sheet", "card"])
    parser.add_argument("--output", help="keep the PDFs here")
    args = parser.parse_args()
    badges = participants(args.count)
    # Imports and font files warm, as in a running worker; nothing else is cached between runs.
    render_pdf(participants(4), args.layout, EventLook("warm-up"))

    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(args.output or Path(folder) / "badges.pdf")
        ours_wall, ours_cpu, ours_size, ours_peak = measure(ours, badges, args.layout, pdf)
        checked = check_qr_codes(pdf, badges, args.layout)
    ref_wall, ref_cpu, ref_size, ref_peak = measure(reference, badges, args.layout, args.output)
    load = os.getloadavg()[0]
    n = args.count
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs")
    print(f"QR check: {checked} codes decoded from sampled pages, each its badge's own, none twice")
    print(
        f"eventsys (WeasyPrint, {args.layout}): {n} badges, {ours_wall:.1f} s wall "
        f"({n / ours_wall:.1f}/s), {ours_cpu:.1f} s CPU ({n / ours_cpu:.1f}/s), "
        f"{ours_size / 2**20:.2f} MiB, peak {ours_peak:.0f} MiB"
    )
    print(
        f"reference (plain reportlab, A4 sheets): {n} badges, {ref_wall:.1f} s wall "
        f"({n / ref_wall:.1f}/s), {ref_cpu:.1f} s CPU ({n / ref_cpu:.1f}/s), "
        f"{ref_size / 2**20:.2f} MiB, peak {ref_peak:.0f} MiB"
    )
    rate, ref_rate = n / ours_cpu, n / ref_cpu
    print(
        f"badges/s: {rate:.1f}; reference/s: {ref_rate:.1f}; ratio: {rate / ref_rate:.2f}; "
        f"peak MiB: {ours_peak:.0f}; file MiB: {ours_size / 2**20:.2f}"
    )


if __name__ == "__main__":
    main()
