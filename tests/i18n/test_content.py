"""Content entered in several languages, and numbers and dates in the reader's conventions."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from eventsys.errors import ServiceError
from eventsys.i18n import (
    catalogue_translations,
    clean_translations,
    language_name,
    localized,
    pick_translation,
)
from eventsys.web.filters import local_when, number, percent
from tests.factories import aware


def session_row(**translations: str) -> SimpleNamespace:
    """Any row with a `title` and a `title_translations` JSON column (programme sessions...)."""
    return SimpleNamespace(title="Opening plenary", title_translations=translations)


def test_localized_picks_the_readers_language_then_the_default():
    row = session_row(pt="Sessão plenária de abertura", ru="  ")
    assert localized(row, "title", "pt") == "Sessão plenária de abertura"
    assert localized(row, "title", "pt_PT") == "Sessão plenária de abertura"
    assert localized(row, "title", "ru") == "Opening plenary"  # blank counts as missing
    assert localized(row, "title", "fr") == "Opening plenary"
    assert localized(SimpleNamespace(title="Only English"), "title", "pt") == "Only English"


def test_localized_follows_the_locale_in_force(app):
    row = session_row(ru="Открытие")
    with force_locale("ru"):
        assert localized(row, "title") == "Открытие"
    with app.test_request_context("/", headers={"Accept-Language": "ru"}):
        assert localized(row, "title") == "Открытие"
    assert pick_translation("Default", None, "ru") == "Default"


def test_localized_is_a_template_filter(app):
    template = app.jinja_env.from_string("{{ row|localized('title') }}")
    with force_locale("pt"):
        assert template.render(row=session_row(pt="Abertura")) == "Abertura"


def test_clean_translations_keeps_offered_languages_and_drops_blanks():
    cleaned = clean_translations(
        {"pt": "  Abertura ", "ru": "", "en": "Opening"},
        field="title_translations",
        max_length=300,
        default_locale="en",
    )
    assert cleaned == {"pt": "Abertura"}


def test_clean_translations_refuses_unknown_languages_and_oversized_text():
    with pytest.raises(ServiceError) as unknown:
        clean_translations({"xx": "?"}, field="title_translations", max_length=10)
    assert unknown.value.field == "title_translations"
    assert "“xx”" in unknown.value.message
    with pytest.raises(ServiceError) as too_long:
        clean_translations({"ru": "я" * 11}, field="title_translations", max_length=10)
    assert "10" in too_long.value.message and "Русский" in too_long.value.message


def test_clean_translations_answers_in_the_readers_language(app):
    with (
        app.test_request_context("/", headers={"Accept-Language": "pt"}),
        pytest.raises(ServiceError) as error,
    ):
        clean_translations({"xx": "?"}, field="t", max_length=10)
    assert error.value.message == "«xx» não é uma língua disponível neste site."


def test_catalogue_translations_seed_stored_labels():
    assert catalogue_translations("Observer") == {"pt": "Observador", "ru": "Наблюдатель"}
    assert catalogue_translations("Not a catalogue message") == {}


def test_language_names_are_written_in_their_own_language():
    assert [language_name(c) for c in ("en", "pt", "ru")] == ["English", "Português", "Русский"]
    assert language_name("not a locale!") == "not a locale!"


@pytest.mark.parametrize(
    ("locale", "big", "share"),
    [("en", "1,023", "66.7%"), ("pt", "1\xa0023", "66,7%"), ("ru", "1\xa0023", "66,7\xa0%")],
)
def test_numbers_follow_the_readers_conventions(locale, big, share):
    with force_locale(locale):
        assert number(1023) == big
        assert percent(2 / 3) == share
        assert number(None) == ""


def test_times_are_shown_in_the_events_zone_in_the_readers_language():
    instant = aware(2024, 11, 15, 6, 0)
    with force_locale("ru"):
        assert local_when(instant, "Asia/Baku") == "15 ноября 2024\u202fг., 10:00 (Asia/Baku)"
    with force_locale("pt"):
        assert (
            local_when(instant, "Europe/Lisbon") == "15 de novembro de 2024, 06:00 (Europe/Lisbon)"
        )
    with force_locale("en"):
        assert (
            local_when(instant, "Asia/Baku", with_zone=False) == "November 15, 2024, 10:00\u202fAM"
        )
