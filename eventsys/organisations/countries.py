"""ISO 3166-1 alpha-2 countries with names from the CLDR data Babel ships."""

from __future__ import annotations

import functools
import unicodedata

from babel import Locale

# CLDR lists these two-letter codes for groupings or private use, not countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


def collation_key(name: str) -> tuple[str, str]:
    """Alphabetical order as readers expect it: 'Áustria' with the A's, not after 'Zâmbia'."""
    decomposed = unicodedata.normalize("NFKD", name)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.casefold(), name


@functools.cache
def country_names(locale: str = "en") -> dict[str, str]:
    territories = Locale.parse(locale).territories
    return {
        code: name
        for code, name in sorted(territories.items(), key=lambda item: collation_key(item[1]))
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


def is_country(code: str | None) -> bool:
    return code is not None and code.upper() in country_names("en")


def country_name(code: str | None, locale: str = "en") -> str:
    if not code:
        return ""
    return country_names(locale).get(code.upper()) or country_names("en").get(code.upper(), code)


def country_choices(locale: str = "en") -> list[tuple[str, str]]:
    return list(country_names(locale).items())
