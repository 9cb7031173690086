"""CSV and XLSX exports of registrations: only what an organiser needs, safe in spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.utils import get_column_letter

from eventsys.events.models import Event, Question
from eventsys.organisations.countries import country_name
from eventsys.registration.models import Registration

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def answer_text(question: Question, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def local_stamp(instant: datetime | None, zone: str) -> str:
    if instant is None:
        return ""
    return instant.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def header(event: Event) -> list[str]:
    return [
        "Name",
        "Latin name",
        "E-mail",
        "Organisation",
        "Country",
        "Category",
        "Status",
        *[q.label for q in event.questions],
        f"Registered at ({event.timezone})",
    ]


def rows(event: Event, registrations: Iterable[Registration]) -> Iterable[list[str]]:
    questions = list(event.questions)
    for r in registrations:
        yield [
            r.display_name,
            r.latin_name or "",
            r.email,
            r.organisation_name,
            country_name(r.country) if r.country else "",
            r.category.label,
            r.status.value,
            *[answer_text(q, (r.answers or {}).get(str(q.id))) for q in questions],
            local_stamp(r.created_at, event.timezone),
        ]


def neutralise(cell: str) -> str:
    """Prefix a quote so a spreadsheet shows '=1+1' as text instead of computing it."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def to_csv(event: Event, registrations: Iterable[Registration]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header(event))
    for row in rows(event, registrations):
        writer.writerow([neutralise(cell) for cell in row])
    # The BOM tells spreadsheet programs the file is UTF-8 (Cyrillic, accents).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(event: Event, registrations: Iterable[Registration]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Registrations"
    titles = header(event)
    sheet.append(titles)
    for row in rows(event, registrations):
        sheet.append(row)
        # openpyxl stores a string starting with "=" as a formula; keep every cell plain text.
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = TYPE_STRING
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, title in enumerate(titles, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(title), 12) + 2, 40)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
