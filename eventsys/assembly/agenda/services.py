"""Agenda rules: the chair adds and orders items and opens one at a time; people registered
for the event ask to speak on an item and withdraw; the chair orders, starts and stops them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from eventsys.assembly.agenda.models import (
    AgendaDocument,
    AgendaItem,
    ItemKind,
    ItemState,
    Speaker,
)
from eventsys.assembly.models import Assembly, MembershipApplication, Motion
from eventsys.assembly.services.applications import Upload, store_pdf
from eventsys.assembly.services.audit import append_audit
from eventsys.assembly.services.locking import lock_assembly
from eventsys.db import utcnow
from eventsys.errors import Conflict, Forbidden, NotFound, ServiceError
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration

KINDS = tuple(kind.value for kind in ItemKind)
MAX_SPEAKING_SECONDS = 3600


def agenda_items(session: Session, assembly: Assembly) -> list[AgendaItem]:
    """In order, each with its speakers (and who they are), documents, motion and application:
    the desk, the projector, the API and the minutes show them all, so they come in a few
    queries rather than a few per item."""
    return list(
        session.execute(
            select(AgendaItem)
            .where(AgendaItem.assembly_id == assembly.id)
            .order_by(AgendaItem.position, AgendaItem.id)
            .options(
                selectinload(AgendaItem.speakers).joinedload(Speaker.registration),
                selectinload(AgendaItem.own_documents),
                joinedload(AgendaItem.motion),
                joinedload(AgendaItem.application),
            )
        ).scalars()
    )


def item_of(session: Session, assembly: Assembly, item_id: int) -> AgendaItem:
    item = session.get(AgendaItem, item_id)
    if item is None or item.assembly_id != assembly.id:
        raise NotFound(_("There is no such agenda item."))
    return item


def current_item(session: Session, assembly_id: int) -> AgendaItem | None:
    return session.execute(
        select(AgendaItem).where(
            AgendaItem.assembly_id == assembly_id, AgendaItem.state == ItemState.OPEN.value
        )
    ).scalar_one_or_none()


def create_item(
    session: Session,
    assembly: Assembly,
    *,
    kind: str,
    title: str = "",
    text: str = "",
    motion_id: int | None = None,
    application_id: int | None = None,
    speaking_seconds: int = 180,
    actor_id: int | None = None,
) -> AgendaItem:
    """A new item at the end of the agenda. Linked to a motion or an application, it takes its
    title from it unless one is given."""
    if kind not in KINDS:
        raise ServiceError(_("Unknown kind of agenda item."), field="kind")
    _check_seconds(speaking_seconds)
    motion = _motion(session, assembly, motion_id)
    application = _application(session, assembly, application_id)
    title = (title or "").strip() or (motion.title if motion else "")
    if not title and application is not None:
        title = _("Admission of %(name)s", name=application.organisation.name)
    if not title:
        raise ServiceError(_("An agenda item needs a title."), field="title")
    if len(title) > 300:
        raise ServiceError(_("The title is too long (300 characters at most)."), field="title")
    lock_assembly(session, assembly)
    last = session.execute(
        select(func.max(AgendaItem.position)).where(AgendaItem.assembly_id == assembly.id)
    ).scalar_one()
    item = AgendaItem(
        assembly_id=assembly.id,
        position=(last or 0) + 1,
        kind=kind,
        title=title,
        text=(text or "").strip(),
        motion_id=motion.id if motion else None,
        application_id=application.id if application else None,
        speaking_seconds=speaking_seconds,
    )
    session.add(item)
    session.flush()
    append_audit(
        session, assembly, "agenda_item_added", {"item": item.id, "title": title}, actor_id
    )
    return item


def _check_seconds(seconds: int) -> None:
    if not 0 <= seconds <= MAX_SPEAKING_SECONDS:
        raise ServiceError(
            _("The speaking time is between 0 (no limit) and 3600 seconds."),
            field="speaking_seconds",
        )


def _motion(session: Session, assembly: Assembly, motion_id: int | None) -> Motion | None:
    if motion_id is None:
        return None
    motion = session.get(Motion, motion_id)
    if motion is None or motion.assembly_id != assembly.id:
        raise NotFound(_("There is no such motion."))
    return motion


def _application(
    session: Session, assembly: Assembly, application_id: int | None
) -> MembershipApplication | None:
    if application_id is None:
        return None
    application = session.get(MembershipApplication, application_id)
    if application is None or application.assembly_id != assembly.id:
        raise NotFound(_("There is no such application."))
    return application


def move_item(session: Session, item: AgendaItem, offset: int) -> None:
    """Up (-1) or down (+1) one place; at either end nothing moves."""
    if _move_in(agenda_items(session, item.assembly), item, offset, "position"):
        session.flush()


def _move_in(rows: list[Any], row: Any, offset: int, number: str) -> bool:
    """`row` up (-1) or down (+1) one place in the ordered `rows`, which are numbered again
    from 1 in their attribute `number`; False (nothing moves) at either end."""
    index = rows.index(row)
    other = index + offset
    if offset not in (-1, 1) or not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    for value, each in enumerate(rows, start=1):
        setattr(each, number, value)
    return True


def open_item(session: Session, item: AgendaItem, *, actor_id: int | None = None) -> AgendaItem:
    """The item the Assembly deals with now; the one open before closes (its speaker stops)."""
    assembly = item.assembly
    lock_assembly(session, assembly)
    previous = current_item(session, assembly.id)
    if previous is not None and previous.id != item.id:
        _close(previous)
    item.state = ItemState.OPEN.value
    item.opened_at = utcnow()
    item.closed_at = None
    append_audit(session, assembly, "agenda_item_opened", {"item": item.id}, actor_id)
    session.flush()
    return item


def close_item(session: Session, item: AgendaItem, *, actor_id: int | None = None) -> AgendaItem:
    if item.state != ItemState.OPEN.value:
        raise Conflict(_("Only the open agenda item can be closed."))
    lock_assembly(session, item.assembly)
    _close(item)
    append_audit(session, item.assembly, "agenda_item_closed", {"item": item.id}, actor_id)
    session.flush()
    return item


def _close(item: AgendaItem) -> None:
    now = utcnow()
    for speaker in item.speakers:
        if speaker.begun_at is not None and speaker.ended_at is None:
            speaker.ended_at = now
    item.state = ItemState.CLOSED.value
    item.closed_at = now


def set_speakers_closed(session: Session, item: AgendaItem, closed: bool) -> None:
    """A closed list takes no more requests; the chair can still add someone."""
    item.speakers_closed = closed
    session.flush()


# --- Lists of speakers ---------------------------------------------------------------------


def waiting(item: AgendaItem) -> list[Speaker]:
    return sorted((s for s in item.speakers if s.begun_at is None), key=lambda s: (s.weight, s.id))


def speaking(item: AgendaItem) -> Speaker | None:
    return next((s for s in item.speakers if s.begun_at and s.ended_at is None), None)


def spoken(item: AgendaItem) -> list[Speaker]:
    return sorted(
        (s for s in item.speakers if s.ended_at is not None),
        key=lambda s: (s.begun_at, s.id),
    )


def registration_of_user(
    session: Session, assembly: Assembly, user_id: int | None
) -> Registration | None:
    """The user's confirmed registration for the Assembly's event, if any."""
    if user_id is None:
        return None
    return session.execute(
        select(Registration)
        .where(
            Registration.event_id == assembly.event_id,
            Registration.user_id == user_id,
            Registration.status == Status.CONFIRMED,
        )
        .order_by(Registration.id)
        .limit(1)
    ).scalar_one_or_none()


def ask_to_speak(session: Session, item: AgendaItem, user_id: int | None) -> Speaker:
    """From the delegate's phone: onto the end of the list of the item."""
    registration = registration_of_user(session, item.assembly, user_id)
    if registration is None:
        raise Forbidden(_("Only people registered for the Assembly's event may ask to speak."))
    if item.speakers_closed:
        raise Conflict(_("The list of speakers on this item is closed."))
    return add_speaker(session, item, registration)


