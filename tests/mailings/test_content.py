"""Placeholders checked, each person's language (or the default), the preview's rendering."""

from __future__ import annotations

import pytest

from eventsys.errors import ServiceError
from eventsys.extensions import db
from eventsys.mailings import content, services
from eventsys.mailings.filters import MailingFilters
from tests.mailings.conftest import draft


def test_unknown_placeholders_are_named_each_once():
    text = "Hello {name}, see {badge_link} and {agenda} or {agenda} and {0.__class__}"
    assert content.unknown_placeholders(text) == ["agenda", "0.__class__"]
    assert content.unknown_placeholders("A lone { brace and {} stay prose.") == []


def test_fill_replaces_known_placeholders_and_interprets_nothing_else():
    values = {"name": "Ana {badge_link}", "badge_link": "B"}
    assert (
        content.fill("Hi {name}! {x} {{name}}", values)
        == "Hi Ana {badge_link}! {x} {Ana {badge_link}}"
    )


def test_a_draft_with_an_unknown_placeholder_is_refused_naming_it_by_field(event):
    with pytest.raises(ServiceError) as caught:
        draft(event, body="Dear {nmae}", translations={"pt": ("Olá {nome}", "Caro {name}")})
    errors = caught.value.field_errors
    assert "{nmae}" in errors["body"]
    assert "{nome}" in errors["subject_pt"]
    assert "{name}" in errors["body"]  # and says which ones exist


def test_a_translation_needs_both_subject_and_text(event):
    with pytest.raises(ServiceError) as caught:
        draft(event, translations={"pt": ("Informação prática", "")})
    assert set(caught.value.field_errors) == {"body_pt"}


def test_empty_subject_or_text_or_an_unknown_kind_are_refused(event):
    with pytest.raises(ServiceError) as caught:
        draft(event, kind="spam", subject=" ", body="")
    assert set(caught.value.field_errors) == {"subject", "body", "kind"}


def test_languages_the_event_does_not_offer_are_dropped(event):
    mailing = draft(event, translations={"pt": ("Olá", "Caro {name}"), "ru": ("Привет", "Текст")})
    assert mailing.subject_translations == {"pt": "Olá"}
    assert content.languages_written(mailing) == ["en", "pt"]


def test_each_person_reads_their_language_with_the_default_as_fallback(factory, event):
    mailing = draft(
        event,
        body="Dear {name}",
        translations={"pt": ("Informação prática", "Caro(a) {name}")},
    )
    ana = factory.registration(event, name="Ana", locale="pt")
    ivan = factory.registration(event, name="Иван", locale="ru")  # no Russian version
    reader = factory.user(name="Bea")
    reader.locale = "pt"
    bea = factory.registration(event, user=reader, locale="en")  # the account's language wins
    assert services.render_for(mailing, ana) == ("pt", "Informação prática", "Caro(a) Ana")
    assert services.render_for(mailing, ivan) == ("en", "Practical information", "Dear Иван")
    assert services.render_for(mailing, bea).locale == "pt"


def test_links_are_personal_for_guests_and_account_holders(factory, event):
    mailing = draft(
        event, body="{registration_link}\n{badge_link}\n{calendar_link}", filters=MailingFilters()
    )
    guest = factory.registration(event, name="Guest")
    member = factory.registration(event, user=factory.user())
    guest_lines = services.render_for(mailing, guest).body.split("\n")
    assert guest_lines[0].startswith("http://eventsys.test/") and "/m." in guest_lines[0]
    assert guest_lines[1] == guest_lines[0] + "/badge.pdf"
    assert guest_lines[2] == f"http://eventsys.test/events/{event.slug}/calendar.ics"
    member_lines = services.render_for(mailing, member).body.split("\n")
    base = f"http://eventsys.test/events/{event.slug}"
    assert member_lines == [
        f"{base}/registration",
        f"{base}/registration/badge.pdf",
        f"{base}/programme/agenda",
    ]


def test_news_carries_an_opt_out_link_in_the_readers_language(factory, event):
    news = draft(event, kind="news", translations={"pt": ("Notícias", "Olá {name}")})
    registration_mail = draft(event)
    ana = factory.registration(event, name="Ana", locale="pt")
    body = services.render_for(news, ana).body
    assert "/mailings/opt-out/" in body
    assert "/mailings/opt-out/" not in services.render_for(registration_mail, ana).body


def test_a_sent_mailing_cannot_be_changed(factory, event):
    mailing = draft(event)
    factory.registration(event)
    services.start_sending(db.session, mailing, None)
    with pytest.raises(ServiceError):
        services.update_mailing(
            db.session, mailing, services.MailingData(kind="news", subject="x", body="y")
        )
