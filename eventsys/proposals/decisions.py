"""The organiser's decisions: accept, reject or waitlist, the mails they send, and accepted
proposals becoming unscheduled sessions of the programme."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.accounts.services import find_user_by_email
from eventsys.db import utcnow
from eventsys.errors import Conflict, ServiceError
from eventsys.programme.models import SessionKind, Track
from eventsys.programme.unscheduled import UnscheduledData, create_unscheduled
from eventsys.proposals import notifications
from eventsys.proposals.models import DECISIONS, Call, Proposal, ProposalSpeaker, ProposalStatus

STATUS_OF = {
    "accept": ProposalStatus.ACCEPTED,
    "reject": ProposalStatus.REJECTED,
    "waitlist": ProposalStatus.WAITLISTED,
}
KIND_OF_FORMAT = {
    "workshop": SessionKind.WORKSHOP,
    "panel": SessionKind.PANEL,
    "side_event": SessionKind.WORKSHOP,
    "poster": SessionKind.WORKSHOP,
}
MAX_SUBJECT, MAX_BODY = 200, 10000


def default_template(decision: str) -> tuple[str, str]:
    if decision == "accept":
        return (
            _("Your proposal “{title}” is accepted"),
            _(
                "Dear {name},\n\nwe are glad to tell you that your proposal “{title}” is accepted"
                " for {event}. We will write to you about its room and time.\n"
            ),
        )
    if decision == "waitlist":
        return (
            _("Your proposal “{title}” is on the waiting list"),
            _(
                "Dear {name},\n\nyour proposal “{title}” for {event} is on the waiting list. We"
                " will write to you if a place opens.\n"
            ),
        )
    return (
        _("Your proposal “{title}”"),
        _(
            "Dear {name},\n\nthank you for your proposal “{title}” for {event}. We received many"
            " more than the programme has room for, and could not accept it.\n"
        ),
    )


def mail_template(call: Call, decision: str) -> tuple[str, str]:
    saved = (call.mail_templates or {}).get(decision) or {}
    subject, body = default_template(decision)
    return saved.get("subject") or subject, saved.get("body") or body


def save_mail_template(call: Call, decision: str, subject: str, body: str) -> None:
    if decision not in DECISIONS:
        raise ServiceError(_("Please choose accept, reject or waitlist."), field="decision")
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject or len(subject) > MAX_SUBJECT:
        raise ServiceError(_("Please give a subject of at most 200 characters."), field="subject")
    if not body or len(body) > MAX_BODY:
        raise ServiceError(_("Please write the message."), field="body")
    templates = dict(call.mail_templates or {})
    templates[decision] = {"subject": subject, "body": body}
    call.mail_templates = templates  # a new dict: the JSON column notices the change


def decide(session: Session, proposal: Proposal, decision: str) -> Proposal:
    """Record the decision and mail the submitter; an acceptance adds the session unscheduled.

    A waitlisted proposal may still be accepted or rejected; other decisions are final."""
    if decision not in STATUS_OF:
        raise ServiceError(_("Please choose accept, reject or waitlist."), field="decision")
    if proposal.status not in (ProposalStatus.SUBMITTED, ProposalStatus.WAITLISTED):
        raise Conflict(_("This proposal was withdrawn or already decided."))
    if STATUS_OF[decision] == proposal.status:
        raise Conflict(_("This proposal is already on the waiting list."))
    proposal.status, proposal.decided_at = STATUS_OF[decision], utcnow()
    if decision == "accept":
        _to_programme(session, proposal)
    submitter = session.get(User, proposal.submitter_id) if proposal.submitter_id else None
    if submitter is not None:
        template = mail_template(proposal.call, decision)
        notifications.send_decision(session, proposal, decision, template, submitter.email)
    session.flush()
    return proposal


def _track_id(session: Session, event_id: int, name: str) -> int | None:
    if not name:
        return None
    return session.execute(
        select(Track.id).where(Track.event_id == event_id, Track.name == name)
    ).scalar_one_or_none()


def _speaker_user(session: Session, speaker: ProposalSpeaker) -> int | None:
    """The speaker's account: the one that confirmed, else one whose confirmed address it is,
    so the session shows in that person's agenda."""
    if speaker.user_id is not None:
        return speaker.user_id
    user = find_user_by_email(session, speaker.email)
    if user is None or user.email_confirmed_at is None or not user.is_active:
        return None
    return user.id


def _to_programme(session: Session, proposal: Proposal) -> None:
    event = proposal.call.event
    language = proposal.session_language
    row = create_unscheduled(
        session,
        event,
        UnscheduledData(
            title=proposal.text("title", language),
            kind=KIND_OF_FORMAT.get(proposal.format, SessionKind.WORKSHOP).value,
            description=proposal.text("abstract", language),
            language=language,
            track_id=_track_id(session, event.id, proposal.track),
            speakers=[
                {"name": s.name or s.email.split("@")[0], "user_id": _speaker_user(session, s)}
                for s in proposal.speakers
            ],
            source=f"Proposal {proposal.id}",
        ),
    )
    proposal.unscheduled_id = row.id