def add_speaker(session: Session, item: AgendaItem, registration: Registration) -> Speaker:
    """Onto the end of the list (the chair may add someone to a closed list)."""
    if registration.event_id != item.assembly.event_id:
        raise NotFound(_("This person is not registered for the Assembly's event."))
    if item.state == ItemState.CLOSED.value:
        raise Conflict(_("This agenda item is closed."))
    lock_assembly(session, item.assembly)
    if any(s.registration_id == registration.id for s in waiting(item)):
        raise Conflict(_("%(name)s is on the list already.", name=registration.display_name))
    last = max((s.weight for s in waiting(item)), default=0)
    speaker = Speaker(item=item, registration=registration, weight=last + 1)
    session.add(speaker)
    session.flush()
    return speaker


def withdraw(session: Session, item: AgendaItem, user_id: int | None) -> None:
    """A request not yet begun goes; a speech given stays in the record."""
    registration = registration_of_user(session, item.assembly, user_id)
    request = next(
        (s for s in waiting(item) if registration and s.registration_id == registration.id),
        None,
    )
    if request is None:
        raise NotFound(_("You are not on this list of speakers."))
    remove_speaker(session, request)


def speaker_of(session: Session, item: AgendaItem, speaker_id: int) -> Speaker:
    speaker = session.get(Speaker, speaker_id)
    if speaker is None or speaker.item_id != item.id:
        raise NotFound(_("There is no such speaker on this item."))
    return speaker


