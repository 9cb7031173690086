"""General Assembly rules: voting rights, proxies, attendance, applications, motions and polls.

Integrity in brief:
- one vote per voting right: the primary key of `poll_votes` (poll, right); a duplicate insert
  does nothing and the right is reported as having voted already;
- atomic close: a vote holds a shared lock on the poll (a PostgreSQL advisory lock) for its short
  transaction; closing takes it exclusively, so it waits for every vote in flight to commit, then
  counts. A vote arriving later queues behind the close and then sees the poll closed. (A row
  lock FOR SHARE would be correct too, but new sharers overtake a waiting closer, so under a
  steady stream of votes the chair's close could wait; the lock manager's queue is fair.);
- secret polls store no link between voter and choice (see models.py).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import (
    Integer,
    Text,
    and_,
    bindparam,
    cast,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.orm import Session, aliased

from eventsys import sqlite
from eventsys.accounts.models import ApiToken, User
from eventsys.assembly import majority
from eventsys.assembly.models import (
    ApplicationDocument,
    ApplicationStatus,
    Assembly,
    AttendanceMark,
    AuditEntry,
    Ballot,
    MembershipApplication,
    Motion,
    MotionKind,
    Poll,
    PollOption,
    PollState,
    PollVote,
    VotingRight,
)
from eventsys.checkin.services import checked_in_registration_ids
from eventsys.db import utcnow
from eventsys.errors import Conflict, Forbidden, NotFound, ServiceError
from eventsys.events.models import Event
from eventsys.organisations.models import Membership, Organisation, OrganisationKind
from eventsys.registration.models import Registration, Status

DOCUMENT_KINDS = ("resolution", "statutes", "letter", "other")
REQUIRED_DOCUMENT = "resolution"  # the council resolution committing to the climate targets
PDF_MAGIC = b"%PDF-"
POLL_LOCK_CLASS = 0x45564F54  # the advisory-lock namespace of polls ("EVOT")
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed back


# --- Assembly and voting rights ------------------------------------------------------------


def assembly_for_event(session: Session, event: Event) -> Assembly:
    assembly = session.execute(
        select(Assembly).where(Assembly.event_id == event.id)
    ).scalar_one_or_none()
    if assembly is None:
        raise NotFound(_("This event holds no General Assembly."))
    return assembly


def create_assembly(
    session: Session,
    event: Event,
    network: Organisation,
    *,
    held_on: date,
    title: str = "",
    max_proxies: int = 1,
    quorum_percent: int = 50,
    tie_rule: str = "rejected",
) -> Assembly:
    if session.execute(select(Assembly.id).where(Assembly.event_id == event.id)).first():
        raise Conflict(_("This event already holds a General Assembly."))
    _check_settings(max_proxies, quorum_percent, tie_rule)
    assembly = Assembly(
        event_id=event.id,
        network_id=network.id,
        title=title.strip() or _("General Assembly of %(network)s", network=network.name),
        held_on=held_on,
        max_proxies=max_proxies,
        quorum_percent=quorum_percent,
        tie_rule=tie_rule,
    )
    session.add(assembly)
    session.flush()
    sync_rights(session, assembly)
    return assembly


def update_settings(
    session: Session,
    assembly: Assembly,
    *,
    max_proxies: int,
    quorum_percent: int,
    tie_rule: str,
    actor_id: int | None = None,
) -> Assembly:
    _check_settings(max_proxies, quorum_percent, tie_rule)
    lock_assembly(session, assembly)
    held = session.execute(
        select(func.count(), VotingRight.proxy_holder_id)
        .where(VotingRight.assembly_id == assembly.id, VotingRight.proxy_holder_id.is_not(None))
        .group_by(VotingRight.proxy_holder_id)
    ).all()
    if any(count > max_proxies for count, _holder in held):
        raise Conflict(
            ngettext(
                "A delegate already holds more proxies than %(num)s; change those first.",
                "A delegate already holds more proxies than %(num)s; change those first.",
                max_proxies,
            ),
            field="max_proxies",
        )
    assembly.max_proxies = max_proxies
    assembly.quorum_percent = quorum_percent
    assembly.tie_rule = tie_rule
    append_audit(
        session,
        assembly,
        "settings",
        {"max_proxies": max_proxies, "quorum_percent": quorum_percent, "tie_rule": tie_rule},
        actor_id,
    )
    return assembly


def _check_settings(max_proxies: int, quorum_percent: int, tie_rule: str) -> None:
    if max_proxies < 0:
        raise ServiceError(_("The number of proxies cannot be negative."), field="max_proxies")
    if not 0 <= quorum_percent <= 100:
        raise ServiceError(_("The quorum is a percentage from 0 to 100."), field="quorum_percent")
    if tie_rule not in majority.TIE_RULES:
        raise ServiceError(_("Unknown tie rule."), field="tie_rule")


def lock_assembly(session: Session, assembly: Assembly) -> None:
    """Serialises changes to proxies, attendance and the audit chain of one Assembly."""
    sqlite.hold_write_lock(session)
    session.execute(select(Assembly.id).where(Assembly.id == assembly.id).with_for_update())


def sync_rights(session: Session, assembly: Assembly) -> int:
    """One voting right per current member of the network on the Assembly's date."""
    held_on = assembly.held_on
    memberships = session.execute(
        select(Membership).where(
            Membership.network_id == assembly.network_id,
            Membership.started_on <= held_on,
            or_(Membership.ended_on.is_(None), Membership.ended_on > held_on),
        )
    ).scalars()
    existing = set(
        session.execute(
            select(VotingRight.member_id).where(VotingRight.assembly_id == assembly.id)
        ).scalars()
    )
    added = 0
    for membership in memberships:
        if membership.member_id in existing:
            continue
        existing.add(membership.member_id)
        session.add(
            VotingRight(
                assembly_id=assembly.id, member_id=membership.member_id, weight=membership.weight
            )
        )
        added += 1
    session.flush()
    return added


T = TypeVar("T")


def _of_assembly(
    session: Session, model: type[T], assembly: Assembly, row_id: int, missing: str
) -> T:
    """The row with this id if it belongs to this Assembly; ids of other Assemblies are unknown."""
    row = session.get(model, row_id)
    if row is None or row.assembly_id != assembly.id:
        raise NotFound(missing)
    return row


