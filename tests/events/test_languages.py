"""Event, category and question texts in the event's languages: the fallback rules, the
organiser forms side by side, the API's versions, and the registration form a reader sees."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from eventsys.accounts.services import create_api_token
from eventsys.errors import ServiceError
from eventsys.events import services
from eventsys.extensions import db
from eventsys.i18n.content import (
    clean_option_translations,
    content_languages,
    form_translations,
    localized_options,
    pick_list,
    versions,
)


@pytest.fixture
def trilingual(event):
    event.languages = ["en", "pt", "ru", "az"]  # az: the site does not offer it
    return event


def test_content_languages_put_the_default_first_and_keep_the_sites(app, trilingual):
    assert content_languages(trilingual) == ["en", "pt", "ru"]
    assert content_languages(SimpleNamespace(default_locale="pt", languages=["en", "pt"])) == [
        "pt", "en",
    ]  # fmt: skip
    assert content_languages(SimpleNamespace(default_locale="ru", languages=[])) == [
        "ru", "en", "pt",
    ]  # fmt: skip


def test_pick_list_needs_a_complete_version():
    assert pick_list(["Yes", "No"], {"pt": ["Sim", "Não"]}, "pt_PT") == ["Sim", "Não"]
    assert pick_list(["Yes", "No"], {"pt": ["Sim"]}, "pt") == ["Yes", "No"]  # one missing
    assert pick_list(["Yes", "No"], {"pt": ["Sim", ""]}, "pt") == ["Yes", "No"]
    assert pick_list(["Yes", "No"], None, "ru") == ["Yes", "No"]
    question = SimpleNamespace(options=["Energy", "Mobility"],
                               options_translations={"ru": ["Энергия", "Транспорт"]})  # fmt: skip
    assert localized_options(question, "ru") == [("Energy", "Энергия"), ("Mobility", "Транспорт")]


def test_versions_and_form_inputs():
    row = SimpleNamespace(title="Opening", title_translations={"pt": "Abertura", "ru": " "})
    assert versions(row, "title", "en") == {"en": "Opening", "pt": "Abertura"}
    assert form_translations({"title__pt": "Abertura"}, "title", ["pt", "ru"]) == {
        "pt": "Abertura", "ru": "",
    }  # fmt: skip
    assert form_translations({"title": "x"}, "title", ["pt"]) is None  # no inputs: unchanged


def test_option_versions_must_match_the_options(app):
    options = ["Energy", "Mobility"]
    cleaned = clean_option_translations({"pt": "Energia\nMobilidade", "ru": ""}, options,
                                        field="options_translations")  # fmt: skip
    assert cleaned == {"pt": ["Energia", "Mobilidade"]}
    with pytest.raises(ServiceError) as short:
        clean_option_translations({"pt": "Energia"}, options, field="options_translations")
    assert short.value.field == "options_translations"
    with pytest.raises(ServiceError):
        clean_option_translations({"xx": "a\nb"}, options, field="options_translations")


def test_forms_show_one_input_per_language_default_first(client, login, organiser, trilingual):
    login(organiser)
    slug = trilingual.slug
    page = client.get(f"/events/{slug}/manage/details").get_data(True)
    assert (
        page.index('name="title"') < page.index('name="title__pt"') < page.index('name="title__ru"')
    )
    assert 'name="title__az"' not in page and 'name="description__ru"' in page
    page = client.get(f"/events/{slug}/manage/categories/").get_data(True)
    assert 'name="label__pt"' in page
    page = client.get(f"/events/{slug}/manage/questions/").get_data(True)
    assert 'name="options__ru"' in page


def test_category_and_question_versions_from_the_forms(client, login, organiser, trilingual):
    login(organiser)
    slug = trilingual.slug
    client.post(f"/events/{slug}/manage/categories/", data={
        "code": "youth", "label": "Youth delegate", "colour": "#123456", "visibility": "public",
        "label__pt": "Delegado jovem", "label__ru": "Молодёжный делегат",
    })  # fmt: skip
    youth = next(c for c in trilingual.categories if c.code == "youth")
    assert youth.label_translations == {"pt": "Delegado jovem", "ru": "Молодёжный делегат"}
    client.post(f"/events/{slug}/manage/questions/", data={
        "label": "Workshop", "kind": "single_choice", "options": "Energy\nMobility",
        "label__pt": "Oficina", "options__pt": "Energia\nMobilidade", "options__ru": "",
    })  # fmt: skip
    [question] = trilingual.questions
    assert question.label_translations == {"pt": "Oficina"}
    assert question.options_translations == {"pt": ["Energia", "Mobilidade"]}
    page = client.post(f"/events/{slug}/manage/questions/{question.id}", data={
        "label": "Workshop", "kind": "single_choice", "options": "Energy\nMobility",
        "options__pt": "Energia", "is_active": "y",
    }).get_data(True)  # fmt: skip
    assert "one per line" in page  # two options, one Portuguese text: refused with a reason
    # The reader's language picks the versions on the registration form; answers stay stable.
    form = client.get(f"/events/{slug}/register?lang=pt").get_data(True)
    assert "Delegado jovem" in form and "Oficina" in form
    assert '<option value="Energy">Energia</option>' in form


def test_api_reads_and_writes_the_versions(client, factory, organiser, trilingual):
    headers = {"Authorization": f"Bearer {create_api_token(db.session, organiser, 'test')}"}
    db.session.commit()
    base = f"/api/v1/events/{trilingual.slug}"
    answer = client.patch(base, json={"title_translations": {"pt": "Fórum de Lisboa"}},
                          headers=headers)  # fmt: skip
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["title_translations"] == {"pt": "Fórum de Lisboa"}
    wrong = client.patch(base, json={"title_translations": {"xx": "?"}}, headers=headers)
    assert wrong.status_code == 422 and "xx" in str(wrong.get_json())
    created = client.post(f"{base}/categories", json={
        "code": "youth", "label": "Youth", "label_translations": {"ru": "Пресса"},
    }, headers=headers)  # fmt: skip
    assert created.status_code == 201 and created.get_json()["label_translations"] == {
        "ru": "Пресса"
    }
    question = client.post(f"{base}/questions", json={
        "label": "Diet", "kind": "single_choice", "options": ["Vegan", "Any"],
        "options_translations": {"pt": ["Vegano"]},
    }, headers=headers)  # fmt: skip
    assert question.status_code == 422 and "options_translations" in str(question.get_json())
    event = client.get(base, headers=headers).get_json()
    assert event["title_translations"] == {"pt": "Fórum de Lisboa"}
    assert any(c["label_translations"] == {"ru": "Пресса"} for c in event["categories"])


def test_event_service_keeps_versions_unless_given(trilingual):
    services.update_event(db.session, trilingual, title_translations={"ru": "Форум"})
    services.update_event(db.session, trilingual, title="Lisbon Forum", title_translations=None)
    assert trilingual.title_translations == {"ru": "Форум"}
