"""Demo agendas: Cascais's agenda with its speakers, the record of a meeting held in the
morning; the item on ROCM's admission is open, with two delegates waiting to speak."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from eventsys.assembly import services
from eventsys.assembly.agenda import services as agenda
from eventsys.assembly.agenda.models import AgendaItem
from eventsys.assembly.models import Assembly, Motion
from eventsys.registration.models import Registration

At = Callable[[int, int], datetime]


def record_item(
    session: Session,
    item: AgendaItem,
    speakers: list[tuple[Registration, int]],
    opened_at: datetime,
    closed_at: datetime,
) -> None:
    """An item dealt with: opened, each speaker given `seconds`, closed, at the given times."""
    moment = opened_at + timedelta(minutes=1)
    for registration, seconds in speakers:
        speaker = agenda.add_speaker(session, item, registration)
        speaker.requested_at = moment - timedelta(seconds=30)
        speaker.begun_at, speaker.ended_at = moment, moment + timedelta(seconds=seconds)
        moment += timedelta(seconds=seconds + 20)
    item.state = "closed"
    item.opened_at, item.closed_at = opened_at, closed_at


def cascais_agenda(
    session: Session,
    assembly: Assembly,
    speakers: list[Registration],
    at: At,
    *,
    admission: Motion,
    resolution: Motion,
    awaiting: Motion,
) -> list[AgendaItem]:
    def item(kind: str, title: str = "", motion: Motion | None = None, **kw) -> AgendaItem:
        return agenda.create_item(
            session,
            assembly,
            kind=kind,
            title=title,
            motion_id=motion.id if motion else None,
            application_id=motion.application_id if motion else None,
            **kw,
        )

    people = itertools.cycle(speakers)  # a small demo has few delegates: some speak twice
    opening = item("other", "Opening, quorum and adoption of the agenda", speaking_seconds=120)
    record_item(session, opening, [(next(people), 95)], at(10, 0), at(10, 10))
    report = item("report", "Report of the Executive Board 2023–2024", text="Presented by the "
                  "President; the accounts were checked by the auditors.")  # fmt: skip
    record_item(session, report, [(next(people), 170), (next(people), 205), (next(people), 140)],
                at(10, 10), at(10, 55))  # fmt: skip
    ceesen = item("application", motion=admission)
    record_item(session, ceesen, [(next(people), 150)], at(11, 0), at(11, 15))
    declaration = item("motion", motion=resolution)
    record_item(
        session, declaration, [(next(people), 180), (next(people), 95)], at(11, 16), at(11, 40)
    )
    rocm = item("application", motion=awaiting)
    agenda.open_item(session, rocm)
    rocm.opened_at = at(11, 45)
    for registration in (next(people), next(people)):
        agenda.add_speaker(session, rocm, registration)
    item("other", "Any other business")
    session.flush()
    return agenda.agenda_items(session, assembly)


def attach_pdf(session: Session, item: Any, filename: str, title: str, text: str) -> None:
    """A one-page PDF (made with WeasyPrint) attached to an agenda item."""
    agenda.add_item_document(
        session,
        item,
        services.Upload("other", filename, demo_pdf(title, text)),
        upload_dir=current_app.config["UPLOAD_DIR"],
        max_bytes=int(current_app.config["UPLOAD_MAX_BYTES"]),
    )


def demo_pdf(title: str, text: str) -> bytes:
    # Heavy (the PDF stack): loaded only when a PDF is drawn.
    from weasyprint import HTML  # noqa: PLC0415

    html = (
        "<html><body style='font-family: Noto Sans, sans-serif; margin: 2cm'>"
        f"<h1 style='font-size: 18pt'>{title}</h1><p>{text}</p>"
        "<p style='margin-top: 3cm'>Signed: ______________________</p></body></html>"
    )
    return HTML(string=html).write_pdf()
