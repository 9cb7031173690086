"""The rules of a call for proposals: opening the call, writing, editing and withdrawing
proposals. Reviews and decisions are in `reviews` and `decisions`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from eventsys.accounts.models import User
from eventsys.db import utcnow
from eventsys.errors import Conflict, Forbidden, NotFound, ServiceError
from eventsys.events.models import Event
from eventsys.organisations.models import Organisation
from eventsys.proposals import notifications
from eventsys.proposals.models import (
    FORMATS,
    Call,
    Proposal,
    ProposalSpeaker,
    ProposalStatus,
    SpeakerStatus,
)

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")
MAX_TITLE = 300
MAX_ABSTRACT = 5000
MAX_ANSWER = 3000


@dataclass
class CallData:
    deadline: datetime
    formats: list[str]
    tracks: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=lambda: ["en"])
    questions: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=lambda: ["Relevance", "Quality"])
    max_organisations: int = 3
    max_speakers: int = 4
    anonymous_review: bool = False
    intro: str = ""
    is_open: bool = True


@dataclass
class ProposalData:
    texts: dict[str, dict[str, str]]  # {"en": {"title": ..., "abstract": ...}}
    format: str
    track: str = ""
    session_language: str = "en"
    organisation_id: int | None = None
    organisation_name: str = ""
    co_organisers: list[dict[str, Any]] = field(default_factory=list)
    speakers: list[dict[str, str]] = field(default_factory=list)  # [{"email", "name"}]
    answers: dict[str, str] = field(default_factory=dict)


def _clean_list(values: list[str], limit: int = 120) -> list[str]:
    """Trimmed, without blanks or repeats, in the given order."""
    seen: list[str] = []
    for value in values:
        value = (value or "").strip()[:limit]
        if value and value not in seen:
            seen.append(value)
    return seen


def validate_call(data: CallData) -> None:
    if data.deadline.tzinfo is None:
        raise ServiceError(_("The deadline needs a time zone."), field="deadline")
    if not data.formats or any(f not in FORMATS for f in data.formats):
        raise ServiceError(_("Please choose at least one format."), field="formats")
    if not data.languages or any(not LANGUAGE_RE.match(code) for code in data.languages):
        raise ServiceError(
            _("Give the languages as codes such as en, pt or ru."), field="languages"
        )
    if not data.criteria:
        raise ServiceError(_("Please name at least one review criterion."), field="criteria")
    if not 1 <= data.max_speakers <= 20:
        raise ServiceError(_("Allow between 1 and 20 speakers."), field="max_speakers")
    if not 0 <= data.max_organisations <= 20:
        raise ServiceError(
            _("Allow between 0 and 20 co-organising organisations."), field="max_organisations"
        )


def call_of(session: Session, event: Event) -> Call | None:
    return session.execute(select(Call).where(Call.event_id == event.id)).scalar_one_or_none()


def save_call(session: Session, event: Event, data: CallData) -> Call:
    """Open the event's call, or change it."""
    data.formats = _clean_list(data.formats)
    data.tracks, data.questions = _clean_list(data.tracks), _clean_list(data.questions, 300)
    data.languages = _clean_list([code.lower() for code in data.languages], 10)
    data.criteria = _clean_list(data.criteria, 80)
    validate_call(data)
    call = call_of(session, event) or Call(event_id=event.id)
    for name in (
        "deadline",
        "formats",
        "tracks",
        "languages",
        "questions",
        "criteria",
        "max_organisations",
        "max_speakers",
        "anonymous_review",
        "intro",
        "is_open",
    ):
        setattr(call, name, getattr(data, name))
    session.add(call)
    session.flush()
    return call


