"""The register as a file: read CSV or XLSX, plan what an import changes, apply it whole, export.

The file's columns (a header row, any order, case ignored):
    code, name, short_name, kind, country, city, member_since, status, weight
Only `name` and `kind` are required. A row is matched to a member by `code` (the network's
member number) when it has one, else by name and country. The preview lists new, changed,
unchanged and ended members and every fault by row and column; the import applies only a plan
without faults, in the caller's one transaction.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from eventsys.errors import ServiceError
from eventsys.organisations import register
from eventsys.organisations.countries import is_country
from eventsys.organisations.models import (
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
)

COLUMNS = (
    "code",
    "name",
    "short_name",
    "kind",
    "country",
    "city",
    "member_since",
    "status",
    "weight",
)
MAX_ROWS = 20_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    reason: str


@dataclass
class PlannedRow:
    row: int
    data: register.MemberData
    membership: Membership | None = None
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class Plan:
    new: list[PlannedRow] = field(default_factory=list)
    changed: list[PlannedRow] = field(default_factory=list)
    unchanged: list[PlannedRow] = field(default_factory=list)
    ended: list[Membership] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


# --- Reading -------------------------------------------------------------------------------


def read_rows(filename: str, data: bytes) -> list[dict[str, Any]]:
    """The file's rows as {column: value}, each with its row number under "_row"."""
    if filename.lower().endswith(".xlsx"):
        table = _xlsx_table(data)
    elif filename.lower().endswith((".csv", ".txt")):
        table = _csv_table(data)
    else:
        raise ServiceError(_("Please upload a CSV or XLSX file."), field="file")
    if not table:
        raise ServiceError(_("The file is empty."), field="file")
    header = [str(cell or "").strip().lower().replace(" ", "_") for cell in table[0]]
    if "name" not in header:
        raise ServiceError(_("The first row must name the columns, with at least “name”."))
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise ServiceError(_("Unknown column: %(names)s.", names=", ".join(unknown)), field="file")
    if len(table) - 1 > MAX_ROWS:
        raise ServiceError(_("At most %(num)s rows in one file.", num=MAX_ROWS), field="file")
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(str(c or "").strip() for c in cells):
            continue  # blank lines between blocks are not members
        row: dict[str, Any] = {"_row": number}
        for name, cell in zip(header, cells, strict=False):
            if name:
                row[name] = cell
        rows.append(row)
    return rows


