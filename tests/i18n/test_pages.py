"""Pages in the reader's language: Portuguese and Russian, chosen or negotiated, never a 500."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from eventsys.accounts.models import User
from eventsys.extensions import db
from tests.factories import aware

# The separator of a date interval: a dash of any length, with or without (thin) spaces.
INTERVAL = r"\s?[-–—]\s?"


def page(client, url: str, language: str | None = None, **kw) -> str:
    headers = {"Accept-Language": language} if language else {}
    response = client.get(url, headers=headers, **kw)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.fixture
def cascais(factory):
    return factory.event(
        "cascais-2024",
        title="Climate Alliance International Conference",
        title_translations={
            "pt": "Conferência Internacional da Aliança para o Clima",
            "ru": "Международная конференция Климатического альянса",
        },
        description="Three days of workshops.",
        description_translations={"pt": "Três dias de oficinas."},
        starts_at=aware(2030, 10, 9, 8, 0),  # 09:00 in Lisbon (summer time)
        days=2,
        default_locale="pt",
    )


def test_home_page_in_portuguese_and_russian(client, cascais):
    pt = page(client, "/", "pt-PT,pt;q=0.9,en;q=0.5")
    assert '<html lang="pt">' in pt
    assert "Próximos" in pt and "Iniciar sessão" in pt and "Criar conta" in pt
    assert "Conferência Internacional da Aliança para o Clima" in pt
    # Dates in the reader's language. The dash between the days and the spaces around it are
    # CLDR's choice and change between Babel releases (2.19: "9 – 11" in pt, "9—11" in ru).
    assert re.search(rf"9{INTERVAL}11 de out\. de 2030", pt)
    ru = page(client, "/", "ru-RU,ru;q=0.9")
    assert '<html lang="ru">' in ru
    assert "Предстоящие" in ru and "Войти" in ru
    assert "Международная конференция Климатического альянса" in ru
    assert re.search(rf"9{INTERVAL}11 окт\. 2030\s?г\.", ru)


def test_event_page_shows_content_in_the_readers_language_with_fallback(client, cascais):
    pt = page(client, "/events/cascais-2024/", "pt")
    assert "Três dias de oficinas." in pt
    assert "Conferência" in pt and "Inscrever-me" in pt and "mapa" in pt
    assert "09:00" in pt  # start time in the event's zone, not UTC (08:00)
    ru = page(client, "/events/cascais-2024/", "ru")
    # No Russian description was entered: the default text shows, in a Russian page.
    assert "Three days of workshops." in ru
    assert "Зарегистрироваться" in ru and "Португалия" not in ru.split("<main")[0]
    en = page(client, "/events/cascais-2024/", "en")
    assert "Climate Alliance International Conference" in en and "Register" in en


def test_login_page_in_both_languages(client):
    ru = page(client, "/account/login", "ru")
    assert "Пароль" in ru and "Забыли пароль?" in ru and "Не выходить из системы" in ru
    pt = page(client, "/account/login", "pt")
    assert "Palavra-passe" in pt and "Esqueceu-se da palavra-passe?" in pt


def test_form_errors_come_in_the_readers_language(client):
    response = client.post(
        "/account/login",
        data={"email": "someone@example.org", "password": "wrong"},
        headers={"Accept-Language": "ru"},
    )
    assert "Неверный адрес электронной почты или пароль." in response.get_data(as_text=True)
    response = client.post(
        "/account/signup", data={"email": "not-an-address"}, headers={"Accept-Language": "pt"}
    )
    text = response.get_data(as_text=True)
    assert "O seu nome, como o escreve" in text
    assert "Campo obrigatório." in text  # WTForms' own messages come translated too
    assert "This field is required" not in text


def test_error_pages_are_translated(client):
    response = client.get("/events/nope/", headers={"Accept-Language": "pt"})
    assert response.status_code == 404
    assert "Não existe nenhum evento neste endereço." in response.get_data(as_text=True)
    response = client.get("/no/such/page", headers={"Accept-Language": "ru"})
    assert response.status_code == 404
    assert "Страница не найдена" in response.get_data(as_text=True)


def test_login_prompt_is_flashed_in_the_readers_language(client):
    response = client.get("/account/", headers={"Accept-Language": "pt"}, follow_redirects=True)
    assert "Inicie sessão para abrir esta página." in response.get_data(as_text=True)


def test_default_categories_are_offered_in_the_readers_language(client, cascais):
    assert cascais.categories[0].label == "Delegate of a member organisation"
    pt = page(client, "/events/cascais-2024/register", "pt")
    assert "Delegado de uma organização membro" in pt and "Observador" in pt
    ru = page(client, "/events/cascais-2024/register", "ru")
    assert "Делегат организации-члена" in ru


# ---------------------------------------------------------------- negotiation


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("pt-BR,pt;q=0.9", "pt"),
        ("de-DE,de;q=0.9,ru;q=0.8,en;q=0.5", "ru"),
        ("fr, en;q=0.1", "en"),
        ("RU", "ru"),
        ("*", "en"),
    ],
)
def test_accept_language_picks_the_best_offered_language(client, header, expected):
    assert f'<html lang="{expected}">' in page(client, "/", header)


def test_without_a_usable_browser_language_the_event_default_applies(client, cascais):
    assert '<html lang="pt">' in page(client, "/events/cascais-2024/", "de-CH, fr;q=0.5")
    assert '<html lang="pt">' in page(client, "/events/cascais-2024/")


def test_without_a_usable_browser_language_a_page_outside_events_is_english(client, cascais):
    assert '<html lang="en">' in page(client, "/account/login", "de-CH, fr;q=0.5")


def test_responses_say_their_language_and_what_it_depends_on(client):
    response = client.get("/account/login", headers={"Accept-Language": "ru"})
    assert response.headers["Content-Language"] == "ru"
    assert {"Accept-Language", "Cookie"} <= set(response.vary)
    assert "Content-Language" not in client.get("/static/css/app.css").headers


def test_pages_link_their_other_languages(client, cascais):
    text = page(client, "/events/cascais-2024/?lang=pt", "en")
    assert (
        '<link rel="alternate" hreflang="ru" href="http://localhost/events/cascais-2024/?lang=ru">'
        in text
    )


def test_url_parameter_wins_for_that_page(client, cascais):
    assert '<html lang="ru">' in page(client, "/events/cascais-2024/?lang=ru", "pt")
    assert '<html lang="pt">' in page(client, "/events/cascais-2024/", "pt")


def test_the_language_menu_choice_sticks_and_beats_the_browser(client):
    response = client.post("/language", data={"locale": "ru", "next": "/account/login?lang=pt"})
    assert response.status_code == 302
    assert response.location == "/account/login?lang=pt"
    assert '<html lang="ru">' in page(client, "/", "pt")


def test_the_language_menu_does_not_drop_other_parameters_but_drops_lang(client):
    text = page(client, "/account/login?next=%2Fevents%2F&lang=ru", "pt")
    assert 'name="next" value="/account/login?next=%2Fevents%2F"' in text


def test_a_logged_in_choice_is_stored_on_the_account(client, factory, login):
    user = factory.user()
    login(user)
    client.post("/language", data={"locale": "pt", "next": "/"})
    assert db.session.get(User, user.id).locale == "pt"


def test_the_stored_choice_follows_the_person_to_a_new_session(app, factory, login):
    user = factory.user()
    user.locale = "ru"
    fresh = app.test_client()
    with fresh.session_transaction() as session:
        session["_user_id"] = user.get_id()
    assert '<html lang="ru">' in page(fresh, "/", "pt")


def test_profile_language_is_saved(client, factory, login):
    user = factory.user()
    login(user)
    response = client.post(
        "/account/",
        data={"display_name": user.display_name, "locale": "ru"},
        follow_redirects=True,
    )
    assert "Сохранено." in response.get_data(as_text=True)
    assert db.session.get(User, user.id).locale == "ru"


def test_signup_remembers_the_language_the_person_used(client):
    client.post(
        "/account/signup",
        data={
            "display_name": "Ana Sousa",
            "email": "ana@example.org",
            "password": "a long password",
            "password_again": "a long password",
        },
        headers={"Accept-Language": "pt"},
    )
    user = db.session.execute(select(User).where(User.email == "ana@example.org")).scalar_one()
    assert user.locale == "pt"


# ---------------------------------------------------------------- bad locales


@pytest.mark.parametrize(
    "header",
    [
        "xx-YY",
        "pt;q=abc",
        ";;;,,,",
        "en-US;q=0.8;;q=0.9, ru;q=2",
        "ру-РУ",
        "a" * 5000,
        "zh-Hant-TW-x-private-extension-verylong;q=0.5",
        "\t\u00a0",
    ],
)
def test_malformed_accept_language_falls_back_cleanly(client, header):
    response = client.get("/", headers={"Accept-Language": header})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "value", ["xx", "pt_XX_bad", "../../etc", "", "ru" * 50, "<script>", "中文"]
)
def test_unknown_lang_parameter_is_ignored(client, value):
    text = page(client, "/?lang=" + value, "pt")
    assert '<html lang="pt">' in text


@pytest.mark.parametrize("value", ["xx", "", "<b>", "pt" * 30])
def test_unknown_language_in_the_menu_keeps_the_current_one(client, value):
    response = client.post(
        "/language", data={"locale": value, "next": "/"}, headers={"Accept-Language": "ru"}
    )
    assert response.status_code == 302
    text = page(client, "/", "ru")
    assert '<html lang="ru">' in text
    assert "Этот язык пока недоступен" in text
    with client.session_transaction() as session:
        assert "locale" not in session


def test_language_menu_never_redirects_elsewhere(client):
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        response = client.post("/language", data={"locale": "pt", "next": target})
        assert response.location == "/"


def test_unknown_language_in_the_profile_is_a_form_error(client, factory, login):
    user = factory.user()
    login(user)
    response = client.post(
        "/account/", data={"display_name": "X", "locale": "xx"}, headers={"Accept-Language": "pt"}
    )
    assert response.status_code == 200
    assert db.session.get(User, user.id).locale is None


def test_a_locale_stored_by_older_code_is_skipped(client, factory, login):
    user = factory.user()
    user.locale = "tlh"
    login(user)
    assert '<html lang="pt">' in page(client, "/", "pt")


def test_countries_are_named_and_sorted_for_the_reader(client, cascais):
    pt = page(client, "/events/cascais-2024/register", "pt")
    assert "Quénia" in pt and "Quênia" not in pt  # European, not Brazilian, Portuguese
    assert pt.index("África do Sul") < pt.index("Alemanha") < pt.index("Zâmbia")
    ru = page(client, "/events/cascais-2024/register", "ru")
    assert ru.index("Австрия") < ru.index("Япония")
