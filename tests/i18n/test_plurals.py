"""Counts read right in all three languages: "1 registration matches", "5 регистраций".

Russian has three plural forms (1 / 2-4 / 5-20), Portuguese and English two; every count shown
to people goes through ngettext so each language picks its own form."""

from __future__ import annotations

import re

import pytest

from eventsys.extensions import db

LANGUAGES = {"en": "en", "pt": "pt-PT,pt;q=0.9", "ru": "ru-RU,ru;q=0.9"}

# (count, language) -> the words the registrations table must show.
MATCHES = {
    (1, "en"): "1 registration matches.",
    (2, "en"): "2 registrations match.",
    (5, "en"): "5 registrations match.",
    (1, "pt"): "1 inscrição corresponde.",
    (2, "pt"): "2 inscrições correspondem.",
    (5, "pt"): "5 inscrições correspondem.",
    (1, "ru"): "Найдена 1 регистрация.",
    (2, "ru"): "Найдено 2 регистрации.",
    (5, "ru"): "Найдено 5 регистраций.",
}
PLACES = {
    (1, "en"): "1 place",
    (2, "en"): "2 places",
    (5, "en"): "5 places",
    (1, "pt"): "1 lugar",
    (2, "pt"): "2 lugares",
    (5, "pt"): "5 lugares",
    (1, "ru"): "1 место",
    (2, "ru"): "2 места",
    (5, "ru"): "5 мест",
}
WRONG = re.compile(r"\b1 registrations\b|\b1 places\b|\(s\)|\b1 lugares\b|\b1 inscrições\b")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("count", [1, 2, 5])
def test_registrations_table_counts_in_every_language(client, factory, login, count):
    organiser = factory.user(name="Olga Organiser")
    event = factory.event(organiser=organiser, capacity=count)
    for _ in range(count):
        factory.registration(event)
    db.session.commit()
    login(organiser)
    for language, header in LANGUAGES.items():
        response = client.get(
            f"/events/{event.slug}/manage/registrations", headers={"Accept-Language": header}
        )
        assert response.status_code == 200
        text = text_of(response.get_data(as_text=True))
        assert MATCHES[count, language] in text, (language, count)
        assert PLACES[count, language] in text, (language, count)
        assert not WRONG.search(text), WRONG.search(text)


@pytest.mark.parametrize("count", [1, 2, 5])
def test_room_capacity_on_the_timetable_in_every_language(client, factory, count):
    from eventsys.programme import versions
    from tests.programme.conftest import at, make_conf

    conf = make_conf(factory, first_day=9, last_day=9, rooms=1)
    conf.rooms[0].capacity = count
    conf.add("Opening", at(9, 9), at(9, 10))
    versions.publish(db.session, conf.event)
    db.session.commit()
    for language, header in LANGUAGES.items():
        response = client.get(
            f"/events/{conf.event.slug}/programme/?day=2024-10-09",
            headers={"Accept-Language": header},
        )
        assert response.status_code == 200
        assert PLACES[count, language] in text_of(response.get_data(as_text=True))
