"""Locale and time zone selection, and formatting of UTC instants in an event's zone."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import current_app, g, has_request_context, request, session
from flask_login import current_user


def supported_locales() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def select_locale() -> str:
    """The user's choice, else the browser's Accept-Language, else the event's default."""
    supported = supported_locales()
    if not has_request_context():
        return current_app.config["DEFAULT_LOCALE"]  # mails and jobs use force_locale()
    chosen = session.get("locale")
    if chosen in supported:
        return chosen
    if getattr(current_user, "is_authenticated", False) and current_user.locale in supported:
        return current_user.locale
    best = request.accept_languages.best_match(supported)
    if best:
        return best
    event = getattr(g, "event", None)
    if event is not None and event.default_locale in supported:
        return event.default_locale
    return current_app.config["DEFAULT_LOCALE"]


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