def right_of(session: Session, assembly: Assembly, right_id: int) -> VotingRight:
    return _of_assembly(
        session,
        VotingRight,
        assembly,
        right_id,
        _("There is no such voting right at this Assembly."),
    )


def appoint_delegate(
    session: Session,
    assembly: Assembly,
    right: VotingRight,
    registration: Registration | None,
    *,
    actor_id: int | None = None,
) -> VotingRight:
    """The member's delegate: a confirmed registration at the Assembly's event."""
    lock_assembly(session, assembly)
    if registration is not None:
        if registration.event_id != assembly.event_id or registration.status != Status.CONFIRMED:
            raise ServiceError(
                _("The delegate must hold a confirmed registration for this event."),
                field="registration_id",
            )
        other = session.execute(
            select(VotingRight.id).where(
                VotingRight.assembly_id == assembly.id,
                VotingRight.delegate_registration_id == registration.id,
                VotingRight.id != right.id,
            )
        ).first()
        if other:
            raise Conflict(
                _("This person is already the delegate of another member; name a proxy instead."),
                field="registration_id",
            )
    elif _proxies_held(session, right):
        raise Conflict(_("This delegate holds proxies; move them first."), field="registration_id")
    right.delegate_registration_id = registration.id if registration else None
    append_audit(
        session,
        assembly,
        "delegate",
        {"member": right.member.name, "registration_id": registration.id if registration else None},
        actor_id,
    )
    session.flush()
    return right


def _proxies_held(session: Session, right: VotingRight) -> int:
    return session.execute(
        select(func.count()).where(VotingRight.proxy_holder_id == right.id)
    ).scalar_one()


def set_proxy(
    session: Session,
    assembly: Assembly,
    giver: VotingRight,
    holder: VotingRight | None,
    *,
    actor_id: int | None = None,
) -> VotingRight:
    """`giver` cannot attend and names `holder`'s delegate; None withdraws the proxy.

    No chains: a right given away cannot hold proxies, a holder cannot give its own away.
    """
    lock_assembly(session, assembly)
    session.refresh(giver)
    if holder is None:
        giver.proxy_holder_id = None
        append_audit(session, assembly, "proxy_removed", {"member": giver.member.name}, actor_id)
        session.flush()
        return giver
    session.refresh(holder)
    if holder.assembly_id != assembly.id or giver.assembly_id != assembly.id:
        raise NotFound(_("There is no such voting right at this Assembly."))
    if holder.id == giver.id:
        raise ServiceError(_("A member cannot be its own proxy."), field="holder_id")
    if holder.delegate_registration_id is None:
        raise ServiceError(
            _("%(member)s has no delegate to carry a proxy.", member=holder.member.name),
            field="holder_id",
        )
    if holder.proxy_holder_id is not None:
        raise Conflict(
            _(
                "%(member)s has given its own vote to a proxy; proxies cannot be passed on.",
                member=holder.member.name,
            ),
            field="holder_id",
        )
    if _proxies_held(session, giver):
        raise Conflict(
            _(
                "%(member)s carries proxies of other members; proxies cannot be passed on.",
                member=giver.member.name,
            ),
            field="holder_id",
        )
    held = session.execute(
        select(func.count()).where(
            VotingRight.proxy_holder_id == holder.id, VotingRight.id != giver.id
        )
    ).scalar_one()
    if held >= assembly.max_proxies:
        raise Conflict(
            ngettext(
                "The delegate of %(member)s already holds %(num)s proxy, the most the statutes "
                "allow.",
                "The delegate of %(member)s already holds %(num)s proxies, the most the statutes "
                "allow.",
                held,
                member=holder.member.name,
            ),
            field="holder_id",
        )
    giver.proxy_holder_id = holder.id
    append_audit(
        session,
        assembly,
        "proxy_set",
        {"member": giver.member.name, "holder": holder.member.name},
        actor_id,
    )
    session.flush()
    return giver


def set_weight(
    session: Session, assembly: Assembly, right: VotingRight, weight: int, *, actor_id=None
) -> VotingRight:
    if weight < 1:
        raise ServiceError(_("A weight is a whole number of at least 1."), field="weight")
    lock_assembly(session, assembly)
    right.weight = weight
    append_audit(
        session, assembly, "weight", {"member": right.member.name, "weight": weight}, actor_id
    )
    session.flush()
    return right


# --- Attendance --------------------------------------------------------------------------


def mark_attendance(
    session: Session,
    assembly: Assembly,
    registration: Registration,
    present: bool,
    *,
    actor_id: int | None = None,
) -> AttendanceMark:
    if registration.event_id != assembly.event_id:
        raise NotFound(_("This person is not registered for the Assembly's event."))
    lock_assembly(session, assembly)
    mark = session.execute(
        select(AttendanceMark).where(
            AttendanceMark.assembly_id == assembly.id,
            AttendanceMark.registration_id == registration.id,
        )
    ).scalar_one_or_none()
    if mark is None:
        mark = AttendanceMark(
            assembly_id=assembly.id, registration_id=registration.id, present=present
        )
        session.add(mark)
    else:
        mark.present = present
        mark.marked_at = utcnow()
    append_audit(
        session,
        assembly,
        "present" if present else "absent",
        {"registration_id": registration.id},
        actor_id,
    )
    session.flush()
    return mark


def present_registration_ids(session: Session, assembly: Assembly) -> set[int]:
    """Checked in at the door, or marked present by the chair; the chair's mark wins."""
    return _present_ids(session, assembly.id, assembly.event_id)


def _present_ids(session: Session, assembly_id: int, event_id: int) -> set[int]:
    present = checked_in_registration_ids(session, event_id)
    for registration_id, is_present in session.execute(
        select(AttendanceMark.registration_id, AttendanceMark.present).where(
            AttendanceMark.assembly_id == assembly_id
        )
    ):
        if is_present:
            present.add(registration_id)
        else:
            present.discard(registration_id)
    return present


@dataclass
class RightView:
    right: VotingRight
    holder_registration_id: int | None  # whose delegate exercises it now
    present: bool
    proxies_held: int