def remove_speaker(session: Session, speaker: Speaker) -> None:
    if speaker.begun_at is not None:
        raise Conflict(_("A speech that has begun stays in the record."))
    speaker.item.speakers.remove(speaker)
    session.flush()


def move_speaker(session: Session, speaker: Speaker, offset: int) -> None:
    """Up (-1) or down (+1) one place among those waiting."""
    if speaker.begun_at is not None:
        raise Conflict(_("Only a waiting speaker can be moved."))
    if _move_in(waiting(speaker.item), speaker, offset, "weight"):
        session.flush()


def start_speaker(session: Session, speaker: Speaker, *, actor_id: int | None = None) -> Speaker:
    """Gives the floor; whoever had it stops. Only on the open item."""
    item = speaker.item
    if item.state != ItemState.OPEN.value:
        raise Conflict(_("Open the agenda item before giving the floor."))
    if speaker.begun_at is not None:
        raise Conflict(_("This speaker has spoken already."))
    lock_assembly(session, item.assembly)
    now = utcnow()
    _end_speech(item, now)
    speaker.begun_at = now
    session.flush()
    return speaker


def stop_speaker(session: Session, item: AgendaItem) -> Speaker:
    current = _end_speech(item, utcnow())
    if current is None:
        raise Conflict(_("Nobody is speaking."))
    session.flush()
    return current


def _end_speech(item: AgendaItem, now: datetime) -> Speaker | None:
    """Whoever has the floor on the item stops now; who that was (None: nobody)."""
    current = speaking(item)
    if current is not None:
        current.ended_at = now
    return current


def set_remote_quorum(
    session: Session, assembly: Assembly, counts: bool, *, actor_id: int | None = None
) -> Assembly:
    """The statutes' setting: whether delegates present online count for the quorum."""
    lock_assembly(session, assembly)
    if assembly.remote_counts_for_quorum != counts:
        assembly.remote_counts_for_quorum = counts
        append_audit(session, assembly, "settings", {"remote_counts_for_quorum": counts}, actor_id)
    session.flush()
    return assembly


def add_item_document(
    session: Session, item: AgendaItem, upload: Upload, *, upload_dir: str, max_bytes: int
) -> AgendaDocument:
    """A PDF for the item, checked and stored as applications' documents are."""
    stored_name, digest = store_pdf(
        Upload("other", upload.filename, upload.data), upload_dir=upload_dir, max_bytes=max_bytes
    )
    document = AgendaDocument(
        item=item,
        filename=(Path(upload.filename or "document.pdf").name.strip() or "document.pdf")[:200],
        stored_name=stored_name,
        size=len(upload.data),
        sha256=digest,
    )
    session.add(document)
    session.flush()
    return document


def item_document(session: Session, item: AgendaItem, document_id: int) -> AgendaDocument:
    document = session.get(AgendaDocument, document_id)
    if document is None or document.item_id != item.id:
        raise NotFound(_("There is no such document."))
    return document


def item_document_path(upload_dir: str, document: AgendaDocument) -> Path:
    return Path(upload_dir) / "assembly" / document.stored_name
