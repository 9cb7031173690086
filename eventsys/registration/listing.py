"""The organisers' view of an event's registrations: filter, search, sort, page, count.

Everything here reads; one query per page of rows (the category comes in the same query), one
for the total and one for the counts, whatever the number of registrations.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, contains_eager

from eventsys.events.models import Category, Event
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration, search_fold
from eventsys.validation import db_int

PER_PAGE = 50
MAX_PER_PAGE = 500
MAX_SEARCH = 100

# Sort keys offered in the table header; each ends with the id so pages never overlap.
SORTS: dict[str, Any] = {
    "name": func.lower(Registration.display_name),
    "email": Registration.email,
    "organisation": func.lower(Registration.organisation_name),
    "country": Registration.country,
    "category": Category.position,
    "status": Registration.status,
    "registered": Registration.created_at,
}
DEFAULT_SORT = "registered"


@dataclass(frozen=True)
class RegistrationFilter:
    """What the organiser asked for; unknown or malformed values are ignored, never an error."""

    status: Status | None = None
    category_id: int | None = None
    country: str | None = None
    email_confirmed: bool | None = None
    search: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> RegistrationFilter:
        status = args.get("status") or ""
        category = args.get("category") or ""
        country = (args.get("country") or "").strip().upper()
        confirmed = args.get("email_confirmed") or ""
        sort = args.get("sort") or DEFAULT_SORT
        return cls(
            status=Status(status) if status in Status._value2member_map_ else None,
            category_id=db_int(category),
            country=country if len(country) == 2 and country.isalpha() else None,
            email_confirmed={"yes": True, "no": False}.get(confirmed),
            search=" ".join((args.get("q") or "").split())[:MAX_SEARCH],
            sort=sort if sort in SORTS else DEFAULT_SORT,
            descending=args.get("dir") == "desc",
        )

    def as_args(self, **changes: Any) -> dict[str, str]:
        """Query-string arguments for links (sorting, paging, exports) that keep the filter."""
        values = {
            "status": self.status.value if self.status else "",
            "category": str(self.category_id or ""),
            "country": self.country or "",
            "email_confirmed": {True: "yes", False: "no"}.get(self.email_confirmed, ""),  # type: ignore[arg-type]
            "q": self.search,
            "sort": self.sort if self.sort != DEFAULT_SORT else "",
            "dir": "desc" if self.descending else "",
        }
        values.update({k: str(v) for k, v in changes.items()})
        return {k: v for k, v in values.items() if v}


@dataclass
class Page:
    items: list[Registration]
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(math.ceil(self.total / self.per_page), 1)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filtered(event: Event, filt: RegistrationFilter) -> Select:
    """Registrations of the event matching the filter, joined to their category."""
    query = (
        select(Registration)
        .join(Category, Registration.category_id == Category.id)
        .where(Registration.event_id == event.id)
        .options(contains_eager(Registration.category))
    )
    if filt.status is not None:
        query = query.where(Registration.status == filt.status)
    if filt.category_id is not None:
        query = query.where(Registration.category_id == filt.category_id)
    if filt.country:
        query = query.where(Registration.country == filt.country)
    if filt.email_confirmed is True:
        query = query.where(Registration.email_confirmed_at.is_not(None))
    elif filt.email_confirmed is False:
        query = query.where(Registration.email_confirmed_at.is_(None))
    for word in search_fold(filt.search).split():
        query = query.where(Registration.search_key.like(f"%{_escape_like(word)}%", escape="\\"))
    return query


def ordered(query: Select, filt: RegistrationFilter) -> Select:
    key = SORTS[filt.sort]
    tie = Registration.id.desc() if filt.descending else Registration.id
    return query.order_by(key.desc() if filt.descending else key, tie)


def page_of_registrations(
    session: Session,
    event: Event,
    filt: RegistrationFilter,
    page: int = 1,
    per_page: int = PER_PAGE,
    *,
    clamp: bool = True,
) -> Page:
    """One page of the table. `clamp` shows the last page for a page past the end (people
    following an old link); API clients get an empty page instead, so their loops end."""
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    query = filtered(event, filt)
    total = session.execute(
        select(func.count()).select_from(query.with_only_columns(Registration.id).subquery())
    ).scalar_one()
    page = max(page, 1)
    if clamp:
        page = min(page, max(math.ceil(total / per_page), 1))
    items = (
        session.execute(ordered(query, filt).offset((page - 1) * per_page).limit(per_page))
        .unique()
        .scalars()
        .all()
    )
    return Page(list(items), total, page, per_page)


def all_matching(session: Session, event: Event, filt: RegistrationFilter) -> list[Registration]:
    """Every matching registration, in the table's order (exports)."""
    return list(session.execute(ordered(filtered(event, filt), filt)).unique().scalars())


@dataclass
class Counts:
    by_status: dict[str, int]
    # (category, {status: count}, total) in the event's category order, empty categories too
    by_category: list[tuple[Category, dict[str, int], int]]
    total: int


def counts(session: Session, event: Event) -> Counts:
    rows = session.execute(
        select(Registration.category_id, Registration.status, func.count())
        .where(Registration.event_id == event.id)
        .group_by(Registration.category_id, Registration.status)
    ).all()
    by_status = {status.value: 0 for status in Status}
    per_category: dict[int, dict[str, int]] = {}
    for category_id, status, number in rows:
        by_status[Status(status).value] += number
        per_category.setdefault(category_id, {})[Status(status).value] = number
    by_category = [
        (c, per_category.get(c.id, {}), sum(per_category.get(c.id, {}).values()))
        for c in event.categories
    ]
    return Counts(by_status, by_category, sum(by_status.values()))


def countries_in_use(session: Session, event: Event) -> list[str]:
    countries = session.execute(
        select(Registration.country)
        .where(Registration.event_id == event.id, Registration.country.is_not(None))
        .distinct()
        .order_by(Registration.country)
    ).scalars()
    return [country for country in countries if country is not None]
