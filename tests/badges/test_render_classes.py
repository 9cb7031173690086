"""Badge sizes and colours come as classes of one stylesheet per chunk (render.chunk_css)."""

from __future__ import annotations

from eventsys.badges.render import GEOMETRY, BadgeContent, EventLook, badge_html


def _badge(colour: str, name: str = "Ana Simões") -> BadgeContent:
    return BadgeContent(name=name, code="C0DE", category_label="Delegate", category_colour=colour)


def test_sizes_and_colours_are_classes_not_style_attributes():
    html = badge_html([_badge("#B04A2F"), _badge("#2f6f4f", "Ana")], "a6", EventLook("Conf"))
    assert "style=" not in html
    assert ".cb04a2f { background: #b04a2f }" in html
    assert ".c2f6f4f { background: #2f6f4f }" in html


def test_a_colour_that_is_no_hex_colour_cannot_add_rules():
    html = badge_html(
        [_badge("red } body { display: none"), _badge("#12345")], "a6", EventLook("Conf")
    )
    assert "display: none" not in html
    assert "#12345" not in html
    assert ".c2f6f4f { background: #2f6f4f }" in html  # both fall back to the default


def test_the_size_class_never_exceeds_the_fitted_size():
    from eventsys.badges.fit import fit_text
    from eventsys.badges.render import _size_class

    fitted = fit_text("Maximilian-Alexander Schwarzenberg-Hohenlohe", GEOMETRY["a6"].name)
    assert int(_size_class(fitted.size)[1:]) / 100 <= fitted.size
