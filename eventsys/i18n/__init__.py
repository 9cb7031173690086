"""Languages: which locale a page or a mail uses, content in several languages, time zones.

The locale follows, in order: a valid `?lang=` in the URL (this request only), the choice made
with the language menu (session, and stored on the account), the browser's Accept-Language, the
event's default language, the site's default. Anything unknown or malformed is skipped, never an
error. Catalogue tooling (extract, update, compile, check) is in `catalogues.py` and `cli.py`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import force_locale, get_locale, gettext, refresh
from flask_login import current_user

from eventsys.errors import ServiceError

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
# Catalogues are per language; formatting of dates and numbers may want a region's conventions.
FORMAT_LOCALES = {"pt": "pt_PT"}
MAX_LOCALE_LENGTH = 20
CHOSEN_KEY = "eventsys_locale"


def init_app(app: Flask) -> None:
    # Wiring, run when an app is built, so importing the package stays light (tests/test_layers.py).
    from eventsys.i18n import catalogues, cli, content  # noqa: PLC0415

    # A fresh checkout (or a pulled .po) gets its .mo before the first page is translated.
    catalogues.ensure_compiled(TRANSLATIONS)
    app.cli.add_command(cli.translations_cli)
    app.jinja_env.globals.update(
        localized=localized,
        language_name=language_name,
        path_without_lang=path_without_lang,
        url_in_language=url_in_language,
        content_languages=content.content_languages,
        translation_languages=content.translation_languages,
    )
    app.jinja_env.filters["localized"] = localized
    app.before_request(_fresh_locale)

    @app.after_request
    def language_headers(response):
        if request.endpoint != "static":  # pages differ by browser language and chosen language
            response.vary.add("Accept-Language")
            response.vary.add("Cookie")
            # Only a language the request already chose: asking now could cost a query.
            if g.get(CHOSEN_KEY):
                response.headers.setdefault("Content-Language", g.get(CHOSEN_KEY))
        return response


def _fresh_locale() -> None:
    """Flask-Babel caches the locale on `g`; a request sharing an app context with earlier code
    (tests, CLI commands that render) must choose its own."""
    refresh()
    g.pop(CHOSEN_KEY, None)


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name)
    """Mark a message for extraction without translating it yet (stored or translated later)."""
    return message


# ---------------------------------------------------------------- locale selection


def supported_locales() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def normalise_locale(value: object) -> str | None:
    """'pt', 'pt-PT', 'PT_br', 'ru' -> the supported language; None for anything else."""
    if not isinstance(value, str) or not value or len(value) > MAX_LOCALE_LENGTH:
        return None
    supported = supported_locales()
    text = value.strip().replace("-", "_")
    if text in supported:
        return text
    language = text.split("_", 1)[0].lower()
    return language if language in supported else None


def select_locale() -> str:
    if not has_request_context():
        return current_app.config["DEFAULT_LOCALE"]  # mails and jobs use force_locale()
    chosen = next(
        (locale for locale in map(normalise_locale, _locale_candidates()) if locale),
        current_app.config["DEFAULT_LOCALE"],
    )
    setattr(g, CHOSEN_KEY, chosen)
    return chosen


def _locale_candidates() -> Iterator[object]:
    yield request.args.get("lang")
    yield session.get("locale")
    if getattr(current_user, "is_authenticated", False):
        yield current_user.locale
    yield _browser_locale()
    event = getattr(g, "event", None)
    if event is not None:
        yield event.default_locale


def _browser_locale() -> str | None:
    try:
        return request.accept_languages.best_match(supported_locales())
    except (ValueError, TypeError):  # a header no parser could love
        return None


def current_locale() -> str:
    """The locale in force (request, or force_locale around a mail) as a plain string."""
    return str(get_locale() or current_app.config["DEFAULT_LOCALE"])


def formatting_locale(locale: str | None = None) -> str:
    locale = locale or current_locale()
    return FORMAT_LOCALES.get(locale, locale)


def recipient_locale(*candidates: str | None) -> str:
    """The first supported locale among the candidates (account, event...), else the default."""
    for candidate in candidates:
        locale = normalise_locale(candidate)
        if locale:
            return locale
    return current_app.config["DEFAULT_LOCALE"]


@contextmanager
def mail_language(*candidates: str | None) -> Iterator[str]:
    """Render a mail in the recipient's language: `with mail_language(user.locale) as locale:`."""
    locale = recipient_locale(*candidates)
    with force_locale(locale):
        yield locale


