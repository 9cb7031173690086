"""Template filters: UTC instants shown in the event's zone and the reader's locale."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_interval, format_time, get_datetime_format
from babel.numbers import format_decimal, format_percent
from flask import Flask

from eventsys.i18n import formatting_locale
from eventsys.organisations.countries import country_name


def _locale() -> str:
    """Dates and numbers follow the reader's language and its region (European Portuguese)."""
    return formatting_locale()


def number(value: float | int | None, fmt: str | None = None) -> str:
    """1,023 / 1 023 / 1 023: thousands and decimals as the reader's locale writes them."""
    if value is None:
        return ""
    return format_decimal(value, fmt, locale=_locale())


def percent(value: float | None, digits: int = 1) -> str:
    """2/3 -> 66.7% / 66,7% / 66,7 %: the locale's own pattern, at most `digits` decimals."""
    if value is None:
        return ""
    return format_percent(round(value, digits + 2), locale=_locale(), decimal_quantization=False)


def local_datetime(value: datetime | None, zone: str, fmt: str = "medium") -> str:
    """The date in `fmt` and the time without seconds: "Nov 15, 2030, 6:00 PM" (CLDR's medium
    and long date-times carry seconds, which no event time needs)."""
    if value is None:
        return ""
    locale = _locale()
    date_text = local_date(value, zone, fmt)
    time_text = local_time(value, zone, "short")
    # Babel's pattern for joining a date and a time, e.g. "{1}, {0}" (quotes are literal marks).
    joined = str(get_datetime_format(fmt, locale=locale)).replace("'", "")  # type: ignore[arg-type]  # fmt is one of Babel's names
    return joined.replace("{1}", date_text).replace("{0}", time_text)


def local_date(value: datetime | None, zone: str, fmt: str = "long") -> str:
    if value is None:
        return ""
    return format_date(value.astimezone(ZoneInfo(zone)).date(), fmt, locale=_locale())


def local_time(value: datetime | None, zone: str, fmt: str = "short") -> str:
    if value is None:
        return ""
    return format_time(value, fmt, tzinfo=ZoneInfo(zone), locale=_locale())


def local_when(value: datetime | None, zone: str, with_zone: bool = True) -> str:
    """'15 November 2030, 10:00 (Asia/Baku)': a long date, a short time and the zone, for mails
    and pages read far from the event."""
    if value is None:
        return ""
    locale = _locale()
    date_text = local_date(value, zone, "long")
    time_text = local_time(value, zone, "short")
    joined = str(get_datetime_format("long", locale=locale)).replace("'", "")
    text = joined.replace("{1}", date_text).replace("{0}", time_text)
    return f"{text} ({zone})" if with_zone else text


def event_dates(event: Any) -> str:
    """'9 – 11 October 2024' in the reader's language, from the event's local dates."""
    zone = ZoneInfo(event.timezone)
    start, end = event.starts_at.astimezone(zone).date(), event.ends_at.astimezone(zone).date()
    if start == end:
        return format_date(start, "long", locale=_locale())
    return format_interval(start, end, "yMMMd", locale=_locale())


def init_app(app: Flask) -> None:
    app.add_template_filter(local_datetime)
    app.add_template_filter(local_date)
    app.add_template_filter(local_time)
    app.add_template_filter(local_when)
    app.add_template_filter(event_dates)
    app.add_template_filter(number)
    app.add_template_filter(percent)
    app.add_template_filter(lambda code: country_name(code, _locale()), "country_name")
