"""Mails arrive in the recipient's language, whatever language the sender's page was in."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.mail.models import OutboundMail
from eventsys.registration import services
from tests.factories import aware
from tests.mail.outbox import written


def mails_to(address: str) -> list[OutboundMail]:
    """As the queue worker writes them (a confirmation is saved as its values)."""
    return [
        written(mail)
        for mail in db.session.execute(
            select(OutboundMail).where(OutboundMail.to_address == address).order_by(OutboundMail.id)
        ).scalars()
    ]


@pytest.fixture
def baku(factory):
    return factory.event(
        "baku-side-event",
        title="South-South Climate Dialogue",
        title_translations={"ru": "Диалог Юг–Юг о климате", "pt": "Diálogo Sul–Sul sobre o Clima"},
        timezone="Asia/Baku",
        starts_at=aware(2030, 11, 15, 6, 0),  # 10:00 in Baku
        days=1,
        venue_name="Baku Olympic Stadium",
        city="Baku",
        requires_approval=True,
    )


def test_a_russian_speaker_gets_russian_mails(factory, baku):
    person = factory.user("aliya@example.org", name="Алия Мамедова")
    person.locale = "ru"
    registration = factory.registration(baku, user=person, organiser=False)
    [received] = mails_to("aliya@example.org")
    assert received.subject == "Мы получили вашу заявку на регистрацию: Диалог Юг–Юг о климате"
    assert "Здравствуйте, Алия Мамедова!" in received.text_body
    assert "Организаторы рассматривают каждую заявку" in received.text_body
    # Russian dates in Baku's time: 15 November 2030, 10:00 – 16 November, 10:00 (Asia/Baku)
    assert "Когда: 15 ноября 2030\u202fг., 10:00 – 16 ноября 2030\u202fг., 10:00 (Asia/Baku)" in (
        received.text_body
    )
    assert "Категория участия: Делегат организации-члена" in received.text_body
    services.approve(db.session, registration, "Добро пожаловать!")
    approved = mails_to("aliya@example.org")[-1]
    assert approved.subject == "Ваша регистрация подтверждена: Диалог Юг–Юг о климате"
    assert "Их сообщение: Добро пожаловать!" in approved.text_body


def test_the_organisers_page_language_does_not_leak_into_the_mail(
    app, client, factory, login, baku
):
    organiser = factory.user()
    person = factory.user("joao@example.org", name="João Silva")
    person.locale = "pt"
    registration = factory.registration(baku, user=person, organiser=False)
    with app.test_request_context("/", headers={"Accept-Language": "ru"}):
        login(organiser)
        services.reject(db.session, registration, "")
    rejected = mails_to("joao@example.org")[-1]
    assert rejected.subject == "A sua inscrição: Diálogo Sul–Sul sobre o Clima"
    assert "Os organizadores de Diálogo Sul–Sul sobre o Clima não puderam aceitar" in (
        rejected.text_body
    )


def test_a_guest_gets_the_events_language(factory):
    event = factory.event(
        title="Climate Alliance Conference",
        default_locale="pt",
        starts_at=aware(2030, 10, 9, 8, 0),
    )
    factory.registration(event, email="guest@example.org", name="Maria", organiser=False)
    [mail] = mails_to("guest@example.org")
    assert mail.subject == "A sua inscrição está confirmada: Climate Alliance Conference"
    assert "Olá, Maria," in mail.text_body
    assert "Quando: 9 de outubro de 2030, 09:00 – 12 de outubro de 2030, 09:00 (Europe/Lisbon)" in (
        mail.text_body
    )


def test_english_stays_english(factory):
    event = factory.event(title="Assembly", starts_at=aware(2030, 10, 9, 8, 0))
    factory.registration(event, email="en@example.org", name="Sam", organiser=False)
    [mail] = mails_to("en@example.org")
    assert mail.subject == "Your registration is confirmed: Assembly"
    assert "Hello Sam," in mail.text_body


def test_waiting_list_and_cancel_mails_are_translated(factory):
    event = factory.event(title="Small workshop", capacity=1, default_locale="ru")
    first = factory.registration(event, email="first@example.org", organiser=False)
    factory.registration(event, email="second@example.org", organiser=False)
    assert mails_to("second@example.org")[0].subject == "Вы в листе ожидания: Small workshop"
    services.cancel(db.session, first)
    assert mails_to("first@example.org")[-1].subject == "Регистрация отменена: Small workshop"
    promoted = mails_to("second@example.org")[-1]
    assert promoted.subject == "Для вас освободилось место: Small workshop"
    assert "Ваша регистрация подтверждена." in promoted.text_body


def test_account_mails_follow_the_accounts_language(client, factory):
    person = factory.user("reset@example.org")
    person.locale = "ru"
    client.post(
        "/account/forgot", data={"email": "reset@example.org"}, headers={"Accept-Language": "pt"}
    )
    [mail] = mails_to("reset@example.org")
    assert mail.subject == "Восстановление пароля"
    assert "Ссылка действует один раз." in mail.text_body


def test_signup_mail_is_in_the_language_of_the_signup_page(client):
    client.post(
        "/account/signup",
        data={
            "display_name": "Rui",
            "email": "rui@example.org",
            "password": "a long password",
            "password_again": "a long password",
        },
        headers={"Accept-Language": "pt-PT"},
    )
    [mail] = mails_to("rui@example.org")
    assert mail.subject == "Confirme o seu endereço de e-mail"
    assert "Olá, Rui," in mail.text_body


def test_a_guest_gets_mails_in_the_language_they_registered_in(
    client, factory, run_jobs, smtp_server
):
    event = factory.event(slug="guest-language")
    delegate = next(c for c in event.categories if c.code == "delegate")
    response = client.post(
        "/events/guest-language/register",
        data={
            "display_name": "Анна Пашковская",
            "email": "anna@example.md",
            "category_id": delegate.id,
            "visibility": "organisers",
        },
        headers={"Accept-Language": "ru"},
    )
    assert response.status_code == 302
    run_jobs()
    [mail] = [m for m in smtp_server if m["To"] == "anna@example.md"]
    body = mail.get_body(("plain",)).get_content()
    assert "Анна Пашковская" in body
    assert "Здравствуйте" in body or "регистрац" in body.lower()
