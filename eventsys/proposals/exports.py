"""Proposals with their scores for organisers: CSV (UTF-8 with BOM) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from flask_babel import gettext as _

from eventsys.proposals.models import Call
from eventsys.proposals.reviews import Ranked

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def headers(call: Call) -> list[str]:
    return [
        _("No."),
        _("Title"),
        _("Format"),
        _("Track"),
        _("Language"),
        _("Submitter"),
        _("Organisation"),
        _("Co-organisers"),
        _("Speakers"),
        _("Status"),
        _("Reviews"),
        _("Mean score"),
        _("Lowest"),
        _("Highest"),
        _("Standard deviation"),
        *call.criteria,
    ]


def _score(value: float | None) -> str | float:
    return "" if value is None else round(value, 2)


def _criterion_means(entry: Ranked, criteria: list[str]) -> list[str | float]:
    result: list[str | float] = []
    for criterion in criteria:
        values = [r.scores[criterion] for r in entry.proposal.reviews if criterion in r.scores]
        result.append(_score(sum(values) / len(values) if values else None))
    return result


def rows(call: Call, ranked: Sequence[Ranked]) -> list[list[str | int | float]]:
    table: list[list[str | int | float]] = []
    for entry in ranked:
        p = entry.proposal
        table.append(
            [
                p.id,
                p.title,
                p.format,
                p.track,
                p.session_language,
                p.submitter_name,
                p.organisation_name,
                "; ".join(c["name"] for c in p.co_organisers or []),
                "; ".join(f"{s.name} <{s.email}>" if s.name else s.email for s in p.speakers),
                p.status.value,
                entry.reviews,
                _score(entry.mean),
                _score(entry.low),
                _score(entry.high),
                _score(entry.stdev),
                *_criterion_means(entry, call.criteria),
            ]
        )
    return table


def _neutralised(value: str | int | float) -> str | int | float:
    """Spreadsheets run cells starting with = + - @ as formulas; a quote keeps them text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(call: Call, ranked: Sequence[Ranked]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers(call))
    for row in rows(call, ranked):
        writer.writerow([_neutralised(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(call: Call, ranked: Sequence[Ranked]) -> bytes:
    from openpyxl import Workbook  # only when a workbook is asked for: it is slow to import
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook opens on one empty worksheet
    sheet.title = _("Proposals")[:31]
    sheet.append(headers(call))
    for row in rows(call, ranked):
        sheet.append([_neutralised(v) for v in row])
    sheet.freeze_panes = "A2"
    book.properties.title = call.event.title[:200]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
