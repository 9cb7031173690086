"""Membership applications and their PDF documents."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.assembly.models import (
    ApplicationDocument,
    ApplicationStatus,
    Assembly,
    MembershipApplication,
    Motion,
    Poll,
    PollState,
)
from eventsys.assembly.services import applicant_mail
from eventsys.assembly.services.audit import append_audit
from eventsys.assembly.services.rights import of_assembly
from eventsys.db import utcnow
from eventsys.errors import Conflict, ServiceError
from eventsys.organisations.models import Membership, Organisation, OrganisationKind

DOCUMENT_KINDS = ("resolution", "statutes", "letter", "other")
REQUIRED_DOCUMENT = "resolution"  # the council resolution committing to the climate targets
PDF_MAGIC = b"%PDF-"


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
    applicant_mail.application_received(session, application)
    return application


def application_of(
    session: Session, assembly: Assembly, application_id: int
) -> MembershipApplication:
    return of_assembly(
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
    if not complete:
        applicant_mail.documents_missing(session, application)
    append_audit(
        session,
        application.assembly,
        "application_reviewed",
        {"organisation": application.organisation.name, "complete": complete},
        actor_id,
    )
    session.flush()
    return application


def _open_poll_for_application(session: Session, application: MembershipApplication) -> bool:
    return bool(
        session.execute(
            select(Poll.id)
            .join(Motion, Motion.id == Poll.motion_id)
            .where(Motion.application_id == application.id, Poll.state == PollState.OPEN)
        ).first()
    )
