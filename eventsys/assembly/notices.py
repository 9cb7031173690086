"""The Assembly's mails, through the outbox (sent once the transaction commits): personal links
to appoint a delegate or name a proxy, reminders, invitations to register. Each in the
recipient's language. (The applicant's mails are in services/applicant_mail.py.)"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.assembly.models import Assembly
from eventsys.assembly.preparation_models import DelegateLink
from eventsys.assembly.services.register_rights import preparation_of
from eventsys.i18n import current_locale, mail_language
from eventsys.mail.services import queue_mail
from eventsys.web.urls import external_url


def _deadline_text(session: Session, assembly: Assembly) -> str:
    deadline = preparation_of(session, assembly).deadline
    if deadline is None:
        return ""
    zone = assembly.event.timezone
    return deadline.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") + f" ({zone})"


def appointment_links(
    session: Session,
    assembly: Assembly,
    issued: list[tuple[DelegateLink, str]],
    *,
    reminder: bool,
) -> int:
    """One mail per (member, contact) with that contact's own link."""
    deadline = _deadline_text(session, assembly)
    sent = 0
    for link, token in issued:
        user = session.get(User, link.user_id)
        if user is None or not user.is_active:
            continue
        url = external_url("assembly.appoint", slug=assembly.event.slug, token=token)
        with mail_language(user.locale, assembly.event.default_locale):
            subject = (
                _(
                    "Reminder: who represents %(member)s at the %(assembly)s?",
                    member=link.right.member.name,
                    assembly=assembly.title,
                )
                if reminder
                else _(
                    "Who represents %(member)s at the %(assembly)s?",
                    member=link.right.member.name,
                    assembly=assembly.title,
                )
            )
            text = _(
                "Dear %(name)s,\n\n"
                "%(member)s holds a vote at the %(assembly)s on %(date)s. Please appoint its "
                "delegate: a person registered for the conference, or someone you invite to "
                "register. If nobody can come, name another member whose delegate carries the "
                "vote as proxy.\n\n"
                "Your personal link (do not pass it on):\n%(link)s\n\n"
                "You can change your choice until %(deadline)s.\n",
                name=user.display_name,
                member=link.right.member.name,
                assembly=assembly.title,
                date=assembly.held_on.isoformat(),
                link=url,
                deadline=deadline,
            )
        queue_mail(
            session,
            to=user.email,
            subject=subject,
            text=text,
            event_id=assembly.event_id,
            kind="assembly_reminder" if reminder else "assembly_appointment",
        )
        sent += 1
    return sent


def invite_delegate(session: Session, assembly: Assembly, email: str, member: str) -> None:
    url = external_url("registration.register", slug=assembly.event.slug)
    with mail_language(assembly.event.default_locale, current_locale()):
        subject = _("You are invited to represent %(member)s", member=member)
        text = _(
            "Hello,\n\n%(member)s would like you to be its delegate at the %(assembly)s on "
            "%(date)s. Please register for the conference first:\n%(link)s\n\n"
            "Once your registration is confirmed, you are appointed as its delegate, unless "
            "the member has chosen otherwise by then.\n",
            member=member,
            assembly=assembly.title,
            date=assembly.held_on.isoformat(),
            link=url,
        )
    queue_mail(
        session,
        to=email,
        subject=subject,
        text=text,
        event_id=assembly.event_id,
        kind="assembly_delegate_invitation",
    )
