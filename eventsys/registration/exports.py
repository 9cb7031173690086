"""CSV and XLSX exports of registrations: only what an organiser needs, safe in spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from eventsys.events.enums import QuestionKind
from eventsys.events.models import Event, Question
from eventsys.organisations.countries import country_name
from eventsys.registration.answers import plain_text
from eventsys.registration.models import Registration

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def answer_text(question: Question, value: Any) -> str:
    """One answer as text, for pages and badges (exports give each option its own column)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _split(question: Question) -> bool:
    return question.kind == QuestionKind.MULTIPLE_CHOICE and bool(question.options)


def _question_titles(question: Question) -> list[str]:
    """A multiple-choice question gets one column per option, "yes" where chosen: an option
    containing ";" or "," then needs no separator a spreadsheet would split on."""
    if _split(question):
        return [f"{question.label}: {option}" for option in question.options]
    return [question.label]


def _question_cells(question: Question, value: Any) -> list[str]:
    if _split(question):
        chosen = set(value if isinstance(value, list) else [] if value is None else [value])
        return ["yes" if option in chosen else "" for option in question.options]
    return [answer_text(question, value)]


def clean_cell(value: str) -> str:
    """No control characters (openpyxl refuses them, and they hide in a CSV): rows stored
    before answers were cleaned on the way in must not break the whole export."""
    return plain_text(value, multiline=True)


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
        *[title for q in event.questions for title in _question_titles(q)],
        f"Registered at ({event.timezone})",
    ]


def rows(event: Event, registrations: Iterable[Registration]) -> Iterable[list[str]]:
    questions = list(event.questions)
    for r in registrations:
        answers = r.answers or {}
        row = [
            r.display_name,
            r.latin_name or "",
            r.email,
            r.organisation_name,
            country_name(r.country) if r.country else "",
            r.category.label,
            r.status.value,
            *[cell for q in questions for cell in _question_cells(q, answers.get(str(q.id)))],
            local_stamp(r.created_at, event.timezone),
        ]
        yield [clean_cell(cell) for cell in row]


def neutralise(cell: str) -> str:
    """Prefix a quote so a spreadsheet shows '=1+1' as text instead of computing it."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def to_csv(event: Event, registrations: Iterable[Registration]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(clean_cell(t)) for t in header(event)])
    for row in rows(event, registrations):
        writer.writerow([neutralise(cell) for cell in row])
    # The BOM tells spreadsheet programs the file is UTF-8 (Cyrillic, accents).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(event: Event, registrations: Iterable[Registration]) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415  (heavy: only an export loads it)
    from openpyxl.cell.cell import TYPE_STRING  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415
    from openpyxl.worksheet.worksheet import Worksheet  # noqa: PLC0415

    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook opens on one empty worksheet
    sheet.title = "Registrations"
    titles = header(event)
    sheet.append([clean_cell(t) for t in titles])
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
