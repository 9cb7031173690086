"""Content in several languages: the one mechanism every area uses for organiser-written texts.

A text an organiser writes (an event's title, a category's label, a session's title, a room's
name, a motion's text...) lives in two columns:

- `<field>`: the text in the event's default language, as before, so nothing else changes;
- `<field>_translations`: a JSON object {locale: text} with the versions in the event's other
  languages. Blank or missing versions fall back to the default text.

Read it with `localized(obj, "title")` (Python) or `{{ obj|localized('title') }}` (templates):
the reader's language (the Flask-Babel locale in force: the page's, or the recipient's inside
`mail_language()`) picks the version. Check what an organiser or the API sent with
`clean_translations()`; forms show one input per language of `content_languages(event)`, named
`<field>__<locale>` (read back with `form_translations()`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import current_app
from flask_babel import gettext

from eventsys.errors import ServiceError
from eventsys.i18n import (
    clean_translations,
    current_locale,
    language_name,
    localized,
    pick_translation,
    supported_locales,
)

__all__ = [
    "clean_option_translations",
    "clean_translations",
    "content_languages",
    "form_translations",
    "localized",
    "localized_options",
    "pick_list",
    "pick_translation",
    "translation_languages",
    "versions",
    "checked_versions",
]

FIELD_SEPARATOR = "__"


def content_languages(event: Any) -> list[str]:
    """The languages an organiser writes this event's content in, the default first: the event's
    languages the site offers (all the site's languages when the event names none)."""
    offered = supported_locales()
    default = getattr(event, "default_locale", None) or current_app.config["DEFAULT_LOCALE"]
    wanted = [code for code in (getattr(event, "languages", None) or offered) if code in offered]
    return [default, *[code for code in wanted if code != default]]


def translation_languages(event: Any) -> list[str]:
    """The event's languages besides the default: one `<field>_translations` entry each."""
    return content_languages(event)[1:]


def versions(obj: Any, field: str, default_locale: str) -> dict[str, str]:
    """Every version of a text, the default language's included: for the API and exports."""
    found = {default_locale: getattr(obj, field) or ""}
    for code, text in (getattr(obj, f"{field}_translations", None) or {}).items():
        if isinstance(text, str) and text.strip() and code != default_locale:
            found[code] = text
    return found


def checked_versions(
    event: Any, raw: Mapping[str, Any] | None, field: str, max_length: int
) -> dict:
    """What an organiser or the API sent for `<field>_translations` of one of the event's
    texts, checked (see clean_translations); the default language's text lives in `<field>`."""
    return clean_translations(
        raw,
        field=f"{field}_translations",
        max_length=max_length,
        default_locale=getattr(event, "default_locale", None),
    )


def form_translations(
    formdata: Mapping[str, Any], field: str, languages: Iterable[str]
) -> dict[str, str] | None:
    """The side-by-side inputs `<field>__<locale>` of a submitted form, as {locale: text};
    None when the form had none of them (the versions stay as they are)."""
    names = {code: f"{field}{FIELD_SEPARATOR}{code}" for code in languages}
    if not any(name in formdata for name in names.values()):
        return None
    return {code: formdata.get(name, "") for code, name in names.items()}


def pick_list(default: list[Any], translations: Mapping[str, Any] | None, locale: str | None):
    """A list (a question's options) in `locale` when a complete version was entered."""
    if locale and translations:
        for key in (locale, locale.replace("-", "_").split("_", 1)[0]):
            texts = translations.get(key)
            if isinstance(texts, list) and len(texts) == len(default) and all(texts):
                return list(texts)
    return list(default)


def localized_options(question: Any, locale: str | None = None) -> list[tuple[str, str]]:
    """(stored value, shown text) per option: answers keep the default text whatever the
    reader's language, so counts and exports do not split by language."""
    options = [str(o) for o in (question.options or [])]
    shown = pick_list(options, question.options_translations, locale or current_locale())
    return list(zip(options, shown, strict=True))


def clean_option_translations(
    raw: Mapping[str, Any] | None,
    options: list[str],
    *,
    field: str,
    default_locale: str | None = None,
) -> dict[str, list[str]]:
    """Per language, one text per option in the same order; a language left blank is dropped."""
    cleaned: dict[str, list[str]] = {}
    for code, value in (raw or {}).items():
        if code not in supported_locales():
            raise ServiceError(
                gettext("“%(code)s” is not a language this site offers.", code=str(code)[:20]),
                field=field,
            )
        texts = _as_lines(value)
        if not any(texts) or code == default_locale:
            continue
        if len(texts) != len(options) or not all(texts):
            raise ServiceError(
                gettext(
                    "Give the %(language)s options one per line, as many as the options "
                    "(%(count)d).",
                    language=language_name(code),
                    count=len(options),
                ),
                field=field,
            )
        cleaned[code] = texts
    return cleaned


def _as_lines(value: Any) -> list[str]:
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if isinstance(value, list):
        return [str(item).strip() for item in value]
    return []
