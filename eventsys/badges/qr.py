"""A check-in code as a QR symbol drawn with PDF path operators: vectors, one path per code.

No WeasyPrint and no database here. Drawing the code as one filled path (a rectangle per run of
dark modules in a row) costs a fraction of a millisecond, stays sharp at any print resolution, and
needs no image per badge: an image would be decoded, re-compressed and written as an object of its
own, and WeasyPrint keys images by URL, which made chunks of a print share their QR images.
"""

from __future__ import annotations

import re

import zxingcpp

_DARK_RUN = re.compile(rb"\x00+")


def dark_runs(code: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The symbol's size in modules and its dark runs as (row, first column, length).

    Encoded by zxing-cpp with error correction M; upper case so the code uses the compact
    alphanumeric mode. The quiet zone is the badge's white margin around the symbol."""
    symbol = zxingcpp.create_barcode(code.upper(), zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = symbol.to_image(scale=1, add_quiet_zones=False)
    height, width = image.shape
    # zxingcpp.Image is a buffer (one byte per module), which its stub does not declare.
    data = bytes(memoryview(image))  # type: ignore[arg-type]
    runs: list[tuple[int, int, int]] = []
    for row in range(height):
        line = data[row * width : (row + 1) * width]
        runs.extend((row, m.start(), m.end() - m.start()) for m in _DARK_RUN.finditer(line))
    return width, runs


def pdf_operators(code: str, left: float, top: float, size: float) -> bytes:
    """Content-stream operators painting the code as a square of `size` pt whose top-left corner
    is at (`left`, `top`) pt in PDF user space (origin bottom-left, y up).

    A transform puts the origin at the symbol's top-left corner with one unit per module and y
    going down, so each rectangle is a few small integers (and compresses well). All rectangles
    form one path filled once, so viewers show no seams between rows."""
    modules, runs = dark_runs(code)
    scale = size / modules
    rects = " ".join(f"{column} {row} {length} 1 re" for row, column, length in runs)
    return f"q {scale:.5f} 0 0 {-scale:.5f} {left:.3f} {top:.3f} cm 0 g {rects} f Q".encode("ascii")
