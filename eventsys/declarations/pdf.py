"""A closed declaration as a PDF: its text and its public signatories (WeasyPrint).

Laying out a thousand names takes WeasyPrint seconds, and a closed declaration rarely changes,
so the file is kept in the instance folder under a digest of everything printed in it: any
change (an edited text, a deleted account's name) makes a new digest, hence a new file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from eventsys.db import utcnow
from eventsys.declarations import services
from eventsys.declarations.models import Declaration, Signature
from eventsys.errors import Conflict
from eventsys.organisations.countries import country_name


def HTML(**kwargs: Any) -> Any:  # noqa: N802  (stands for weasyprint.HTML; tests replace it)
    """weasyprint.HTML, loaded on the first PDF: starting the app does not load the PDF stack."""
    import weasyprint  # noqa: PLC0415  (heavy, see above)

    return weasyprint.HTML(**kwargs)


def _by_country(signatories: list[Signature], locale: str) -> list[tuple[str, list[Signature]]]:
    groups: dict[str, list[Signature]] = {}
    for signature in signatories:
        groups.setdefault(country_name(signature.country, locale) or "—", []).append(signature)
    return sorted(groups.items())


def _digest(declaration: Declaration, signatories: list[Signature], locale: str) -> str:
    session = Session.object_session(declaration)
    assert session is not None, "a declaration printed is one loaded from the database"
    content = [
        declaration.id,
        locale,
        declaration.title,
        declaration.text,
        declaration.title_translations,
        declaration.text_translations,
        declaration.closes_at.isoformat(),
        [(s.id, s.public_name, s.organisation_name, s.country) for s in signatories],
        services.counts_fingerprint(session, declaration),
    ]
    return hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()[:32]


def _cache_dir() -> Path:
    path = Path(current_app.instance_path) / "declarations"
    path.mkdir(parents=True, exist_ok=True)
    return path


def declaration_pdf(session: Session, declaration: Declaration, locale: str) -> bytes:
    if declaration.state(utcnow()) != "closed":
        raise Conflict(
            _("The declaration prints once it has closed; until then signatures still change."),
            code="not_closed",
        )
    signatories = services.public_signatories(session, declaration)
    prefix = f"{declaration.id}-{locale}-"
    cached = _cache_dir() / f"{prefix}{_digest(declaration, signatories, locale)}.pdf"
    if cached.exists():
        return cached.read_bytes()
    counts = services.counts(session, declaration)
    html = render_template(
        "declarations/print.html",
        declaration=declaration,
        event=declaration.event,
        counts=counts,
        groups=_by_country(signatories, locale),
        unnamed=counts.total - len(signatories),
        locale=locale,
    )
    # Local base: the PDF never fetches anything over the network.
    content = HTML(string=html, base_url=current_app.static_folder).write_pdf()
    for old in cached.parent.glob(f"{prefix}*.pdf"):
        old.unlink(missing_ok=True)
    partial = cached.with_suffix(".part")
    partial.write_bytes(content)
    partial.replace(cached)  # atomic: a parallel request never reads half a file
    return content
