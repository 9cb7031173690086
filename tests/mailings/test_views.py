"""The organisers' pages: reachable from the manage menu, for organisers only; bad input is a
form error, never a 500; preview, sending and the record; the opt-out page without a login."""

from __future__ import annotations

import pytest
from flask import current_app

from eventsys.events.enums import RoleName
from eventsys.events.services import grant_role
from eventsys.extensions import db, huey
from eventsys.mailings import optout, services
from eventsys.mailings.filters import opt_out_scope
from eventsys.mailings.models import Mailing, MailingStatus
from tests.mailings.conftest import draft


def form_data(**overrides):
    data = {
        "kind": "registration",
        "statuses": ["confirmed"],
        "checked_in": "",
        "subject": "Practical information",
        "body": "Dear {name},\n\nthe venue opens at 8.",
        "subject_pt": "",
        "body_pt": "",
    }
    data.update(overrides)
    return data


def test_the_manage_menu_leads_to_mailings(client, login, event, organiser):
    login(organiser)
    page = client.get(f"/events/{event.slug}/manage/").get_data(as_text=True)
    assert f'href="/events/{event.slug}/manage/mailings"' in page
    listing = client.get(f"/events/{event.slug}/manage/mailings")
    assert listing.status_code == 200
    assert f'href="/events/{event.slug}/manage/mailings/new"' in listing.get_data(as_text=True)


@pytest.mark.parametrize("role", [None, RoleName.CHECKIN])
def test_check_in_staff_and_participants_cannot_open_or_send(client, login, factory, event, role):
    person = factory.user()
    factory.registration(event, user=person)
    if role is not None:
        grant_role(db.session, event, person, role)
    mailing = draft(event)
    login(person)
    base = f"/events/{event.slug}/manage/mailings"
    for url in (base, f"{base}/new", f"{base}/{mailing.id}", f"{base}/{mailing.id}/edit"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{base}/new", data=form_data()).status_code == 403
    assert client.post(f"{base}/{mailing.id}/send").status_code == 403
    assert mailing.status == MailingStatus.DRAFT
    assert db.session.query(Mailing).count() == 1
    page = client.get(f"/events/{event.slug}/registration").get_data(as_text=True)
    assert "/manage/mailings" not in page


def test_anonymous_visitors_are_sent_to_log_in(client, event):
    response = client.get(f"/events/{event.slug}/manage/mailings/new")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_an_organiser_of_another_event_cannot_open_this_ones_mailing(
    client, login, factory, event, organiser
):
    mailing = draft(event)
    other = factory.event(organiser=organiser)
    login(organiser)
    assert client.get(f"/events/{other.slug}/manage/mailings/{mailing.id}").status_code == 404


def test_creating_a_draft_counts_and_saves(client, login, factory, event, organiser):
    factory.registration(event)
    factory.registration(event)
    login(organiser)
    counted = client.post(
        f"/events/{event.slug}/manage/mailings/new", data=form_data(action="count")
    )
    assert counted.status_code == 200
    assert "2 people receive this mailing." in counted.get_data(as_text=True)
    assert db.session.query(Mailing).count() == 0
    saved = client.post(f"/events/{event.slug}/manage/mailings/new", data=form_data())
    assert saved.status_code == 302
    mailing = db.session.query(Mailing).one()
    assert mailing.subject == "Practical information" and mailing.status == MailingStatus.DRAFT


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body", "Dear {nom}", "{nom}"),
        ("subject_pt", "Olá {nome}", "{nome}"),
        ("subject", "", "Please enter a subject."),
        ("kind", "spam", "Not a valid choice"),
        ("category", "abc", "Not a valid choice"),
        ("session", "99999999999999999999", "Not a valid choice"),
        ("statuses", ["bogus"], "not a valid choice"),
        ("language", "xx", "Not a valid choice"),
    ],
)
def test_bad_input_is_a_form_error_never_a_500(
    client, login, event, organiser, field, value, message
):
    login(organiser)
    data = form_data(**{field: value})
    if field == "subject_pt":
        data["body_pt"] = "Texto"
    response = client.post(f"/events/{event.slug}/manage/mailings/new", data=data)
    assert response.status_code == 422
    assert message.lower() in response.get_data(as_text=True).lower()
    assert db.session.query(Mailing).count() == 0


