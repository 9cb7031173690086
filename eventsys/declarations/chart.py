"""A horizontal bar chart as inline SVG, rendered on the server (no scripts, no database)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

ROW_HEIGHT = 22
LABEL_WIDTH = 150
WIDTH = 480
VALUE_WIDTH = 44
TOP = 8


def top_rows(
    rows: Sequence[tuple[str, int]], limit: int, other_label: str | None = None
) -> list[tuple[str, int]]:
    """The `limit` largest rows (ties by label); with `other_label`, the rest summed into one
    last row (without, the rest is left out: a page shows it in a table)."""
    ordered = sorted(rows, key=lambda row: (-row[1], row[0]))
    if len(ordered) <= limit:
        return list(ordered)
    if other_label is None:
        return ordered[:limit]
    head, tail = ordered[: limit - 1], ordered[limit - 1 :]
    return [*head, (other_label, sum(count for _, count in tail))]


def _truncate(label: str, size: int = 22) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def bar_chart_svg(
    rows: Sequence[tuple[str, int]],
    *,
    title: str,
    limit: int = 25,
    other_label: str | None = None,
) -> Markup:
    """Bars for (label, count) rows, largest first; labels are escaped."""
    shown = top_rows(rows, limit, other_label)
    height = TOP * 2 + ROW_HEIGHT * max(len(shown), 1)
    largest = max((count for _, count in shown), default=0) or 1
    bar_space = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, count) in enumerate(shown):
        y = TOP + index * ROW_HEIGHT
        width = round(bar_space * count / largest, 1)
        parts.append(
            f'<g class="bar"><text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" '
            f'font-size="13">{escape(_truncate(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width}" height="{ROW_HEIGHT - 6}" '
            f'rx="2" fill="#1f6f43"><title>{escape(label)}: {count}</title></rect>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 15}" font-size="13">{count}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
