from __future__ import annotations

import pytest

from eventsys.privacy.audience import (
    ORGANISERS,
    PARTICIPANTS,
    PUBLIC,
    audience_of,
    can_see,
    entry_for,
)


def test_audience_of_the_reader():
    assert audience_of(is_organiser=True, is_participant=False) == ORGANISERS
    assert audience_of(is_organiser=False, is_participant=True) == PARTICIPANTS
    assert audience_of(is_organiser=False, is_participant=False) == PUBLIC


@pytest.mark.parametrize(
    ("visibility", "audience", "seen"),
    [
        (PUBLIC, PUBLIC, True),
        (PARTICIPANTS, PUBLIC, False),
        (ORGANISERS, PUBLIC, False),
        (PUBLIC, PARTICIPANTS, True),
        (PARTICIPANTS, PARTICIPANTS, True),
        (ORGANISERS, PARTICIPANTS, False),
        (ORGANISERS, ORGANISERS, True),
    ],
)
def test_who_sees_whom(visibility, audience, seen):
    assert can_see(visibility, audience) is seen


def _entry(audience, **kw):
    values = {
        "name": "Айгерим",
        "latin_name": "Aigerim",
        "organisation": "Eco Network",
        "country": "KZ",
        "visibility": PUBLIC,
        "show_organisation": False,
        "show_country": True,
    }
    return entry_for(audience, **{**values, **kw})


def test_only_the_fields_the_person_agreed_to_except_for_organisers():
    public = _entry(PUBLIC)
    assert (public.name, public.organisation, public.country) == ("Айгерим", None, "KZ")
    hidden_country = _entry(PARTICIPANTS, show_country=False, show_organisation=True)
    assert (hidden_country.organisation, hidden_country.country) == ("Eco Network", None)
    organisers = _entry(ORGANISERS, show_country=False)
    assert (organisers.organisation, organisers.country) == ("Eco Network", "KZ")
    assert _entry(PUBLIC, visibility=PARTICIPANTS) is None
