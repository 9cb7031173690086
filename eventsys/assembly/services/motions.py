"""Motions and polls: writing them, putting them on the agenda, opening a poll."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from eventsys.assembly import majority
from eventsys.assembly.models import (
    ApplicationDocument,
    ApplicationStatus,
    Assembly,
    MembershipApplication,
    Motion,
    MotionKind,
    Poll,
    PollOption,
    PollState,
)
from eventsys.assembly.services import applicant_mail
from eventsys.assembly.services.applications import document_path
from eventsys.assembly.services.audit import append_audit
from eventsys.assembly.services.rights import check_settings, of_assembly
from eventsys.assembly.services.texts import in_each_language
from eventsys.db import rowcount, utcnow
from eventsys.errors import Conflict, NotFound, ServiceError
from eventsys.events.models import Event
from eventsys.i18n.content import checked_versions


def put_on_agenda(
    session: Session, application: MembershipApplication, *, actor_id: int | None = None
) -> Motion:
    if application.status != ApplicationStatus.COMPLETE:
        raise Conflict(_("Only an application the board found complete goes on the agenda."))
    name = application.organisation.name
    network = application.assembly.network.name
    event = application.assembly.event
    motion = create_motion(
        session,
        application.assembly,
        kind=MotionKind.ADMISSION,
        title=_("Admission of %(name)s", name=name),
        text=_(
            "The General Assembly admits %(name)s as a member of %(network)s.",
            name=name,
            network=network,
        ),
        application=application,
        title_translations=in_each_language(event, "Admission of %(name)s", name=name),
        text_translations=in_each_language(
            event,
            "The General Assembly admits %(name)s as a member of %(network)s.",
            name=name,
            network=network,
        ),
    )
    application.status = ApplicationStatus.ON_AGENDA
    applicant_mail.on_agenda(session, application)
    session.flush()
    return motion


def create_motion(
    session: Session,
    assembly: Assembly,
    *,
    kind: MotionKind | str,
    title: str,
    text: str = "",
    application: MembershipApplication | None = None,
    title_translations: dict[str, Any] | None = None,
    text_translations: dict[str, Any] | None = None,
) -> Motion:
    try:
        kind = MotionKind(kind)
    except ValueError:
        raise ServiceError(_("Unknown kind of motion."), field="kind") from None
    if not (title or "").strip():
        raise ServiceError(_("Please give the motion a title."), field="title")
    position = session.execute(
        select(func.coalesce(func.max(Motion.position), 0)).where(Motion.assembly_id == assembly.id)
    ).scalar_one()
    motion = Motion(
        assembly_id=assembly.id,
        kind=kind,
        title=title.strip()[:300],
        text=(text or "").strip(),
        application_id=application.id if application else None,
        position=position + 1,
    )
    _set_versions(assembly.event, motion, title_translations, text_translations)
    session.add(motion)
    session.flush()
    return motion


def update_motion(
    session: Session,
    motion: Motion,
    *,
    title: str,
    text: str,
    title_translations: dict[str, Any] | None = None,
    text_translations: dict[str, Any] | None = None,
) -> Motion:
    if any(poll.state == PollState.OPEN for poll in motion.polls):
        raise Conflict(_("A poll on this motion is open: its text is fixed until it closes."))
    if not (title or "").strip():
        raise ServiceError(_("Please give the motion a title."), field="title")
    motion.title = title.strip()[:300]
    motion.text = (text or "").strip()
    _set_versions(motion.assembly.event, motion, title_translations, text_translations)
    session.flush()
    return motion


def _set_versions(
    event: Event,
    motion: Motion,
    titles: dict[str, Any] | None,
    texts: dict[str, Any] | None,
) -> None:
    """The motion in the event's other languages; None leaves those versions as they are."""
    if titles is not None:
        motion.title_translations = checked_versions(event, titles, "title", 300)
    if texts is not None:
        motion.text_translations = checked_versions(event, texts, "text", 20000)


def motion_of(session: Session, assembly: Assembly, motion_id: int) -> Motion:
    return of_assembly(session, Motion, assembly, motion_id, _("There is no such motion."))


def poll_of(session: Session, assembly: Assembly, poll_id: int) -> Poll:
    return of_assembly(session, Poll, assembly, poll_id, _("There is no such poll."))


