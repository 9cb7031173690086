"""Who sees whom in a participant list: pure rules, no database.

Each registration says who may see that the person takes part (organisers, participants, public)
and whether the organisation and country show next to the name.
"""

from __future__ import annotations

from dataclasses import dataclass

ORGANISERS, PARTICIPANTS, PUBLIC = "organisers", "participants", "public"

# Which registration visibilities each kind of reader sees.
_VISIBLE = {
    PUBLIC: frozenset({PUBLIC}),
    PARTICIPANTS: frozenset({PUBLIC, PARTICIPANTS}),
    ORGANISERS: frozenset({PUBLIC, PARTICIPANTS, ORGANISERS}),
}


def audience_of(*, is_organiser: bool, is_participant: bool) -> str:
    if is_organiser:
        return ORGANISERS
    return PARTICIPANTS if is_participant else PUBLIC


def visible_levels(audience: str) -> frozenset[str]:
    return _VISIBLE[audience]


def can_see(visibility: str, audience: str) -> bool:
    return visibility in _VISIBLE[audience]


@dataclass(frozen=True)
class Entry:
    name: str
    latin_name: str | None
    organisation: str | None
    country: str | None
    visibility: str


def entry_for(
    audience: str,
    *,
    name: str,
    latin_name: str | None,
    organisation: str,
    country: str | None,
    visibility: str,
    show_organisation: bool,
    show_country: bool,
) -> Entry | None:
    """What one reader sees of one registration, or None when they may not see it at all.

    Organisers see every field (they hold the registration anyway); others see only what the
    person agreed to show."""
    if not can_see(visibility, audience):
        return None
    full = audience == ORGANISERS
    return Entry(
        name=name,
        latin_name=latin_name,
        organisation=(organisation or None) if (full or show_organisation) else None,
        country=country if (full or show_country) else None,
        visibility=visibility,
    )