def _csv_table(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(_("Please save the CSV file as UTF-8."), field="file") from None
    first = text.split("\n", 1)[0]
    # Spreadsheets in much of Europe save CSV with semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_table(data: bytes) -> list[list[Any]]:
    # Heavy (openpyxl, not at module level: TID253): only imports and exports need it.
    from openpyxl import load_workbook  # noqa: PLC0415
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise ServiceError(_("This is not an XLSX file Excel can open."), field="file") from None
    sheet = workbook.worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return table


# --- Planning ------------------------------------------------------------------------------


def _text(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if text.startswith("'") and text[1:2] in FORMULA_START:
        text = text[1:]  # our own export's guard against formulas
    return text


def parse_row(row: dict[str, Any], errors: list[RowError]) -> register.MemberData | None:
    number = row["_row"]
    before = len(errors)

    def fault(column: str, reason: str) -> None:
        errors.append(RowError(number, column, reason))

    name = _text(row.get("name"))
    if not name:
        fault("name", _("The name is missing."))
    elif len(name) > 300:
        fault("name", _("The name is longer than 300 characters."))
    kind_text = _text(row.get("kind")).lower() or "municipality"
    kind = next((k for k in OrganisationKind if k.value == kind_text), None)
    if kind is None:
        fault("kind", _("Unknown kind “%(kind)s”.", kind=kind_text[:40]))
    country = _text(row.get("country")).upper() or None
    if country and not is_country(country):
        fault("country", _("Unknown country code “%(code)s”.", code=country[:10]))
    since = _date(row.get("member_since"))
    if since is _NOT_A_DATE:
        fault("member_since", _("Not a date: write it as 2024-03-14."))
    status_text = _text(row.get("status")).lower() or "active"
    status = next((s for s in MembershipStatus if s.value == status_text), None)
    if status is None:
        fault("status", _("The status is active, suspended or left."))
    weight_text = _text(row.get("weight")) or "1"
    weight = int(float(weight_text)) if _is_whole(weight_text) else 0
    if not 1 <= weight <= 10_000:
        fault("weight", _("A weight is a whole number of at least 1."))
    code = _text(row.get("code"))[:40] or None
    if len(errors) > before or kind is None or status is None or isinstance(since, str):
        return None
    return register.MemberData(
        name=name,
        kind=kind,
        country=country,
        city=_text(row.get("city")) or None,
        short_name=_text(row.get("short_name")) or None,
        code=code,
        member_since=since,
        status=status,
        weight=weight,
    )


def _is_whole(text: str) -> bool:
    try:
        return float(text).is_integer()
    except ValueError:
        return False


_NOT_A_DATE = "not a date"


def _date(value: Any) -> date | None | str:
    """A date, None for an empty cell, _NOT_A_DATE for something else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return _NOT_A_DATE


def _key(name: str, country: str | None) -> tuple[str, str]:
    return name.casefold(), (country or "").upper()


def plan_import(
    session: Session, network: Organisation, rows: Iterable[dict[str, Any]], *, end_missing: bool
) -> Plan:
    plan = Plan()
    current = register.members(session, network, include_left=True)
    by_code = {m.code: m for m in current if m.code}
    by_name = {_key(m.member.name, m.member.country): m for m in current}
    seen: dict[Any, int] = {}
    matched: set[int] = set()
    for row in rows:
        data = parse_row(row, plan.errors)
        if data is None:
            continue
        key: Any = ("code", data.code) if data.code else _key(data.name, data.country)
        if key in seen:
            plan.errors.append(
                RowError(
                    row["_row"],
                    "code" if data.code else "name",
                    _("The same member as row %(row)s.", row=seen[key]),
                )
            )
            continue
        seen[key] = row["_row"]
        membership = (by_code.get(data.code) if data.code else None) or by_name.get(
            _key(data.name, data.country)
        )
        if membership is None:
            plan.new.append(PlannedRow(row["_row"], data))
            continue
        matched.add(membership.id)
        changes = _changes(membership, data)
        planned = PlannedRow(row["_row"], data, membership, changes)
        (plan.changed if changes else plan.unchanged).append(planned)
    if end_missing:
        plan.ended = [
            m for m in current if m.id not in matched and m.status != MembershipStatus.LEFT
        ]
    return plan


def _changes(membership: Membership, data: register.MemberData) -> dict[str, tuple[str, str]]:
    member = membership.member
    pairs = {
        "code": (membership.code, data.code),
        "name": (member.name, data.name),
        "short_name": (member.short_name, data.short_name),
        "kind": (member.kind.value, data.kind.value),
        "country": (member.country, data.country),
        "city": (member.city, data.city),
        "member_since": (
            membership.started_on.isoformat(),
            data.member_since.isoformat()
            if data.member_since
            else membership.started_on.isoformat(),
        ),
        "status": (membership.status.value, data.status.value),
        "weight": (str(membership.weight), str(data.weight)),
    }
    if data.code is None:
        pairs.pop("code")  # a file without member numbers does not erase them
    return {
        name: (old or "", new or "")
        for name, (old, new) in pairs.items()
        if (old or "") != (new or "")
    }


def apply_import(session: Session, network: Organisation, plan: Plan, *, today: date) -> Plan:
    """All or nothing: a plan with faults changes nothing; the caller commits or rolls back."""
    if plan.errors:
        raise ServiceError(_("The file has errors; correct them and upload it again."))
    for planned in plan.changed:
        assert planned.membership is not None
        register.update_member(session, planned.membership, planned.data, today=today)
    for planned in plan.new:
        register.add_member(session, network, planned.data, today=today)
    for membership in plan.ended:
        register.end_membership(session, membership, on=today)
    return plan


# --- Export --------------------------------------------------------------------------------


def export_rows(session: Session, network: Organisation) -> list[list[str]]:
    rows = []
    for m in register.members(session, network, include_left=True):
        member = m.member
        rows.append(
            [
                m.code or "",
                member.name,
                member.short_name or "",
                member.kind.value,
                member.country or "",
                member.city or "",
                m.started_on.isoformat(),
                m.status.value,
                str(m.weight),
            ]
        )
    return rows


def _safe(cell: str) -> str:
    """A quote before what a spreadsheet would compute ('=1+1' stays text)."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def to_csv(session: Session, network: Organisation) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows([_safe(c) for c in row] for row in export_rows(session, network))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(session: Session, network: Organisation) -> bytes:
    from openpyxl import Workbook  # only imports and exports need it

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Members")
    sheet.append(list(COLUMNS))
    for row in export_rows(session, network):
        sheet.append([_safe(c) for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
