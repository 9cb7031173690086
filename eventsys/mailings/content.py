"""A mailing's text: its languages, the personal placeholders and their checking."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from eventsys.events.models import Event
from eventsys.mailings.models import Mailing

PLACEHOLDERS = ("name", "registration_link", "badge_link", "calendar_link")
# {word}: anything else between braces is left as written (a lone "{" in prose is no error).
PLACEHOLDER = re.compile(r"\{([^{}\s]{1,60})\}")


class Content(NamedTuple):
    locale: str
    subject: str
    body: str


def translation_locales(event: Event) -> list[str]:
    """The languages the event offers besides its default one: each may have its own version."""
    return sorted(
        {code for code in (event.languages or []) if code and code != event.default_locale}
    )


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders the mailing cannot fill, in order of appearance, each once."""
    found: list[str] = []
    for name in PLACEHOLDER.findall(text or ""):
        if name not in PLACEHOLDERS and name not in found:
            found.append(name)
    return found


def fill(text: str, values: Mapping[str, str]) -> str:
    """Each known placeholder replaced by its value; done by pattern, not str.format, so a
    text's other braces and attribute lookups are never interpreted."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def content_for(mailing: Mailing, locale: str | None) -> Content:
    """The version in this language when the organiser wrote one (subject and body), else the
    event's default language."""
    subjects = mailing.subject_translations or {}
    bodies = mailing.body_translations or {}
    if locale and subjects.get(locale) and bodies.get(locale):
        return Content(locale, subjects[locale], bodies[locale])
    return Content(mailing.event.default_locale, mailing.subject, mailing.body)


def languages_written(mailing: Mailing) -> list[str]:
    subjects, bodies = mailing.subject_translations or {}, mailing.body_translations or {}
    return [mailing.event.default_locale, *sorted(c for c in subjects if bodies.get(c))]
