"""Queue tasks: print each declaration that has just closed, so nobody waits for WeasyPrint."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from huey import crontab
from sqlalchemy import select

from eventsys.db import utcnow
from eventsys.declarations import pdf
from eventsys.declarations.models import Declaration
from eventsys.extensions import db, huey

RECENTLY = timedelta(days=2)


def print_closed(now: datetime | None = None) -> int:
    """Render (into the PDF cache) every published declaration closed in the last two days, in
    each language the site offers; already cached files are only checked. Returns how many."""
    now = now or utcnow()
    declarations = db.session.execute(
        select(Declaration).where(
            Declaration.is_published.is_(True),
            Declaration.closes_at <= now,
            Declaration.closes_at > now - RECENTLY,
        )
    ).scalars()
    done = 0
    for declaration in declarations:
        for locale in current_app.config["LANGUAGES"]:
            with force_locale(locale):
                pdf.declaration_pdf(db.session, declaration, locale)
            done += 1
    return done


@huey.periodic_task(crontab(minute="*/10"))
def print_closed_declarations() -> int:
    return print_closed()