def rights_overview(session: Session, assembly: Assembly) -> list[RightView]:
    rights = list(
        session.execute(
            select(VotingRight)
            .where(VotingRight.assembly_id == assembly.id)
            .order_by(VotingRight.id)
        ).scalars()
    )
    by_id = {right.id: right for right in rights}
    present = present_registration_ids(session, assembly)
    held: dict[int, int] = {}
    for right in rights:
        if right.proxy_holder_id:
            held[right.proxy_holder_id] = held.get(right.proxy_holder_id, 0) + 1
    views = []
    for right in rights:
        carrier = by_id.get(right.proxy_holder_id) if right.proxy_holder_id else right
        registration_id = carrier.delegate_registration_id if carrier else None
        views.append(
            RightView(
                right=right,
                holder_registration_id=registration_id,
                present=registration_id is not None and registration_id in present,
                proxies_held=held.get(right.id, 0),
            )
        )
    views.sort(key=lambda view: view.right.member.name.casefold())
    return views


# --- Applications and documents ----------------------------------------------------------


@dataclass
class Upload:
    kind: str
    filename: str
    data: bytes


def store_pdf(upload: Upload, *, upload_dir: str, max_bytes: int) -> tuple[str, str]:
    """Checks and writes one PDF; returns (stored name, SHA-256). Nothing is written on error."""
    if upload.kind not in DOCUMENT_KINDS:
        raise ServiceError(_("Unknown kind of document."), field="kind")
    if not upload.data:
        raise ServiceError(_("The file “%(name)s” is empty.", name=upload.filename), field="file")
    if len(upload.data) > max_bytes:
        raise ServiceError(
            _(
                "The file “%(name)s” is larger than %(mb)s MB.",
                name=upload.filename,
                mb=round(max_bytes / 1024 / 1024, 1),
            ),
            field="file",
        )
    if not upload.data.startswith(PDF_MAGIC):
        raise ServiceError(
            _("The file “%(name)s” is not a PDF document.", name=upload.filename), field="file"
        )
    folder = Path(upload_dir) / "assembly"
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = f"{uuid.uuid4().hex}.pdf"
    (folder / stored_name).write_bytes(upload.data)
    return stored_name, hashlib.sha256(upload.data).hexdigest()


def document_path(upload_dir: str, document: ApplicationDocument) -> Path:
    return Path(upload_dir) / "assembly" / document.stored_name


def _clean_filename(filename: str) -> str:
    name = Path(filename or "document.pdf").name.strip() or "document.pdf"
    return name[:200]


def add_document(
    session: Session,
    application: MembershipApplication,
    upload: Upload,
    *,
    upload_dir: str,
    max_bytes: int,
) -> ApplicationDocument:
    if _open_poll_for_application(session, application):
        raise Conflict(_("A poll on this application is open; its documents are fixed."))
    stored_name, digest = store_pdf(upload, upload_dir=upload_dir, max_bytes=max_bytes)
    document = ApplicationDocument(
        application=application,
        kind=upload.kind,
        filename=_clean_filename(upload.filename),
        stored_name=stored_name,
        size=len(upload.data),
        sha256=digest,
    )
    session.add(document)
    if application.status == ApplicationStatus.INCOMPLETE:
        application.status = ApplicationStatus.SUBMITTED
    session.flush()
    return document


def submit_application(
    session: Session,
    assembly: Assembly,
    *,
    organisation_name: str,
    organisation_kind: str,
    country: str | None,
    city: str | None,
    contact_name: str,
    contact_email: str,
    statement: str,
    uploads: list[Upload],
    upload_dir: str,
    max_bytes: int,
    user_id: int | None = None,
    organisation: Organisation | None = None,
) -> MembershipApplication:
    """An organisation applies with its documents; the council resolution is required."""
    if not (organisation_name or "").strip() and organisation is None:
        raise ServiceError(_("Please name the organisation."), field="organisation_name")
    if not (contact_name or "").strip():
        raise ServiceError(_("Please name a contact person."), field="contact_name")
    if "@" not in (contact_email or ""):
        raise ServiceError(_("Please give a contact e-mail address."), field="contact_email")
    if not any(upload.kind == REQUIRED_DOCUMENT and upload.data for upload in uploads):
        raise ServiceError(
            _("Please attach the council resolution (PDF) committing to the climate targets."),
            field="resolution",
        )
    if organisation is None:
        try:
            kind = OrganisationKind(organisation_kind)
        except ValueError:
            raise ServiceError(
                _("Unknown kind of organisation."), field="organisation_kind"
            ) from None
        organisation = Organisation(
            name=organisation_name.strip()[:300],
            kind=kind,
            country=(country or None) and country.upper()[:2],
            city=(city or None) and city.strip()[:200],
        )
        session.add(organisation)
        session.flush()
    if session.execute(
        select(Membership.id).where(
            Membership.network_id == assembly.network_id,
            Membership.member_id == organisation.id,
            Membership.ended_on.is_(None),
        )
    ).first():
        raise Conflict(_("This organisation is already a member."))
    application = MembershipApplication(
        assembly_id=assembly.id,
        organisation_id=organisation.id,
        submitted_by_id=user_id,
        contact_name=contact_name.strip()[:200],
        contact_email=contact_email.strip()[:254],
        statement=(statement or "").strip(),
    )
    session.add(application)
    session.flush()
    for upload in uploads:
        if upload.data:
            add_document(session, application, upload, upload_dir=upload_dir, max_bytes=max_bytes)
    return application


def application_of(
    session: Session, assembly: Assembly, application_id: int
) -> MembershipApplication:
    return _of_assembly(
        session, MembershipApplication, assembly, application_id, _("There is no such application.")
    )


def review_application(
    session: Session,
    application: MembershipApplication,
    *,
    complete: bool,
    comment: str,
    actor_id: int | None = None,
) -> MembershipApplication:
    if application.status in (ApplicationStatus.ADMITTED, ApplicationStatus.REJECTED):
        raise Conflict(_("The Assembly has already decided on this application."))
    if complete and not any(d.kind == REQUIRED_DOCUMENT for d in application.documents):
        raise ServiceError(
            _("The council resolution is missing: the application cannot be complete."),
            field="complete",
        )
    if application.status != ApplicationStatus.ON_AGENDA:
        application.status = (
            ApplicationStatus.COMPLETE if complete else ApplicationStatus.INCOMPLETE
        )
    application.board_comment = (comment or "").strip()
    application.reviewed_at = utcnow()
    append_audit(
        session,
        application.assembly,
        "application_reviewed",
        {"organisation": application.organisation.name, "complete": complete},
        actor_id,
    )
    session.flush()
    return application


