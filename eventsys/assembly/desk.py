"""The chair's desk at any size: one page of voting rights at a time with the Assembly's totals,
and small look-ups (delegates by name or e-mail, members by name) instead of menus that list
every registration in every row."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from eventsys.assembly.models import Assembly, VotingRight
from eventsys.assembly.presence import REMOTE
from eventsys.assembly.services import presence_modes
from eventsys.errors import NotFound, ServiceError
from eventsys.organisations.models import Organisation
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration

PER_PAGE = 50
SUGGESTIONS = 20


@dataclass
class RightRow:
    right_id: int
    member: str
    weight: int
    delegate_registration_id: int | None
    delegate_name: str = ""
    delegate_email: str = ""
    proxy_holder_id: int | None = None
    proxy_holder_member: str = ""
    present: bool = False
    remote: bool = False  # present online, not in the hall (the delegate's, or the holder's)
    proxies_held: int = 0


@dataclass
class RightsPage:
    rows: list[RightRow]
    page: int
    pages: int
    matching: int
    entitled: int
    entitled_weight: int
    present: int
    present_weight: int


def rights_page(
    session: Session, assembly: Assembly, *, search: str = "", page: int = 1
) -> RightsPage:
    """The totals over every right (a handful of narrow queries), the rows of one page sorted by
    member name, filtered by a part of the member's or the delegate's name."""
    rights = session.execute(
        select(
            VotingRight.id,
            Organisation.name,
            VotingRight.weight,
            VotingRight.delegate_registration_id,
            VotingRight.proxy_holder_id,
        )
        .join(Organisation, Organisation.id == VotingRight.member_id)
        .where(VotingRight.assembly_id == assembly.id)
    ).all()
    modes = presence_modes(session, assembly.id, assembly.event_id)
    delegate_of = {right_id: delegate for right_id, _n, _w, delegate, _p in rights}
    held: dict[int, int] = {}
    rows = []
    for right_id, name, weight, delegate, holder in rights:
        if holder:
            held[holder] = held.get(holder, 0) + 1
        carrier = delegate_of.get(holder) if holder else delegate
        rows.append(
            RightRow(
                right_id,
                name,
                weight,
                delegate,
                proxy_holder_id=holder,
                present=carrier is not None and carrier in modes,
                remote=carrier is not None and modes.get(carrier) == REMOTE,
            )
        )
    present_rows = [row for row in rows if row.present]
    rows.sort(key=lambda row: row.member.casefold())
    matching = _matching(session, rows, search.strip())
    pages = max(1, -(-len(matching) // PER_PAGE))
    page = min(max(page, 1), pages)
    shown = matching[(page - 1) * PER_PAGE : page * PER_PAGE]
    _fill_details(session, shown, {row.right_id: row.member for row in rows}, held)
    return RightsPage(
        rows=shown,
        page=page,
        pages=pages,
        matching=len(matching),
        entitled=len(rows),
        entitled_weight=sum(row.weight for row in rows),
        present=len(present_rows),
        present_weight=sum(row.weight for row in present_rows),
    )


def _matching(session: Session, rows: list[RightRow], search: str) -> list[RightRow]:
    if not search:
        return rows
    needle = search.casefold()
    delegates = (
        set(
            session.execute(
                select(Registration.id).where(
                    Registration.id.in_(
                        [r.delegate_registration_id for r in rows if r.delegate_registration_id]
                        or [0]
                    ),
                    or_(
                        Registration.display_name.ilike(f"%{_escape(search)}%", escape="\\"),
                        Registration.email.ilike(f"%{_escape(search)}%", escape="\\"),
                    ),
                )
            ).scalars()
        )
        if len(needle) >= 2
        else set()
    )
    return [
        row
        for row in rows
        if needle in row.member.casefold() or row.delegate_registration_id in delegates
    ]


def _fill_details(
    session: Session, rows: list[RightRow], members: dict[int, str], held: dict[int, int]
) -> None:
    """Names and e-mails of the shown rows' delegates: one query for the page, not per row."""
    ids = [row.delegate_registration_id for row in rows if row.delegate_registration_id]
    people = {
        registration_id: (name, email)
        for registration_id, name, email in session.execute(
            select(Registration.id, Registration.display_name, Registration.email).where(
                Registration.id.in_(ids or [0])
            )
        )
    }
    for row in rows:
        if row.delegate_registration_id in people:
            row.delegate_name, row.delegate_email = people[row.delegate_registration_id]
        if row.proxy_holder_id:
            row.proxy_holder_member = members.get(row.proxy_holder_id, "")
        row.proxies_held = held.get(row.right_id, 0)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def suggest_delegates(session: Session, event_id: int, search: str) -> list[dict[str, str]]:
    """Confirmed registrations whose name or e-mail contains the text: a few, for a datalist."""
    search = search.strip()
    if len(search) < 2:
        return []
    pattern = f"%{_escape(search)}%"
    rows = session.execute(
        select(Registration.display_name, Registration.email)
        .where(
            Registration.event_id == event_id,
            Registration.status == Status.CONFIRMED,
            or_(
                Registration.display_name.ilike(pattern, escape="\\"),
                Registration.email.ilike(pattern, escape="\\"),
            ),
        )
        .order_by(Registration.display_name)
        .limit(SUGGESTIONS)
    )
    return [{"name": name, "email": email} for name, email in rows]


def suggest_members(session: Session, assembly: Assembly, search: str) -> list[dict[str, str]]:
    search = search.strip()
    if len(search) < 2:
        return []
    rows = session.execute(
        select(Organisation.name)
        .join(VotingRight, VotingRight.member_id == Organisation.id)
        .where(
            VotingRight.assembly_id == assembly.id,
            Organisation.name.ilike(f"%{_escape(search)}%", escape="\\"),
        )
        .order_by(Organisation.name)
        .limit(SUGGESTIONS)
    )
    return [{"name": name} for (name,) in rows]


def delegate_by_email(session: Session, event_id: int, email: str) -> Registration | None:
    """The confirmed registration a delegate field names by e-mail; empty means no delegate."""
    email = email.strip()
    if not email:
        return None
    found = session.execute(
        select(Registration)
        .where(
            Registration.event_id == event_id,
            Registration.status == Status.CONFIRMED,
            func.lower(Registration.email) == email.lower(),
        )
        .order_by(Registration.id)
        .limit(1)
    ).scalar_one_or_none()
    if found is None:
        raise ServiceError(
            _("No confirmed registration at this event has the e-mail %(email)s.", email=email),
            field="delegate",
        )
    return found


def right_by_member_name(session: Session, assembly: Assembly, name: str) -> VotingRight | None:
    """The voting right a proxy field names by its member's name; empty means no proxy."""
    name = name.strip()
    if not name:
        return None
    found = list(
        session.execute(
            select(VotingRight)
            .join(Organisation, Organisation.id == VotingRight.member_id)
            .where(
                VotingRight.assembly_id == assembly.id,
                func.lower(Organisation.name) == name.lower(),
            )
            .limit(2)
        ).scalars()
    )
    if not found:
        raise NotFound(_("No member of this Assembly is called %(name)s.", name=name))
    if len(found) > 1:
        raise ServiceError(_("Several members are called %(name)s.", name=name), field="holder")
    return found[0]