def path_without_lang() -> str:
    """This page's path and query without `lang`, so a menu choice is not overridden by it."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + ("?" + urlencode(args) if args else "")


def url_in_language(code: str) -> str:
    """This page in another language, for <link rel="alternate" hreflang>."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.base_url + "?" + urlencode([*args, ("lang", code)])


@functools.cache
def language_name(code: str) -> str:
    """A language named in itself, for the language menu: 'Português', 'Русский'."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, TypeError):
        return code
    return name[:1].upper() + name[1:]


# ---------------------------------------------------------------- content in several languages


def pick_translation(
    default: str, translations: Mapping[str, Any] | None, locale: str | None
) -> str:
    """The text in `locale` when one was entered, else the default text."""
    if locale and translations:
        for key in (locale, locale.replace("-", "_").split("_", 1)[0]):
            text = translations.get(key)
            if isinstance(text, str) and text.strip():
                return text
    return default


def localized(obj: Any, field: str, locale: str | None = None) -> str:
    """`obj.<field>` in the reader's language, from the `<field>_translations` JSON column.

    In templates: `{{ session|localized('title') }}`; in Python: `localized(poll, 'question')`.
    A mapping works too (a poll's frozen content: {"title": ..., "title_translations": ...}).
    """
    if isinstance(obj, Mapping):
        default, translations = obj.get(field) or "", obj.get(f"{field}_translations")
    else:
        default = getattr(obj, field) or ""
        translations = getattr(obj, f"{field}_translations", None)
    return pick_translation(default, translations, locale or _locale_or_none())


def _locale_or_none() -> str | None:
    locale = get_locale()
    return str(locale) if locale else None


def clean_translations(
    raw: Mapping[str, Any] | None,
    *,
    field: str,
    max_length: int,
    default_locale: str | None = None,
) -> dict[str, str]:
    """Check what an organiser entered for a `*_translations` column: known languages only,
    blanks dropped (the default text shows instead), each text within the limit."""
    cleaned: dict[str, str] = {}
    supported = supported_locales()
    for key, value in (raw or {}).items():
        if key not in supported:
            raise ServiceError(
                gettext("“%(code)s” is not a language this site offers.", code=str(key)[:20]),
                field=field,
            )
        text = (value or "").strip() if isinstance(value, str) else ""
        if not text or key == default_locale:
            continue
        if len(text) > max_length:
            raise ServiceError(
                gettext(
                    "The %(language)s text is longer than %(max)d characters.",
                    language=language_name(key),
                    max=max_length,
                ),
                field=field,
            )
        cleaned[key] = text
    return cleaned


def catalogue_translations(message: str) -> dict[str, str]:
    """A message from the catalogues in every other supported language, e.g. to seed the
    `label_translations` of default categories stored in the database in English."""
    default = current_app.config["DEFAULT_LOCALE"]
    found = {}
    for locale in supported_locales():
        if locale == default:
            continue
        with force_locale(locale):
            text = gettext(message)
        if text != message:
            found[locale] = text
    return found


# ---------------------------------------------------------------- time zones


def select_timezone() -> str:
    event = getattr(g, "event", None)
    return event.timezone if event is not None else "UTC"


def is_valid_timezone(name: str) -> bool:
    if not name or name not in _zone_names():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@functools.cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def to_local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


def local_to_utc(naive_local: datetime, zone: str) -> datetime:
    """Interpret a wall-clock time typed by an organiser in the event's zone."""
    return naive_local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