def put_on_agenda(
    session: Session, application: MembershipApplication, *, actor_id: int | None = None
) -> Motion:
    if application.status != ApplicationStatus.COMPLETE:
        raise Conflict(_("Only an application the board found complete goes on the agenda."))
    name = application.organisation.name
    motion = create_motion(
        session,
        application.assembly,
        kind=MotionKind.ADMISSION,
        title=_("Admission of %(name)s", name=name),
        text=_(
            "The General Assembly admits %(name)s as a member of %(network)s.",
            name=name,
            network=application.assembly.network.name,
        ),
        application=application,
    )
    application.status = ApplicationStatus.ON_AGENDA
    session.flush()
    return motion


def _open_poll_for_application(session: Session, application: MembershipApplication) -> bool:
    return bool(
        session.execute(
            select(Poll.id)
            .join(Motion, Motion.id == Poll.motion_id)
            .where(Motion.application_id == application.id, Poll.state == PollState.OPEN)
        ).first()
    )


# --- Motions and polls -------------------------------------------------------------------


def create_motion(
    session: Session,
    assembly: Assembly,
    *,
    kind: MotionKind | str,
    title: str,
    text: str = "",
    application: MembershipApplication | None = None,
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
    session.add(motion)
    session.flush()
    return motion


def update_motion(session: Session, motion: Motion, *, title: str, text: str) -> Motion:
    if any(poll.state == PollState.OPEN for poll in motion.polls):
        raise Conflict(_("A poll on this motion is open: its text is fixed until it closes."))
    if not (title or "").strip():
        raise ServiceError(_("Please give the motion a title."), field="title")
    motion.title = title.strip()[:300]
    motion.text = (text or "").strip()
    session.flush()
    return motion


def motion_of(session: Session, assembly: Assembly, motion_id: int) -> Motion:
    return _of_assembly(session, Motion, assembly, motion_id, _("There is no such motion."))


def poll_of(session: Session, assembly: Assembly, poll_id: int) -> Poll:
    return _of_assembly(session, Poll, assembly, poll_id, _("There is no such poll."))


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
    _check_settings(0, quorum_percent, tie_rule)
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
    changed = session.execute(
        update(Poll)
        .where(Poll.id == poll.id, Poll.state == PollState.DRAFT)
        .values(
            state=PollState.OPEN,
            opened_at=utcnow(),
            content=content,
            content_hash=content_hash(content),
        )
    ).rowcount
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


# --- Casting a vote (the hot path: a handful of statements, one transaction) -------------


@dataclass
class CastReceipt:
    right_id: int
    member: str
    receipt: str


def new_receipt() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(16))
    return "-".join(code[i : i + 4] for i in range(0, 16, 4))


def _carriers(assembly_id: Any) -> Any:
    """Every voting right with the registration that carries it now: its own delegate, or the
    delegate of the member holding its proxy. Two equi-joins (not one join on a CASE), so the
    database uses its indexes however large the Assembly."""
    holder = aliased(VotingRight)
    own = select(
        VotingRight.id.label("right_id"),
        VotingRight.weight.label("weight"),
        VotingRight.member_id.label("member_id"),
        VotingRight.delegate_registration_id.label("registration_id"),
    ).where(
        VotingRight.assembly_id == assembly_id,
        VotingRight.proxy_holder_id.is_(None),
        VotingRight.delegate_registration_id.is_not(None),
    )
    proxied = (
        select(
            VotingRight.id,
            VotingRight.weight,
            VotingRight.member_id,
            holder.delegate_registration_id,
        )
        .join(holder, holder.id == VotingRight.proxy_holder_id)
        .where(VotingRight.assembly_id == assembly_id)
    )
    return union_all(own, proxied).subquery("carriers")


def _present_carriers(assembly_id: Any) -> tuple[Any, Any]:
    """(query, carriers): rights whose carrier is a confirmed registration present now. Present
    means the chair's mark, else an active check-in at the door."""
    from eventsys.checkin.models import CheckIn

    carriers = _carriers(assembly_id)
    query = (
        select(carriers)
        .join(Registration, Registration.id == carriers.c.registration_id)
        .outerjoin(
            AttendanceMark,
            and_(
                AttendanceMark.assembly_id == assembly_id,
                AttendanceMark.registration_id == Registration.id,
            ),
        )
        .outerjoin(
            CheckIn,
            and_(CheckIn.registration_id == Registration.id, CheckIn.reverted_at.is_(None)),
        )
        .where(
            Registration.status == Status.CONFIRMED,
            func.coalesce(AttendanceMark.present, CheckIn.id.is_not(None)),
        )
    )
    return query, carriers


def exercisable_rights(
    session: Session, assembly_id: int, user_id: int, right_ids: list[int] | None = None
) -> list[tuple[int, int, str]]:
    """(right id, weight, member name) the user may vote for now: as the present delegate of
    the member, or of the member holding its proxy. A proxy counts only while its holder is
    present."""
    query, carriers = _present_carriers(assembly_id)
    query = (
        query.with_only_columns(carriers.c.right_id, carriers.c.weight, Organisation.name)
        .join(Organisation, Organisation.id == carriers.c.member_id)
        .where(Registration.user_id == user_id)
        .order_by(Organisation.name)
    )
    if right_ids:
        query = query.where(carriers.c.right_id.in_(right_ids))
    return [tuple(row) for row in session.execute(query)]


def voted_right_ids(session: Session, poll_id: int, right_ids: list[int]) -> set[int]:
    if not right_ids:
        return set()
    return set(
        session.execute(
            select(PollVote.right_id).where(
                PollVote.poll_id == poll_id, PollVote.right_id.in_(right_ids)
            )
        ).scalars()
    )


_STATEMENTS: dict[tuple[Any, ...], Any] = {}


def _cached(key: tuple[Any, ...], build: Any) -> Any:
    """Statements of the vote path, built once per shape: building a SQLAlchemy statement costs
    more Python time than the database takes to run it."""
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = build()
    return statement