def _check_texts(call: Call, texts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    cleaned: dict[str, dict[str, str]] = {}
    for code, text in (texts or {}).items():
        title = str((text or {}).get("title") or "").strip()
        abstract = str((text or {}).get("abstract") or "").strip()
        if not title and not abstract:
            continue  # a language left empty is not offered
        if code not in call.languages:
            raise ServiceError(
                _("This call does not take texts in “%(code)s”.", code=str(code)[:10]),
                field="texts",
            )
        if not title or len(title) > MAX_TITLE:
            raise ServiceError(_("Please give a title of at most 300 characters."), field="title")
        if not abstract or len(abstract) > MAX_ABSTRACT:
            raise ServiceError(
                _("Please give an abstract of at most 5000 characters."), field="abstract"
            )
        cleaned[code] = {"title": title, "abstract": abstract}
    if not cleaned:
        raise ServiceError(
            _("Please give a title and an abstract in at least one language."), field="title"
        )
    return cleaned


def _check_choices(call: Call, data: ProposalData) -> None:
    if data.format not in call.formats:
        raise ServiceError(_("Please choose one of the call's formats."), field="format")
    if call.tracks and data.track not in call.tracks:
        raise ServiceError(_("Please choose one of the call's tracks."), field="track")
    if data.session_language not in call.languages:
        raise ServiceError(
            _("Please choose one of the call's languages."), field="session_language"
        )


def _check_organisations(session: Session, call: Call, data: ProposalData) -> list[dict[str, Any]]:
    chosen: list[dict[str, Any]] = []
    for item in data.co_organisers:
        org_id = item.get("organisation_id")
        name = str(item.get("name") or "").strip()[:300]
        if org_id is not None:
            organisation = session.get(Organisation, org_id)
            if organisation is None:
                raise ServiceError(_("There is no such organisation."), field="co_organisers")
            name = organisation.name
        if name and all(c["name"].casefold() != name.casefold() for c in chosen):
            chosen.append({"organisation_id": org_id, "name": name})
    if len(chosen) > call.max_organisations:
        raise ServiceError(
            ngettext(
                "A proposal may name at most %(num)d co-organising organisation.",
                "A proposal may name at most %(num)d co-organising organisations.",
                call.max_organisations,
            ),
            field="co_organisers",
        )
    return chosen


def _check_speakers(call: Call, data: ProposalData) -> list[dict[str, str]]:
    speakers: list[dict[str, str]] = []
    for item in data.speakers:
        email = str(item.get("email") or "").strip().lower()
        if not email:
            continue
        if len(email) > 254 or not EMAIL_RE.match(email):
            raise ServiceError(
                _("“%(email)s” is not an e-mail address.", email=email[:254]), field="speakers"
            )
        if all(s["email"] != email for s in speakers):
            speakers.append({"email": email, "name": str(item.get("name") or "").strip()[:200]})
    if len(speakers) > call.max_speakers:
        raise ServiceError(
            ngettext(
                "A proposal may name at most %(num)d speaker.",
                "A proposal may name at most %(num)d speakers.",
                call.max_speakers,
            ),
            field="speakers",
        )
    return speakers


def _check_answers(call: Call, answers: dict[str, str]) -> dict[str, str]:
    cleaned = {}
    for question in call.questions:
        answer = str((answers or {}).get(question) or "").strip()
        if len(answer) > MAX_ANSWER:
            raise ServiceError(_("Please keep each answer under 3000 characters."), field="answers")
        cleaned[question] = answer
    return cleaned


def ensure_open(call: Call, now: datetime | None = None) -> None:
    if not call.accepts_submissions(now or utcnow()):
        raise Conflict(
            _("The call for proposals is closed: proposals can no longer be sent or changed."),
            code="call_closed",
        )


def _apply(session: Session, call: Call, proposal: Proposal, data: ProposalData) -> list[str]:
    """Write the proposal; returns the e-mails of speakers newly named (to invite)."""
    proposal.texts = _check_texts(call, data.texts)
    _check_choices(call, data)
    proposal.co_organisers = _check_organisations(session, call, data)
    speakers = _check_speakers(call, data)
    proposal.answers = _check_answers(call, data.answers)
    proposal.format, proposal.track = data.format, data.track if call.tracks else ""
    proposal.session_language = data.session_language
    if data.organisation_id is not None:
        organisation = session.get(Organisation, data.organisation_id)
        if organisation is None:
            raise ServiceError(_("There is no such organisation."), field="organisation_id")
        proposal.organisation_id, proposal.organisation_name = organisation.id, organisation.name
    else:
        proposal.organisation_id = None
        proposal.organisation_name = data.organisation_name.strip()[:300]
    return _replace_speakers(proposal, speakers)


def _replace_speakers(proposal: Proposal, speakers: list[dict[str, str]]) -> list[str]:
    """Keep speakers still named (their confirmation too), drop the others, add the new."""
    known = {s.email: s for s in proposal.speakers}
    rows, new = [], []
    for position, item in enumerate(speakers):
        row = known.get(item["email"])
        if row is None:
            row = ProposalSpeaker(email=item["email"], name=item["name"])
            new.append(item["email"])
        elif item["name"] and row.status == SpeakerStatus.INVITED:
            row.name = item["name"]
        row.position = position
        rows.append(row)
    proposal.speakers = rows
    return new


def submit(session: Session, call: Call, user: User, data: ProposalData) -> Proposal:
    ensure_open(call)
    proposal = Proposal(call_id=call.id, submitter_id=user.id, submitter_name=user.display_name)
    proposal.call = call
    new = _apply(session, call, proposal, data)
    session.add(proposal)
    session.flush()
    _invite(session, proposal, new)
    return proposal


def update(session: Session, proposal: Proposal, data: ProposalData) -> Proposal:
    ensure_open(proposal.call)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise Conflict(_("Only a proposal still under review can be changed."))
    new = _apply(session, proposal.call, proposal, data)
    session.flush()
    _invite(session, proposal, new)
    return proposal


def _invite(session: Session, proposal: Proposal, emails: list[str]) -> None:
    for speaker in proposal.speakers:
        if speaker.email in emails:
            notifications.invite_speaker(session, speaker)


def withdraw(session: Session, proposal: Proposal) -> Proposal:
    """Any time before the decision, even after the deadline."""
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise Conflict(_("This proposal is already withdrawn."))
    if proposal.status != ProposalStatus.SUBMITTED:
        raise Conflict(_("A decision was made on this proposal; it can no longer be withdrawn."))
    proposal.status = ProposalStatus.WITHDRAWN
    session.flush()
    return proposal


def proposal_of_call(session: Session, call: Call, proposal_id: int) -> Proposal:
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or proposal.call_id != call.id:
        raise NotFound(_("There is no such proposal."))
    return proposal


def own_proposal(session: Session, call: Call, user: User, proposal_id: int) -> Proposal:
    proposal = proposal_of_call(session, call, proposal_id)
    if proposal.submitter_id != user.id:
        raise NotFound(_("There is no such proposal."))  # not 403: its existence is private
    return proposal


def proposals_of_user(session: Session, call: Call, user: User) -> list[Proposal]:
    return list(
        session.execute(
            select(Proposal)
            .where(Proposal.call_id == call.id, Proposal.submitter_id == user.id)
            .order_by(Proposal.id)
        ).scalars()
    )


def proposals_of_call(
    session: Session, call: Call, *, with_withdrawn: bool = False
) -> list[Proposal]:
    # Every caller reads each proposal's speakers and reviews (conflicts of interest, scores,
    # "done"): loaded with the list, two queries, not two per proposal.
    query = (
        select(Proposal)
        .where(Proposal.call_id == call.id)
        .options(selectinload(Proposal.speakers), selectinload(Proposal.reviews))
    )
    if not with_withdrawn:
        query = query.where(Proposal.status != ProposalStatus.WITHDRAWN)
    return list(session.execute(query.order_by(Proposal.id)).scalars())


def require_call(session: Session, event: Event) -> Call:
    call = call_of(session, event)
    if call is None:
        raise NotFound(_("This event has no call for proposals."))
    return call


def speaker_by_id(session: Session, speaker_id: int) -> ProposalSpeaker:
    speaker = session.get(ProposalSpeaker, speaker_id)
    if speaker is None:
        raise NotFound(_("This invitation is no longer valid."))
    return speaker


def confirm_speaker(
    session: Session,
    speaker: ProposalSpeaker,
    *,
    name: str,
    organisation: str,
    bio: str,
    user: User | None = None,
) -> ProposalSpeaker:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ServiceError(_("Please give your name."), field="name")
    if len(bio or "") > 2000:
        raise ServiceError(_("Please keep the biography under 2000 characters."), field="bio")
    if speaker.proposal.status == ProposalStatus.WITHDRAWN:
        raise Forbidden(_("This proposal was withdrawn."))
    speaker.name, speaker.organisation = name, (organisation or "").strip()[:300]
    speaker.bio = (bio or "").strip()
    speaker.status, speaker.confirmed_at = SpeakerStatus.CONFIRMED, utcnow()
    if user is not None and user.email.lower() == speaker.email:
        speaker.user_id = user.id
    session.flush()
    return speaker