def create_poll(
    session: Session,
    motion: Motion,
    *,
    secret: bool = True,
    majority_rule: str = "simple",
    base: str = "cast",
    double_majority: bool = False,
    quorum_percent: int | None = None,
    tie_rule: str | None = None,
    candidates: list[str] | None = None,
    max_choices: int = 1,
    seats: int = 1,
    repeat_of: Poll | None = None,
) -> Poll:
    assembly = motion.assembly
    if majority_rule not in majority.MAJORITIES:
        raise ServiceError(_("Unknown majority rule."), field="majority")
    if base not in majority.BASES:
        raise ServiceError(_("Unknown base for the majority."), field="base")
    quorum_percent = assembly.quorum_percent if quorum_percent is None else quorum_percent
    tie_rule = tie_rule or assembly.tie_rule
    check_settings(0, quorum_percent, tie_rule)
    election = motion.kind == MotionKind.ELECTION
    poll = Poll(
        assembly_id=assembly.id,
        motion=motion,
        secret=secret,
        election=election,
        majority=majority_rule,
        base=base,
        double_majority=double_majority,
        quorum_percent=quorum_percent,
        tie_rule=tie_rule,
        repeat_of_id=repeat_of.id if repeat_of else None,
    )
    if election:
        names = [name.strip()[:200] for name in (candidates or []) if name.strip()]
        if not names:
            raise ServiceError(_("An election needs at least one candidate."), field="candidates")
        if len(set(names)) != len(names):
            raise ServiceError(_("A candidate is listed twice."), field="candidates")
        if not 1 <= seats <= len(names):
            raise ServiceError(
                _("The seats must be between 1 and the number of candidates."), field="seats"
            )
        if not 1 <= max_choices <= len(names):
            raise ServiceError(
                _("Votes per ballot must be between 1 and the number of candidates."),
                field="max_choices",
            )
        poll.max_choices, poll.seats = max_choices, seats
        labels = [("candidate", name) for name in names] + [("abstain", _("Abstain"))]
    else:
        labels = [("yes", _("Yes")), ("no", _("No")), ("abstain", _("Abstain"))]
    poll.options = [
        PollOption(position=i, key=key, label=label) for i, (key, label) in enumerate(labels, 1)
    ]
    session.add(poll)
    session.flush()
    # The vote path reads the options from the poll row itself: one join fewer per vote.
    poll.option_keys = {str(option.id): option.key for option in poll.options}
    session.flush()
    return poll


def poll_content(poll: Poll, *, upload_dir: str | None = None) -> dict[str, Any]:
    """What the delegates vote on: motion text, options and the application's documents.

    With `upload_dir` the documents are re-read from disk, so a file changed since upload shows.
    """
    motion = poll.motion
    documents = []
    if motion.application is not None:
        for document in motion.application.documents:
            digest = document.sha256
            if upload_dir is not None:
                path = document_path(upload_dir, document)
                digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""
            documents.append(
                {"filename": document.filename, "kind": document.kind, "sha256": digest}
            )
    return {
        "kind": str(motion.kind),
        "title": motion.title,
        "text": motion.text,
        # Only when written, so the content (and hash) of untranslated motions stays as it was.
        **{
            f"{name}_translations": dict(versions)
            for name, versions in (
                ("title", motion.title_translations),
                ("text", motion.text_translations),
            )
            if versions
        },
        "applicant": motion.application.organisation.name if motion.application else None,
        "options": [option.label for option in poll.options],
        "documents": documents,
    }


def poll_document(
    session: Session, poll: Poll, index: int, upload_dir: str
) -> tuple[ApplicationDocument, Path]:
    """The `index`-th document of what the poll is about, if the file on disk is still the one
    whose hash the poll's content recorded when it opened."""
    documents = poll.content.get("documents") or []
    if poll.state == PollState.DRAFT or not 0 <= index < len(documents):
        raise NotFound(_("There is no such document."))
    recorded = documents[index]
    application = poll.motion.application
    for document in application.documents if application else []:
        if document.filename != recorded["filename"] or document.kind != recorded["kind"]:
            continue
        path = document_path(upload_dir, document)
        if path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() == recorded["sha256"]:
            return document, path
    raise NotFound(_("The document voted on is no longer on the server unchanged."))


def content_hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def open_poll(
    session: Session, poll: Poll, *, upload_dir: str, actor_id: int | None = None
) -> Poll:
    content = poll_content(poll, upload_dir=upload_dir)
    stored = {d["sha256"] for d in poll_content(poll)["documents"]}
    if any(d["sha256"] not in stored for d in content["documents"]):
        raise Conflict(
            _("A document changed on disk since it was uploaded; please upload it again.")
        )
    application = poll.motion.application
    if application is not None and application.status in (
        ApplicationStatus.ADMITTED,
        ApplicationStatus.REJECTED,
    ):
        raise Conflict(_("The Assembly has already decided on this application."))
    changed = rowcount(
        session.execute(
            update(Poll)
            .where(Poll.id == poll.id, Poll.state == PollState.DRAFT)
            .values(
                state=PollState.OPEN,
                opened_at=utcnow(),
                content=content,
                content_hash=content_hash(content),
            )
        )
    )
    if changed != 1:
        raise Conflict(_("Only a poll that has not been opened yet can be opened."))
    session.refresh(poll)
    append_audit(
        session,
        poll.motion.assembly,
        "poll_opened",
        {"poll": poll.id, "motion": poll.motion.title, "content_hash": poll.content_hash},
        actor_id,
    )
    return poll