def _vote_context(
    session: Session,
    poll_id: int,
    user_id: int,
    right_ids: list[int] | None,
    event_slug: str | None,
    token_digest: str | None = None,
) -> list[Any]:
    """One statement: the rights the user may use now, the poll's fixed facts and, on
    PostgreSQL, the poll's gate taken shared (so the close waits for this vote). Given an API
    token's digest instead of a user, the token is resolved in the same statement: one round
    trip less on the busiest request of the Assembly."""
    dialect = session.get_bind().dialect.name
    with_token = token_digest is not None
    key = ("context", dialect, bool(right_ids), event_slug is not None, with_token)
    statement = _cached(key, lambda: _vote_context_statement(*key[1:]))
    values: dict[str, Any] = (
        {"poll_id": poll_id, "token_digest": token_digest}
        if with_token
        else {"poll_id": poll_id, "user_id": user_id}
    )
    if right_ids:
        values["right_ids"] = list(right_ids)
    if event_slug is not None:
        values["event_slug"] = event_slug
    return list(session.execute(statement, values))


def _vote_context_statement(
    dialect: str, with_rights: bool, with_slug: bool, with_token: bool = False
) -> Any:
    poll_id = bindparam("poll_id", type_=Integer)
    assembly_id = (
        select(Poll.assembly_id).where(Poll.id == poll_id).correlate(None).scalar_subquery()
    )
    query, carriers = _present_carriers(assembly_id)
    columns = [
        carriers.c.right_id,
        carriers.c.weight,
        Organisation.name,
        Poll.secret,
        Poll.election,
        Poll.max_choices,
        Poll.option_keys,
        Registration.user_id,
    ]
    if dialect == "postgresql":
        columns.append(func.pg_advisory_xact_lock_shared(POLL_LOCK_CLASS, poll_id))
    query = (
        query.with_only_columns(*columns)
        .join(Organisation, Organisation.id == carriers.c.member_id)
        .join(Poll, Poll.id == poll_id)
        .where(Registration.user_id == _voter(with_token))
        .order_by(Organisation.name)
    )
    if with_rights:
        query = query.where(carriers.c.right_id.in_(bindparam("right_ids", expanding=True)))
    if with_slug:  # the API names the event: the poll must be its Assembly's
        query = (
            query.join(Assembly, Assembly.id == Poll.assembly_id)
            .join(Event, Event.id == Assembly.event_id)
            .where(Event.slug == bindparam("event_slug"))
        )
    return query


def _voter(with_token: bool) -> Any:
    """The voting user: given, or the owner of an unrevoked API token of an active account."""
    if not with_token:
        return bindparam("user_id", type_=Integer)
    return (
        select(ApiToken.user_id)
        .join(User, User.id == ApiToken.user_id)
        .where(
            ApiToken.digest == bindparam("token_digest"),
            ApiToken.revoked_at.is_(None),
            User.deleted_at.is_(None),
        )
        .correlate(None)
        .scalar_subquery()
    )


def cast_vote(
    session: Session,
    poll_id: int,
    user_id: int | None,
    choices: list[int],
    right_ids: list[int] | None = None,
    *,
    event_slug: str | None = None,
    token_digest: str | None = None,
) -> list[CastReceipt]:
    """Records one ballot per voting right the user exercises; returns the receipts.

    On PostgreSQL two statements: who may vote (taking the poll's gate), then the (poll, right)
    rows, inserted only while the poll is open, with their ballots. The caller commits. The
    database's (poll, right) key makes a repeated vote a no-op, which is reported; nothing is
    ever counted twice. On SQLite the write lock, taken first, does what the gate does.
    """
    sqlite.hold_write_lock(session)
    rows = _vote_context(session, poll_id, user_id, right_ids, event_slug, token_digest)
    if not rows:
        _explain_no_rights(session, poll_id, event_slug)
    if right_ids and len(rows) != len(set(right_ids)):
        raise Forbidden(
            _(
                "You may not vote for one of these members now: "
                "you are not present as its delegate or proxy."
            ),
            field="rights",
        )
    secret, election, max_choices, option_keys = rows[0][3:7]
    options = {int(option_id): key for option_id, key in option_keys.items()}
    choices = _valid_choices(choices, options, election=election, max_choices=max_choices)
    rights = [(row[0], row[1], row[2]) for row in rows]
    return record_ballots(session, poll_id, secret, rights, choices, cast_by_id=rows[0][7])


def _explain_no_rights(session: Session, poll_id: int, event_slug: str | None) -> None:
    query = select(Poll.state).where(Poll.id == poll_id)
    if event_slug is not None:
        query = (
            query.join(Assembly, Assembly.id == Poll.assembly_id)
            .join(Event, Event.id == Assembly.event_id)
            .where(Event.slug == event_slug)
        )
    if session.execute(query).first() is None:
        raise NotFound(_("There is no such poll."))
    raise Forbidden(
        _("You hold no voting right you can use now. Delegates vote once checked in."),
        field="rights",
    )


@dataclass
class _Unit:
    """One ballot row: a receipt for one right, with the weight and member count it adds."""

    right_id: int
    member: str
    receipt: str
    weight: int
    members: int


def _ballot_units(secret: bool, rights: list[tuple[int, int, str]]) -> list[_Unit]:
    """A named vote: one ballot per right with its weight. A secret vote: one ballot of weight 1
    per unit of weight, so no published line can single out a member by its weight."""
    units = []
    for right_id, weight, member in rights:
        if not secret:
            units.append(_Unit(right_id, member, new_receipt(), weight, 1))
            continue
        for index in range(weight):
            units.append(_Unit(right_id, member, new_receipt(), 1, 1 if index == 0 else 0))
    return units


def record_ballots(
    session: Session,
    poll_id: int,
    secret: bool,
    rights: list[tuple[int, int, str]],
    choices: list[int],
    *,
    cast_by_id: int | None,
) -> list[CastReceipt]:
    """Marks the rights as having voted and stores their ballots; returns one receipt per ballot.
    The caller has checked that the poll is open, the choices valid and the rights the voter's
    to use."""
    units = _ballot_units(secret, rights)
    if session.get_bind().dialect.name == "postgresql":
        stored = _record_in_one_statement(
            session, poll_id, secret, [r[0] for r in rights], units, choices, cast_by_id
        )
        recorded = [unit for unit in units if unit.receipt in stored]
    else:
        voted = _record_voters(session, poll_id, [r[0] for r in rights], cast_by_id)
        recorded = [unit for unit in units if unit.right_id in voted]
    if not recorded:
        _refuse_recorded_nothing(session, poll_id)
    if session.get_bind().dialect.name != "postgresql":
        session.execute(
            Ballot.__table__.insert(),
            [
                {
                    "receipt": unit.receipt,
                    "poll_id": poll_id,
                    "secret": secret,
                    "right_id": None if secret else unit.right_id,
                    "weight": unit.weight,
                    "members": unit.members,
                    "choices": choices,
                }
                for unit in recorded
            ],
        )
    return [CastReceipt(unit.right_id, unit.member, unit.receipt) for unit in recorded]


