"""The applicant's mail at each step of a membership application: received, documents missing,
on the agenda, and the decision (the result in words and the minutes' excerpt). Through the
outbox, so a mail leaves only if the step it reports is committed; in the applicant's language
(their account's, else the event's)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.assembly.models import MembershipApplication, Poll
from eventsys.i18n import current_locale, mail_language
from eventsys.mail.services import queue_mail


def _to_applicant(
    session: Session, application: MembershipApplication, kind: str, subject_text, body
) -> None:
    applicant = (
        session.get(User, application.submitted_by_id) if application.submitted_by_id else None
    )
    assembly = application.assembly
    with mail_language(
        applicant.locale if applicant else None, assembly.event.default_locale, current_locale()
    ):
        subject = subject_text()
        text = (
            _("Dear %(name)s,", name=application.contact_name)
            + "\n\n"
            + body()
            + "\n\n"
            + _("Kind regards,\nThe board of %(network)s", network=assembly.network.name)
            + "\n"
        )
    queue_mail(
        session,
        to=application.contact_email,
        subject=subject,
        text=text,
        event_id=assembly.event_id,
        kind=kind,
    )


def application_received(session: Session, application: MembershipApplication) -> None:
    names = {
        "organisation": application.organisation.name,
        "network": application.assembly.network.name,
    }
    _to_applicant(
        session,
        application,
        "application_received",
        lambda: _("Your application to join %(network)s has arrived", **names),
        lambda: _(
            "We have received the application of %(organisation)s to join %(network)s. The "
            "board checks it and writes to you again.",
            **names,
        ),
    )


def documents_missing(session: Session, application: MembershipApplication) -> None:
    names = {
        "organisation": application.organisation.name,
        "network": application.assembly.network.name,
    }
    comment = application.board_comment

    def body() -> str:
        text = _(
            "The board has checked the application of %(organisation)s: documents are missing. "
            "Please add them so the application can go before the General Assembly.",
            **names,
        )
        return text + (("\n\n" + _("The board's note:") + "\n" + comment) if comment else "")

    _to_applicant(
        session,
        application,
        "application_incomplete",
        lambda: _("Your application to join %(network)s: documents missing", **names),
        body,
    )


def on_agenda(session: Session, application: MembershipApplication) -> None:
    assembly = application.assembly
    names = {
        "organisation": application.organisation.name,
        "network": assembly.network.name,
        "assembly": assembly.title,
        "date": assembly.held_on.isoformat(),
    }
    _to_applicant(
        session,
        application,
        "application_on_agenda",
        lambda: _("Your application is on the agenda of the %(assembly)s", **names),
        lambda: _(
            "The application of %(organisation)s is complete and on the agenda of the "
            "%(assembly)s on %(date)s, which decides on it by vote.",
            **names,
        ),
    )


def decision(session: Session, application: MembershipApplication, poll: Poll) -> None:
    assembly = application.assembly
    admitted = bool(poll.passed)
    names = {"organisation": application.organisation.name, "network": assembly.network.name}

    def body() -> str:
        verdict = (
            _(
                "The General Assembly has admitted %(organisation)s as a member of %(network)s.",
                **names,
            )
            if admitted
            else _(
                "The General Assembly has not admitted %(organisation)s as a member of "
                "%(network)s.",
                **names,
            )
        )
        excerpt = _(
            "From the minutes: %(motion)s. %(decision)s",
            motion=poll.motion.title,
            decision=poll.decision,
        )
        return verdict + "\n\n" + excerpt

    _to_applicant(
        session,
        application,
        "application_decided",
        lambda: (
            _("Welcome to %(network)s", **names)
            if admitted
            else _("The decision on your application to join %(network)s", **names)
        ),
        body,
    )
