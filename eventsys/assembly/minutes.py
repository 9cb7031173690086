"""The minutes of an Assembly as a PDF: attendance (hall, remote, proxy), the agenda with its
speakers, proxies, every motion, poll and result."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.assembly import services
from eventsys.assembly.agenda.context import item_view
from eventsys.assembly.agenda.services import agenda_items
from eventsys.assembly.models import Assembly
from eventsys.assembly.services.attendance import presence_modes
from eventsys.db import utcnow
from eventsys.registration.models import Registration


def minutes_context(session: Session, assembly: Assembly) -> dict:
    overview = services.rights_overview(session, assembly)
    registration_ids = {view.holder_registration_id for view in overview} - {None}
    rows = session.execute(
        select(Registration.id, Registration.display_name).where(
            Registration.id.in_(registration_ids)
        )
    ).tuples()
    names: dict[int, str] = dict(rows.all())
    by_id = {view.right.id: view.right for view in overview}
    return {
        "assembly": assembly,
        "event": assembly.event,
        "overview": overview,
        "names": names,
        "rights_by_id": by_id,
        "present": [view for view in overview if view.present],
        "absent": [view for view in overview if not view.present],
        "proxies": [view for view in overview if view.right.proxy_holder_id],
        "motions": assembly.motions,
        "presence": services.presence_summary(session, assembly),
        "modes": presence_modes(session, assembly.id, assembly.event_id),
        "agenda": [item_view(item) for item in agenda_items(session, assembly)],
        "audit_ok": services.verify_audit(session, assembly),
        "audit_count": len(services.audit_entries(session, assembly)),
        "printed_at": utcnow(),
    }


def render_minutes(session: Session, assembly: Assembly) -> bytes:
    # Heavy (the PDF stack): loaded only when a PDF is drawn.
    from weasyprint import HTML  # noqa: PLC0415

    html = render_template("assembly/minutes.html", **minutes_context(session, assembly))
    return HTML(string=html).write_pdf()