def _refuse_recorded_nothing(session: Session, poll_id: int) -> None:
    state = session.execute(select(Poll.state).where(Poll.id == poll_id)).scalar_one()
    if state != PollState.OPEN:
        raise Conflict(
            _("This poll is closed: your vote was not counted.")
            if state in (PollState.CLOSED, PollState.ANNULLED)
            else _("This poll is not open yet."),
            code="poll_closed",
        )
    raise Conflict(
        _("You have already voted in this poll; each vote is counted once."),
        code="already_voted",
    )


# PostgreSQL: the voted rows and the ballots in one statement, one round trip. The ballots
# join only the rights actually inserted, so a duplicate or a closed poll stores nothing.
RECORD_SQL = text(
    """
    WITH voted AS (
        INSERT INTO poll_votes (poll_id, right_id, cast_by_id)
        SELECT polls.id, given.right_id, :user_id
        FROM polls, unnest(CAST(:right_ids AS integer[])) AS given(right_id)
        WHERE polls.id = :poll_id AND polls.state = :open_state
        ON CONFLICT (poll_id, right_id) DO NOTHING
        RETURNING right_id
    )
    INSERT INTO ballots (receipt, poll_id, secret, right_id, weight, members, choices)
    SELECT b.receipt, :poll_id, :secret,
           CASE WHEN :secret THEN NULL ELSE voted.right_id END, b.weight, b.members,
           CAST(:choices AS json)
    FROM voted
    JOIN unnest(CAST(:unit_rights AS integer[]), CAST(:receipts AS text[]),
                CAST(:weights AS integer[]), CAST(:members AS integer[]))
         AS b(right_id, receipt, weight, members)
      ON b.right_id = voted.right_id
    RETURNING receipt
    """
)


def _record_in_one_statement(
    session: Session,
    poll_id: int,
    secret: bool,
    right_ids: list[int],
    units: list[_Unit],
    choices: list[int],
    cast_by_id: int | None,
) -> set[str]:
    values = {
        "poll_id": poll_id,
        "user_id": cast_by_id,
        "secret": secret,
        "right_ids": right_ids,
        "unit_rights": [unit.right_id for unit in units],
        "receipts": [unit.receipt for unit in units],
        "weights": [unit.weight for unit in units],
        "members": [unit.members for unit in units],
        "choices": json.dumps(choices),
        "open_state": PollState.OPEN.value,  # the column stores enum values (eventsys.db)
    }
    return set(session.execute(RECORD_SQL, values).scalars())


def poll_gate(session: Session, poll_id: int, *, exclusive: bool) -> None:
    """Votes pass the gate together (shared); closing and annulling pass it alone. Held until
    the transaction ends. SQLite serialises all writers: its write lock is the gate."""
    if session.get_bind().dialect.name != "postgresql":
        sqlite.hold_write_lock(session)
        return
    function = func.pg_advisory_xact_lock if exclusive else func.pg_advisory_xact_lock_shared
    session.execute(select(function(POLL_LOCK_CLASS, poll_id)))


def _valid_choices(
    choices: list[int], options: dict[int, str], *, election: bool, max_choices: int
) -> list[int]:
    picked = list(dict.fromkeys(int(c) for c in choices or []))
    if not picked:
        raise ServiceError(_("Please choose an option."), field="choices")
    unknown = [c for c in picked if c not in options]
    if unknown:
        raise ServiceError(_("This poll has no such option."), field="choices")
    if not election:
        if len(picked) != 1:
            raise ServiceError(_("Please choose exactly one option."), field="choices")
        return picked
    if any(options[c] == "abstain" for c in picked) and len(picked) > 1:
        raise ServiceError(_("An abstention cannot be combined with candidates."), field="choices")
    if len(picked) > max_choices:
        raise ServiceError(
            ngettext(
                "You may choose at most %(num)s candidate.",
                "You may choose at most %(num)s candidates.",
                max_choices,
            ),
            field="choices",
        )
    return sorted(picked)


def _record_voters(
    session: Session, poll_id: int, right_ids: list[int], user_id: int | None
) -> set[int]:
    """Inserts (poll, right) rows while the poll is open, skipping rights that voted already;
    returns the rights inserted. The state is read after the gate, so never after a close."""
    dialect = session.get_bind().dialect.name
    statement = _cached(("record", dialect), lambda: _record_voters_statement(dialect))
    values = {"poll_id": poll_id, "right_ids": list(right_ids), "user_id": user_id}
    return set(session.execute(statement, values).scalars())


def _record_voters_statement(dialect: str) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    rows = (
        select(Poll.id, VotingRight.id, bindparam("user_id", type_=Integer))
        .select_from(Poll)
        .join(VotingRight, VotingRight.id.in_(bindparam("right_ids", expanding=True)))
        .where(Poll.id == bindparam("poll_id", type_=Integer), Poll.state == PollState.OPEN)
    )
    table = PollVote.__table__  # Core, not the ORM's bulk-insert path
    return (
        insert(table)
        .from_select(["poll_id", "right_id", "cast_by_id"], rows)
        .on_conflict_do_nothing(index_elements=["poll_id", "right_id"])
        .returning(table.c.right_id)
    )


# --- Counting, closing, annulling ----------------------------------------------------------


def projected_poll(session: Session, assembly: Assembly) -> Poll | None:
    """What the hall sees: the poll open now, else the one closed last."""
    for state, order in ((PollState.OPEN, Poll.opened_at), (PollState.CLOSED, Poll.closed_at)):
        poll = session.execute(
            select(Poll)
            .where(Poll.assembly_id == assembly.id, Poll.state == state)
            .order_by(order.desc())
            .limit(1)
        ).scalar_one_or_none()
        if poll is not None:
            return poll
    return None


