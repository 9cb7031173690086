"""All signatures of a declaration for its organisers: CSV (UTF-8 with BOM) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from eventsys.declarations.labels import SIGNATURE_KIND_LABELS, SIGNATURE_STATUS_LABELS
from eventsys.declarations.models import Signature
from eventsys.organisations.countries import country_name

COLUMN_WIDTHS = (7, 13, 30, 34, 8, 22, 32, 8, 11, 17, 17, 17)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def headers() -> list[str]:
    return [
        _("No."),
        _("Kind"),
        _("Name"),
        _("Organisation"),
        _("Country code"),
        _("Country"),
        _("E-mail"),
        _("Public"),
        _("Status"),
        _("Signed at"),
        _("Confirmed at"),
        _("Withdrawn at"),
    ]


def _local(value: datetime | None, zone: str) -> str:
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") if value else ""


def rows(signatures: Sequence[Signature], zone: str, locale: str) -> list[list[str | int]]:
    return [
        [
            s.id,
            str(SIGNATURE_KIND_LABELS[s.kind]),
            s.display_name,
            s.organisation_name,
            s.country or "",
            country_name(s.country, locale),
            s.email or "",
            _("yes") if s.is_public else _("no"),
            str(SIGNATURE_STATUS_LABELS[s.status]),
            _local(s.created_at, zone),
            _local(s.confirmed_at, zone),
            _local(s.withdrawn_at, zone),
        ]
        for s in signatures
    ]


def _neutralised(value: str | int) -> str | int:
    """Spreadsheets run cells starting with = + - @ as formulas; a quote keeps them text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(signatures: Sequence[Signature], zone: str, locale: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for row in rows(signatures, zone, locale):
        writer.writerow([_neutralised(v) for v in row])
    # The BOM makes spreadsheet programs read the file as UTF-8 (names in any script).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(signatures: Sequence[Signature], zone: str, locale: str, title: str) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415  (heavy: only an export loads it)
    from openpyxl.worksheet.worksheet import Worksheet  # noqa: PLC0415

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook opens on one empty worksheet
    sheet.title = _("Signatures")[:31]
    sheet.append(headers())
    for row in rows(signatures, zone, locale):
        sheet.append([_neutralised(v) for v in row])
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJKL", COLUMN_WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    book.properties.title = title[:200]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
