"""Mails of a call: a speaker's invitation (a signed link) and the submitter's decision."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from eventsys.mail.services import queue_mail
from eventsys.proposals.models import Proposal, ProposalSpeaker
from eventsys.web.urls import external_url

SALT = "eventsys.proposal-speaker"


def speaker_token(speaker: ProposalSpeaker) -> str:
    """Signed (id, e-mail): the link stops working when the speaker is removed or changed."""
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)
    return serializer.dumps([speaker.id, speaker.email])


def read_speaker_token(token: str) -> tuple[int, str] | None:
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)
    try:
        value = serializer.loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        return None
    return value[0], str(value[1])


def invite_speaker(session: Session, speaker: ProposalSpeaker) -> None:
    proposal = speaker.proposal
    event = proposal.call.event
    queue_mail(
        session,
        to=speaker.email,
        subject=_("You are invited to speak: %(title)s", title=proposal.title),
        text=render_template(
            "mail/proposal_speaker_invite.txt",
            speaker=speaker,
            proposal=proposal,
            event=event,
            link=external_url("proposals.speaker", token=speaker_token(speaker)),
        ),
        event_id=event.id,
        kind="proposal_speaker_invite",
    )


class _Blank(dict):
    """Unknown placeholders stay as written instead of failing the whole mail."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, proposal: Proposal) -> str:
    values = _Blank(
        title=proposal.title, name=proposal.submitter_name, event=proposal.call.event.title
    )
    try:
        return template.format_map(values)
    except (ValueError, IndexError, AttributeError, KeyError):
        return template  # a stray brace: send the text as the organiser wrote it


def send_decision(
    session: Session, proposal: Proposal, decision: str, template: tuple[str, str], to: str
) -> None:
    """The decision's mail, from the call's template (subject, body) filled in for this proposal;
    decisions.py picks the template, so this module does not import it back."""
    subject, body = template
    queue_mail(
        session,
        to=to,
        subject=fill(subject, proposal),
        text=fill(body, proposal),
        event_id=proposal.call.event_id,
        kind=f"proposal_{decision}",
    )
