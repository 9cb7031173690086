"""A closed declaration as a PDF: its text and its public signatories (WeasyPrint)."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from weasyprint import HTML

from eventsys.db import utcnow
from eventsys.declarations import services
from eventsys.declarations.models import Declaration
from eventsys.errors import Conflict


def declaration_pdf(session: Session, declaration: Declaration, locale: str) -> bytes:
    if declaration.state(utcnow()) != "closed":
        raise Conflict(
            _("The declaration prints once it has closed; until then signatures still change."),
            code="not_closed",
        )
    counts = services.counts(session, declaration)
    signatories = services.public_signatories(session, declaration)
    html = render_template(
        "declarations/print.html",
        declaration=declaration,
        event=declaration.event,
        counts=counts,
        signatories=signatories,
        unnamed=counts.total - len(signatories),
        locale=locale,
    )
    # Local base: the PDF never fetches anything over the network.
    return HTML(string=html, base_url=current_app.static_folder).write_pdf()