def assembly_state(session: Session, assembly_id: int) -> dict[str, str]:
    """What the live pages poll for (one statement): `polls` changes when a poll opens, closes,
    is annulled or repeated; `votes` also when someone votes in an open poll (the projector's
    count). Digests only: they say nothing that the projector does not show."""
    rows = session.execute(
        select(Poll.id, Poll.state, func.count(PollVote.right_id))
        .outerjoin(PollVote, and_(PollVote.poll_id == Poll.id, Poll.state == PollState.OPEN))
        .where(Poll.assembly_id == assembly_id, Poll.state != PollState.DRAFT)
        .group_by(Poll.id, Poll.state)
        .order_by(Poll.id)
    ).all()
    polls = ";".join(f"{poll_id}:{PollState(state).value}" for poll_id, state, _n in rows)
    votes = polls + "|" + ",".join(str(count) for _i, _s, count in rows)
    return {
        "polls": hashlib.sha256(polls.encode()).hexdigest()[:16],
        "votes": hashlib.sha256(votes.encode()).hexdigest()[:16],
    }


def assembly_state_version(session: Session, assembly_id: int) -> str:
    return assembly_state(session, assembly_id)["polls"]


def vote_count(session: Session, poll_id: int) -> int:
    return session.execute(
        select(func.count()).select_from(PollVote).where(PollVote.poll_id == poll_id)
    ).scalar_one()


def present_rights(session: Session, assembly_id: int) -> list[tuple[int, int]]:
    """(right id, weight) of every right whose carrier is present now.

    Three plain queries joined in Python: their plans stay good even before the database has
    statistics on a freshly imported membership (a join planned on guesses took seconds)."""
    event_id = session.execute(
        select(Assembly.event_id).where(Assembly.id == assembly_id)
    ).scalar_one()
    carriers = _carriers(assembly_id)
    rows = session.execute(
        select(carriers.c.right_id, carriers.c.weight, carriers.c.registration_id)
    ).all()
    confirmed = set(
        session.execute(
            select(Registration.id).where(
                Registration.event_id == event_id, Registration.status == Status.CONFIRMED
            )
        ).scalars()
    )
    present = _present_ids(session, assembly_id, event_id) & confirmed
    return [(right_id, weight) for right_id, weight, carrier in rows if carrier in present]


def tally(session: Session, poll: Poll) -> dict[str, Any]:
    """Counts by weight and by members, presence and entitlement: the input of majority.decide."""
    options = {option.id: option for option in poll.options}
    by_weight = dict.fromkeys(options, 0)
    by_members = dict.fromkeys(options, 0)
    ballots = ballots_weight = 0
    # Summed by the database per distinct choice (a handful of rows), not one row per ballot.
    choice_text = cast(Ballot.choices, Text)
    for choices, weight, members in session.execute(
        select(choice_text, func.sum(Ballot.weight), func.sum(Ballot.members))
        .where(Ballot.poll_id == poll.id)
        .group_by(choice_text)
    ):
        weight, members = int(weight), int(members)
        ballots += members
        ballots_weight += weight
        for option_id in json.loads(choices):
            by_weight[option_id] += weight
            by_members[option_id] += members
    entitled, entitled_weight = session.execute(
        select(func.count(), func.coalesce(func.sum(VotingRight.weight), 0)).where(
            VotingRight.assembly_id == poll.assembly_id
        )
    ).one()
    present = dict(present_rights(session, poll.assembly_id))
    # Taking part counts as present, even if the delegate left the hall just after voting.
    voted = session.execute(
        select(VotingRight.id, VotingRight.weight).join(
            PollVote, and_(PollVote.right_id == VotingRight.id, PollVote.poll_id == poll.id)
        )
    ).all()
    present.update(dict(voted))
    return {
        "options": [
            {
                "id": option_id,
                "key": options[option_id].key,
                "label": options[option_id].label,
                "weight": by_weight[option_id],
                "members": by_members[option_id],
            }
            for option_id in options
        ],
        "ballots": ballots,
        "ballots_weight": ballots_weight,
        "present": len(present),
        "present_weight": sum(present.values()),
        "entitled": entitled,
        "entitled_weight": int(entitled_weight),
    }


def decide_poll(poll: Poll, counts: dict[str, Any]) -> majority.Decision:
    rule = majority.Rule(
        majority=poll.majority,
        base=poll.base,
        quorum=Fraction(poll.quorum_percent, 100),
        tie=poll.tie_rule,
        double=poll.double_majority,
        seats=poll.seats,
    )

    def unit(key: str, ballots: str, present: str, entitled: str) -> majority.Count:
        options: dict[str, Fraction] = {}
        for option in counts["options"]:
            name = option["key"] if option["key"] != "candidate" else option["label"]
            options[name] = Fraction(option[key])
        return majority.Count(
            options=options,
            ballots=Fraction(counts[ballots]),
            present=Fraction(counts[present]),
            entitled=Fraction(counts[entitled]),
        )

    words = {
        MotionKind.ADMISSION: (_("Admitted"), _("Not admitted")),
        MotionKind.RESOLUTION: (_("Adopted"), _("Rejected")),
        MotionKind.ELECTION: (None, None),
    }[poll.motion.kind]
    return majority.decide(
        unit("weight", "ballots_weight", "present_weight", "entitled_weight"),
        rule,
        members=unit("members", "ballots", "present", "entitled"),
        election=poll.election,
        passed_word=words[0],
        failed_word=words[1],
    )


