"""The Assembly's own texts in the event's languages: its title (the default one is seeded in
every language from the catalogue) and renaming it. Motions' versions are set in motions.py."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from eventsys.assembly.models import Assembly
from eventsys.errors import ServiceError
from eventsys.events.models import Event
from eventsys.i18n.content import checked_versions, translation_languages


def in_each_language(event: Event, message: str, **values: Any) -> dict[str, str]:
    """A catalogue message (marked where it is used) in each of the event's other languages:
    the texts the system writes itself read in every language, like the organisers' own."""
    found = {}
    for code in translation_languages(event):
        with force_locale(code):
            found[code] = _(message, **values)
    return found


def default_title_versions(event: Event, network_name: str) -> dict[str, str]:
    """The default title, "General Assembly of <network>", in the event's other languages."""
    return in_each_language(event, "General Assembly of %(network)s", network=network_name)


def rename_assembly(
    session: Session,
    assembly: Assembly,
    *,
    title: str | None,
    title_translations: dict[str, Any] | None = None,
) -> Assembly:
    """None leaves a text as it is; the title itself may not be blank."""
    if title is not None:
        if not title.strip() or len(title.strip()) > 300:
            raise ServiceError(_("Please give a title of at most 300 characters."), field="title")
        assembly.title = title.strip()
    if title_translations is not None:
        assembly.title_translations = checked_versions(
            assembly.event, title_translations, "title", 300
        )
    session.flush()
    return assembly
