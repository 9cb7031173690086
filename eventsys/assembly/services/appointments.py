"""Before the meeting: members' contacts appoint their delegate or name a proxy online.

The chair sets a deadline and sends the invitations: each contact of each member with a voting
right gets a mail with a personal link (a random token; only its SHA-256 is stored, so a new
mail makes a new link and the old one stops working). Through it the contact appoints a person
registered for the conference as delegate (or invites someone to register) or, if nobody can
come, names another member as proxy, under the same rules as the chair's desk (no chains, the
statutes' maximum per holder, serialised by the Assembly's lock). Until the deadline; after it,
refused with the date in the message.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from eventsys.assembly.models import Assembly, VotingRight
from eventsys.assembly.preparation_models import DelegateLink
from eventsys.assembly.services.audit import append_audit
from eventsys.assembly.services.locking import lock_assembly
from eventsys.assembly.services.register_rights import preparation_of
from eventsys.assembly.services.rights import appoint_delegate, right_of, set_proxy
from eventsys.db import utcnow
from eventsys.errors import Conflict, NotFound, ServiceError
from eventsys.organisations.contacts import contact_user_ids
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def set_deadline(
    session: Session, assembly: Assembly, deadline: datetime, *, actor_id: int | None = None
) -> None:
    """`deadline` is an aware instant (the form converts from the event's time zone)."""
    if deadline > assembly.event.ends_at:
        raise ServiceError(
            _("The deadline must come before the end of the event."), field="deadline"
        )
    preparation_of(session, assembly).deadline = deadline
    append_audit(session, assembly, "deadline", {"deadline": deadline.isoformat()}, actor_id)
    session.flush()


def check_open(session: Session, assembly: Assembly, now: datetime) -> None:
    deadline = preparation_of(session, assembly).deadline
    if deadline is None:
        raise Conflict(_("The chair has not opened appointments online yet."))
    if now >= deadline:
        zone = assembly.event.timezone
        when = deadline.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") + " (" + zone + ")"
        raise Conflict(
            _(
                "The deadline passed on %(when)s: delegates and proxies can no longer be named "
                "online. Please write to the chair.",
                when=when,
            ),
            code="deadline_passed",
        )


def issue_links(
    session: Session,
    assembly: Assembly,
    *,
    only_not_acted: bool,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> list[tuple[DelegateLink, str]]:
    """A fresh link for each contact of each member (or of each member that has not acted):
    returns (link, token) pairs for the mails; the tokens themselves are never stored."""
    check_open(session, assembly, now or utcnow())
    lock_assembly(session, assembly)
    waiting = {r.id for r in not_acted(session, assembly)} if only_not_acted else None
    issued: list[tuple[DelegateLink, str]] = []
    existing = {
        (link.right_id, link.user_id): link
        for link in session.execute(
            select(DelegateLink).where(DelegateLink.assembly_id == assembly.id)
        ).scalars()
    }
    for right in assembly.rights:
        if waiting is not None and right.id not in waiting:
            continue
        for user_id in contact_user_ids(session, right.member_id):
            token = secrets.token_urlsafe(32)
            link = existing.get((right.id, user_id))
            if link is None:
                link = DelegateLink(assembly_id=assembly.id, right_id=right.id, user_id=user_id)
                session.add(link)
            elif only_not_acted:
                link.reminded_at = utcnow()
            link.token_digest = token_digest(token)
            link.sent_at = link.sent_at or utcnow()
            issued.append((link, token))
    append_audit(
        session,
        assembly,
        "reminders_sent" if only_not_acted else "invitations_sent",
        {"links": len(issued)},
        actor_id,
    )
    session.flush()
    return issued


def link_for(session: Session, assembly: Assembly, token: str) -> DelegateLink:
    """The link a token opens, at this Assembly only; anything else is unknown."""
    link = session.execute(
        select(DelegateLink).where(DelegateLink.token_digest == token_digest(token[:200]))
    ).scalar_one_or_none()
    if link is None or link.assembly_id != assembly.id:
        raise NotFound(_("This link is not valid; it may have been replaced by a newer mail."))
    return link


def not_acted(session: Session, assembly: Assembly) -> list[VotingRight]:
    """Members with neither delegate nor proxy whose contacts have not used their link."""
    acted = set(
        session.execute(
            select(DelegateLink.right_id).where(
                DelegateLink.assembly_id == assembly.id, DelegateLink.acted_at.is_not(None)
            )
        ).scalars()
    )
    return [
        right
        for right in assembly.rights
        if right.id not in acted
        and right.delegate_registration_id is None
        and right.proxy_holder_id is None
    ]


def confirmed_registration(session: Session, assembly: Assembly, email: str) -> Registration | None:
    return session.execute(
        select(Registration)
        .where(
            Registration.event_id == assembly.event_id,
            Registration.status == Status.CONFIRMED,
            func.lower(Registration.email) == email.strip().lower(),
        )
        .order_by(Registration.id)
        .limit(1)
    ).scalar_one_or_none()


def appoint_online(
    session: Session, assembly: Assembly, link: DelegateLink, email: str, *, now: datetime
) -> Registration | None:
    """The member's delegate: a person registered for the conference. Someone not registered
    is noted as invited (the caller mails them) and None is returned."""
    email = (email or "").strip()
    if "@" not in email or len(email) > 254:
        raise ServiceError(_("Please give the delegate's e-mail address."), field="email")
    lock_assembly(session, assembly)
    check_open(session, assembly, now)
    right = link.right
    registration = confirmed_registration(session, assembly, email)
    if registration is None:
        link.invited_email = email
        link.acted_at = utcnow()
        session.flush()
        return None
    if right.proxy_holder_id is not None:
        set_proxy(session, assembly, right, None, actor_id=link.user_id)
    appoint_delegate(session, assembly, right, registration, actor_id=link.user_id)
    link.invited_email = None
    link.acted_at = utcnow()
    session.flush()
    return registration


def proxy_online(
    session: Session,
    assembly: Assembly,
    link: DelegateLink,
    holder_id: int | None,
    *,
    now: datetime,
) -> VotingRight:
    """Nobody of the member can come: another member's delegate carries its vote (None withdraws).
    The member's own delegate, if any, is released first."""
    lock_assembly(session, assembly)
    check_open(session, assembly, now)
    giver = link.right
    holder = right_of(session, assembly, holder_id) if holder_id else None
    if holder is not None and giver.delegate_registration_id is not None:
        appoint_delegate(session, assembly, giver, None, actor_id=link.user_id)
    set_proxy(session, assembly, giver, holder, actor_id=link.user_id)
    link.acted_at = utcnow()
    session.flush()
    return giver


def proxy_choices(session: Session, assembly: Assembly, giver: VotingRight) -> list[dict[str, Any]]:
    """Members whose delegate may carry a proxy now: appointed, not giving their own away."""
    held: dict[int, int] = {}
    for right in assembly.rights:
        if right.proxy_holder_id:
            held[right.proxy_holder_id] = held.get(right.proxy_holder_id, 0) + 1
    return [
        {"id": r.id, "name": r.member.name, "full": held.get(r.id, 0) >= assembly.max_proxies}
        for r in sorted(assembly.rights, key=lambda r: r.member.name)
        if r.id != giver.id and r.delegate_registration_id is not None and r.proxy_holder_id is None
    ]


def on_registration_confirmed(registration: Registration, *, session: Session, **_: Any) -> None:
    """registration.signals.registration_confirmed: an invited delegate has registered."""
    appoint_invited(session, registration)


def appoint_invited(
    session: Session, registration: Registration, *, now: datetime | None = None
) -> list[VotingRight]:
    """Someone a member's contact invited by e-mail (appoint_online) now holds a confirmed
    place: they become that member's delegate, as the contact asked, while appointments are
    open and if the member has named nobody since. Otherwise the invitation stays, for the
    contact or the chair to settle. Returns the rights they now carry."""
    links = session.execute(
        _invitations_statement(),
        {"event_id": registration.event_id, "email": registration.email.strip().lower()},
    ).scalars()
    appointed = (_appoint_invited(session, link, registration, now) for link in links)
    return [right for right in appointed if right is not None]


def _appoint_invited(
    session: Session, link: DelegateLink, registration: Registration, now: datetime | None
) -> VotingRight | None:
    assembly = session.get(Assembly, link.assembly_id)
    right = link.right
    if assembly is None or right.delegate_registration_id or right.proxy_holder_id:
        return None
    try:
        check_open(session, assembly, now or utcnow())
        with session.begin_nested():  # a refusal leaves the registration's transaction whole
            appoint_delegate(session, assembly, right, registration, actor_id=link.user_id)
    except ServiceError:  # the deadline passed, or they already represent another member
        return None
    link.invited_email = None
    session.flush()
    return right


@functools.cache
def _invitations_statement() -> Any:
    """Built once: it runs for every confirmed registration, and finds nothing for almost all."""
    return (
        select(DelegateLink)
        .join(Assembly, Assembly.id == DelegateLink.assembly_id)
        .where(
            Assembly.event_id == bindparam("event_id"),
            func.lower(DelegateLink.invited_email) == bindparam("email"),
        )
        .order_by(DelegateLink.id)
    )