def test_preview_as_one_recipient_in_their_language_escaped(
    client, login, factory, event, organiser
):
    mailing = draft(
        event,
        body="Dear {name} <script>alert(1)</script>",
        translations={"pt": ("Informação prática", "Caro(a) {name}")},
    )
    carl = factory.registration(event, name="Carl")
    ana = factory.registration(event, name="Ana <b>", locale="pt")
    login(organiser)
    url = f"/events/{event.slug}/manage/mailings/{mailing.id}"
    first = client.get(url).get_data(as_text=True)
    assert "Dear Ana &lt;b&gt; &lt;script&gt;" not in first  # Ana reads Portuguese
    page = client.get(f"{url}?recipient={ana.id}").get_data(as_text=True)
    assert "Informação prática" in page and "Caro(a) Ana &lt;b&gt;" in page
    carl_page = client.get(f"{url}?recipient={carl.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in carl_page
    assert "<script>alert(1)" not in carl_page
    assert "2 people receive this mailing." in carl_page


def test_preview_of_someone_outside_the_filters_is_refused(
    client, login, factory, event, organiser
):
    mailing = draft(event)
    factory.registration(event, name="Carl")
    outsider = factory.registration(factory.event(), name="Zoe Outsider")
    login(organiser)
    url = f"/events/{event.slug}/manage/mailings/{mailing.id}"
    page = client.get(f"{url}?recipient={outsider.id}").get_data(as_text=True)
    assert "Zoe Outsider" not in page and "Dear Carl" in page
    assert client.get(f"{url}?recipient=99999999999999999").status_code == 404


def test_send_queues_the_job_and_the_page_shows_progress_and_recipients(
    client, login, factory, event, organiser, run_jobs
):
    mailing = draft(event)
    factory.registration(event, name="Ana", email="ana@example.org")
    db.session.commit()
    huey.storage.flush_all()  # the registration's own mail
    login(organiser)
    url = f"/events/{event.slug}/manage/mailings/{mailing.id}"
    response = client.post(f"{url}/send")
    assert response.status_code == 302
    assert mailing.status == MailingStatus.QUEUED
    assert huey.pending_count() == 1
    run_jobs()  # the mailing's job, then the mail it queued
    db.session.refresh(mailing)
    assert mailing.status == MailingStatus.SENT
    page = client.get(url).get_data(as_text=True)
    assert "ana@example.org" in page and "1 of 1" in page
    again = client.post(f"{url}/send")
    assert again.status_code == 302
    assert huey.pending_count() == 0
    assert client.get(f"{url}/edit").status_code == 302


def test_the_opt_out_page_needs_no_login_and_works_both_ways(client, factory, event):
    scope = opt_out_scope(event)
    ana = factory.registration(event, email="ana@example.org")
    token = optout.opt_out_token(ana.id, current_app.config["SECRET_KEY"])
    url = f"/mailings/opt-out/{token}"
    page = client.get(url)
    assert page.status_code == 200 and 'value="out"' in page.get_data(as_text=True)
    assert not optout.is_opted_out(db.session, scope, "ana@example.org")  # a GET changes nothing
    assert client.post(url, data={"action": "out"}).status_code == 302
    assert optout.is_opted_out(db.session, scope, "ana@example.org")
    assert 'value="in"' in client.get(url).get_data(as_text=True)
    client.post(url, data={"action": "in"})
    assert not optout.is_opted_out(db.session, scope, "ana@example.org")
    assert client.post(url, data={"action": "sideways"}).status_code == 400
    assert client.get(url + "tampered").status_code == 404


def test_the_news_link_in_a_mail_opens_the_opt_out_page(client, factory, event):
    news = draft(event, kind="news")
    ana = factory.registration(event, email="ana@example.org")
    body = services.render_for(news, ana).body
    link = body.rsplit(" ", 1)[1].strip().removeprefix("http://eventsys.test")
    assert client.post(link, data={"action": "out"}).status_code == 302
    assert services.count_recipients(db.session, news) == 0


def test_a_draft_is_edited_with_its_filters_and_languages_kept(
    client, login, factory, event, organiser
):
    mailing = draft(event, translations={"pt": ("Olá", "Caro(a) {name}")})
    login(organiser)
    url = f"/events/{event.slug}/manage/mailings/{mailing.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "Caro(a) {name}" in page and 'value="Olá"' in page
    response = client.post(
        url, data=form_data(kind="news", country="", subject="New subject", body="Hi {name}")
    )
    assert response.status_code == 302
    db.session.refresh(mailing)
    assert (mailing.subject, mailing.kind.value) == ("New subject", "news")
    assert mailing.subject_translations == {}


def test_a_stopped_job_can_be_continued_without_doubles(client, login, factory, event, organiser):
    mailing = draft(event)
    for _ in range(3):
        factory.registration(event)
    services.start_sending(db.session, mailing, None)
    mailing.status = MailingStatus.SENDING
    services.run_batch(db.session, mailing, limit=1)
    mailing.error = "OperationalError: the database restarted"
    db.session.commit()
    huey.storage.flush_all()
    login(organiser)
    url = f"/events/{event.slug}/manage/mailings/{mailing.id}"
    assert "Continue sending" in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/send").status_code == 302
    from eventsys.mailings import jobs

    assert jobs.send_mailing.call_local(mailing.id) == "sent"
    db.session.refresh(mailing)
    assert mailing.queued == 3 and mailing.error is None


def test_the_live_count_follows_the_filters_and_survives_garbage(
    client, login, factory, event, organiser
):
    factory.registration(event, country="PT")
    factory.registration(event, country="DE")
    login(organiser)
    url = f"/events/{event.slug}/manage/mailings/count"
    assert client.get(url).get_json() == {"count": 2, "text": "2 people receive this mailing."}
    assert client.get(f"{url}?country=PT").get_json()["text"] == "1 person receives this mailing."
    garbage = client.get(f"{url}?category=x&session=99999999999999&statuses=zzz&checked_in=q")
    assert garbage.status_code == 200 and garbage.get_json()["count"] == 2