def close_poll(session: Session, poll_id: int, *, actor_id: int | None = None) -> Poll:
    """Closes atomically and fixes the result. Waits for the votes in flight (they hold the
    poll's gate shared), so every acknowledged vote is counted; later votes see it closed."""
    poll_gate(session, poll_id, exclusive=True)
    poll = session.execute(
        select(Poll)
        .where(Poll.id == poll_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if poll is None:
        raise NotFound(_("There is no such poll."))
    if poll.state != PollState.OPEN:
        raise Conflict(_("Only an open poll can be closed."))
    counts = tally(session, poll)
    decision = decide_poll(poll, counts)
    poll.state = PollState.CLOSED
    poll.closed_at = utcnow()
    poll.result = {**counts, "quorum_reached": decision.quorum_reached, "tie": decision.tie}
    poll.result["elected"] = decision.elected
    poll.decision = decision.text
    poll.passed = decision.passed
    assembly = poll.motion.assembly
    _apply_admission(session, poll, assembly)
    append_audit(
        session,
        assembly,
        "poll_closed",
        {"poll": poll.id, "votes": counts["ballots"], "decision": decision.text},
        actor_id,
    )
    session.flush()
    return poll


def _apply_admission(session: Session, poll: Poll, assembly: Assembly) -> None:
    application = poll.motion.application
    if poll.motion.kind != MotionKind.ADMISSION or application is None:
        return
    if not poll.passed:
        application.status = ApplicationStatus.REJECTED
        return
    application.status = ApplicationStatus.ADMITTED
    already = session.execute(
        select(Membership.id).where(
            Membership.network_id == assembly.network_id,
            Membership.member_id == application.organisation_id,
            Membership.started_on == assembly.held_on,
        )
    ).first()
    if not already:
        session.add(
            Membership(
                network_id=assembly.network_id,
                member_id=application.organisation_id,
                started_on=assembly.held_on,
            )
        )


def annul_poll(session: Session, poll: Poll, reason: str, *, actor_id: int | None = None) -> Poll:
    """A poll opened by mistake: it stays in the record as annulled; its ballots are kept."""
    if not (reason or "").strip():
        raise ServiceError(_("Please say why the poll is annulled."), field="reason")
    poll_gate(session, poll.id, exclusive=True)
    locked = session.execute(
        select(Poll)
        .where(Poll.id == poll.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    if locked.state not in (PollState.OPEN, PollState.CLOSED):
        raise Conflict(_("Only an open or closed poll can be annulled."))
    if locked.state == PollState.CLOSED and locked.passed and locked.motion.kind == "admission":
        raise Conflict(
            _("This poll admitted a member; ending that membership needs a motion of its own.")
        )
    if locked.motion.application is not None and locked.state == PollState.CLOSED:
        locked.motion.application.status = ApplicationStatus.ON_AGENDA
    locked.state = PollState.ANNULLED
    locked.annulled_at = utcnow()
    locked.annul_reason = reason.strip()
    append_audit(
        session,
        locked.motion.assembly,
        "poll_annulled",
        {"poll": locked.id, "reason": locked.annul_reason},
        actor_id,
    )
    session.flush()
    return locked


def repeat_poll(session: Session, poll: Poll) -> Poll:
    if poll.state != PollState.ANNULLED:
        raise Conflict(_("Only an annulled poll is repeated."))
    candidates = [o.label for o in poll.options if o.key == "candidate"]
    return create_poll(
        session,
        poll.motion,
        secret=poll.secret,
        majority_rule=poll.majority,
        base=poll.base,
        double_majority=poll.double_majority,
        quorum_percent=poll.quorum_percent,
        tie_rule=poll.tie_rule,
        candidates=candidates,
        max_choices=poll.max_choices,
        seats=poll.seats,
        repeat_of=poll,
    )


def published_ballots(session: Session, poll: Poll) -> list[dict[str, Any]]:
    """After the close: (receipt, choice, weight) for everyone to check; named polls add the
    member. Sorted by receipt, which is random, so the order says nothing about who voted when."""
    if poll.state not in (PollState.CLOSED, PollState.ANNULLED):
        raise Conflict(_("The ballots are published when the poll closes."))
    labels = {option.id: option.label for option in poll.options}
    members: dict[int, str] = {}
    if not poll.secret:
        members = dict(
            session.execute(
                select(VotingRight.id, Organisation.name)
                .join(Organisation, Organisation.id == VotingRight.member_id)
                .where(VotingRight.assembly_id == poll.assembly_id)
            ).all()
        )
    rows = session.execute(
        select(Ballot.receipt, Ballot.choices, Ballot.weight, Ballot.right_id)
        .where(Ballot.poll_id == poll.id)
        .order_by(Ballot.receipt)
    )
    return [
        {
            "receipt": receipt,
            "choice": ", ".join(labels[c] for c in choices) or _("blank"),
            "weight": weight,
            "member": members.get(right_id) if right_id else None,
        }
        for receipt, choices, weight, right_id in rows
    ]


# --- Audit log ---------------------------------------------------------------------------


def _audit_digest(previous: str, seq: int, action: str, details: dict, at: str, actor) -> str:
    payload = json.dumps(
        [previous, seq, action, details, at, actor], sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def append_audit(
    session: Session,
    assembly: Assembly,
    action: str,
    details: dict[str, Any],
    actor_id: int | None = None,
) -> AuditEntry:
    """Appends to the chain. Callers hold the assembly or poll lock; we take the assembly's."""
    lock_assembly(session, assembly)
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.digest)
        .where(AuditEntry.assembly_id == assembly.id)
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    seq, previous = (last[0] + 1, last[1]) if last else (1, "")
    at = utcnow().replace(microsecond=0)
    entry = AuditEntry(
        assembly_id=assembly.id,
        seq=seq,
        at=at,
        actor_id=actor_id,
        action=action,
        details=details,
        digest=_audit_digest(previous, seq, action, details, at.isoformat(), actor_id),
    )
    session.add(entry)
    session.flush()
    return entry


def audit_entries(session: Session, assembly: Assembly) -> list[AuditEntry]:
    return list(
        session.execute(
            select(AuditEntry).where(AuditEntry.assembly_id == assembly.id).order_by(AuditEntry.seq)
        ).scalars()
    )


def verify_audit(
    session: Session, assembly: Assembly, entries: list[AuditEntry] | None = None
) -> bool:
    """True when no entry was changed, removed or inserted out of order. `entries`: the log
    already read (a page showing it need not read it twice)."""
    previous = ""
    if entries is None:
        entries = audit_entries(session, assembly)
    for expected_seq, entry in enumerate(entries, 1):
        digest = _audit_digest(
            previous,
            entry.seq,
            entry.action,
            entry.details,
            entry.at.isoformat(),
            entry.actor_id,
        )
        if entry.seq != expected_seq or digest != entry.digest:
            return False
        previous = entry.digest
    return True


def is_delegate(session: Session, assembly: Assembly, user_id: int) -> bool:
    return bool(
        session.execute(
            select(literal(1))
            .select_from(VotingRight)
            .join(Registration, Registration.id == VotingRight.delegate_registration_id)
            .where(VotingRight.assembly_id == assembly.id, Registration.user_id == user_id)
        ).first()
    )
