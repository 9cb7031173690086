from __future__ import annotations

from eventsys.badges import codes
from eventsys.badges.fit import NameBox, name_font_size, text_em
from eventsys.badges.render import direction

KEY = "test-secret-key"


def test_a_code_carries_only_the_nonce_and_its_signature():
    nonce = codes.new_nonce()
    code = codes.make_code(nonce, KEY)
    assert codes.nonce_from_code(code, KEY) == nonce
    assert code.isalnum() and code.isupper()  # QR alphanumeric mode; any keyboard layout
    assert len(code) == codes.CODE_LENGTH


def test_scanners_in_caps_lock_or_with_spaces_still_read():
    nonce = codes.new_nonce()
    code = codes.make_code(nonce, KEY)
    assert codes.nonce_from_code(" " + code.lower() + "\n", KEY) == nonce


def test_forged_truncated_foreign_and_empty_codes_are_refused():
    nonce = codes.new_nonce()
    code = codes.make_code(nonce, KEY)
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert codes.nonce_from_code(forged, KEY) is None
    assert codes.nonce_from_code(code[:-3], KEY) is None
    assert codes.nonce_from_code(code, "another-installation") is None
    assert codes.nonce_from_code("", KEY) is None
    assert codes.nonce_from_code(None, KEY) is None
    assert codes.nonce_from_code("EB1" + "Ə" * 40, KEY) is None


def test_nonces_are_random():
    assert len({codes.new_nonce() for _ in range(1000)}) == 1000


BOX = NameBox(width_mm=93, height_mm=27, max_pt=30, min_pt=14)


def test_short_names_get_the_largest_size_and_long_names_shrink():
    assert name_font_size("Ana Lima", BOX) == 30
    long = "Maria da Conceição Fernandes de Albuquerque e Vasconcelos Sá Pereira"
    assert name_font_size(long, BOX) < 30


def test_a_fitted_name_never_exceeds_its_box():
    for name in ["X" * 60, "Ab " * 60, "محمد " * 20, "श्रीवास्तव " * 12, "Wolfeschlegelsteinhausen"]:
        size = name_font_size(name, BOX)
        widest_word = max(text_em(w) for w in name.split()) * size / 72 * 25.4
        assert widest_word <= BOX.width_mm, name


def test_arabic_is_right_to_left():
    assert direction("محمد عبد الله") == "rtl"
    assert direction("Алексей") == "ltr"
    assert direction("123 محمد") == "rtl"


def test_the_qr_runs_paint_a_symbol_that_decodes_to_the_code():
    import zxingcpp
    from PIL import Image, ImageDraw

    from eventsys.badges import qr

    code = codes.make_code(codes.new_nonce(), "k")
    modules, runs = qr.dark_runs(code)
    scale, quiet = 4, 4
    image = Image.new("L", ((modules + 2 * quiet) * scale,) * 2, 255)
    draw = ImageDraw.Draw(image)
    for row, column, length in runs:
        x, y = (column + quiet) * scale, (row + quiet) * scale
        draw.rectangle([x, y, x + length * scale - 1, y + scale - 1], fill=0)
    [result] = zxingcpp.read_barcodes(image)
    assert result.text == code
    operators = qr.pdf_operators(code, 10, 20, 90).decode()
    assert operators.startswith("q ") and operators.endswith(" f Q")
    assert operators.count(" re") == len(runs)  # one path: a rectangle per run, filled once
