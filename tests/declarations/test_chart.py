from __future__ import annotations

import xml.etree.ElementTree as ET

from eventsys.declarations.chart import bar_chart_svg, top_rows

SVG = "{http://www.w3.org/2000/svg}"


def test_largest_first_and_the_rest_summed():
    rows = [("Chad", 1), ("Brazil", 9), ("India", 5), ("Fiji", 2), ("Azerbaijan", 9)]
    assert top_rows(rows, 3, "Other") == [("Azerbaijan", 9), ("Brazil", 9), ("Other", 8)]
    assert top_rows(rows, 5, "Other")[-1] == ("Chad", 1)


def test_bar_lengths_follow_the_counts_and_labels_are_escaped():
    svg = bar_chart_svg([("<script>", 10), ("Nepal", 5)], title="By country")
    root = ET.fromstring(str(svg))  # well-formed XML: the label cannot inject markup
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths[0] == 2 * widths[1] > 0
    assert "<script>" not in str(svg) and "&lt;script&gt;" in str(svg)
    assert root.find(f"{SVG}title").text == "By country"


def test_no_rows_is_still_a_valid_empty_chart():
    root = ET.fromstring(str(bar_chart_svg([], title="None")))
    assert list(root.iter(f"{SVG}rect")) == []
