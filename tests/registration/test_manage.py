"""The organisers' registrations page: access, search, filters, sorting, paging, decisions."""

from __future__ import annotations

import re

import pytest
from flask import g
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.mail.models import MailStatus, OutboundMail
from eventsys.registration.enums import Status


def _url(event, rest: str = "") -> str:
    return f"/events/{event.slug}/manage/registrations{rest}"


def _names(response) -> list[str]:
    """Names in the table, in order (each links to the registration's detail page)."""
    html = response.get_data(as_text=True)
    return re.findall(r'<a href="/events/[^"]+/manage/registrations/\d+">([^<]+)</a>', html)


def _manage_urls(app, event, registration_id: int, mail_id: int = 1) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("registration_manage."):
            continue
        values = {"slug": event.slug, "registration_id": registration_id, "mail_id": mail_id}
        path = rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]
        method = "POST" if "POST" in rule.methods and "GET" not in rule.methods else "GET"
        urls.append((method, path))
    return urls


def test_every_organiser_page_refuses_anonymous_and_participants(
    app, client, login, factory, conference
):
    urls = _manage_urls(app, conference.event, conference.people[0].id)
    assert len(urls) >= 10
    for method, path in urls:
        response = client.open(path, method=method)
        assert response.status_code in (302, 401), (path, response.status_code)
    participant = factory.user()
    factory.registration(conference.event, user=participant)
    db.session.commit()
    g.pop("_login_user", None)  # Flask-Login caches the user in the test's app context
    login(participant)
    for method, path in urls:
        assert client.open(path, method=method).status_code == 403, path
    assert conference.people[0].status == Status.CONFIRMED  # nothing was cancelled


def test_organiser_of_another_event_cannot_reach_these_registrations(
    client, login, factory, conference
):
    other_organiser = factory.user()
    other = factory.event(organiser=other_organiser)
    db.session.commit()
    login(other_organiser)
    assert client.get(_url(conference.event)).status_code == 403
    # Nor through their own event's address with an id from this one.
    target = conference.people[1]
    assert client.get(_url(other, f"/{target.id}")).status_code == 404
    assert client.post(_url(other, f"/{target.id}/cancel")).status_code == 404
    assert target.status == Status.CONFIRMED


def test_table_shows_everyone_with_counts(client, login, conference):
    login(conference.organiser)
    response = client.get(_url(conference.event))
    assert response.status_code == 200
    assert sorted(_names(response)) == sorted(p.display_name for p in conference.people)
    html = response.get_data(as_text=True)
    assert "Anna Pashkovskaya" in html  # the Latin spelling under the name
    assert "<strong>4</strong> in all" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ПАШКОВСКАЯ", ["Анна Пашковская"]),  # case-insensitive in Cyrillic
        ("пашков", ["Анна Пашковская"]),
        ("ələkbərov", ["Rauf Ələkbərov"]),
        ("ƏLƏKBƏROV", ["Rauf Ələkbərov"]),
        ("stefanescu", ["Ioana Ștefănescu"]),  # accents need not be typed
        ("conceição", ["Maria Conceição"]),
        ("cascais", ["Maria Conceição"]),  # organisation
        ("ATTENDEE2@EXAMPLE", ["Ioana Ștefănescu"]),  # e-mail
        ("pashkovskaya", ["Анна Пашковская"]),  # Latin name
        ("anna союз", ["Анна Пашковская"]),  # every word must match
        ("100%", []),  # LIKE wildcards are taken literally
        ("_", []),
    ],
)
def test_search(client, login, conference, query, expected):
    login(conference.organiser)
    assert _names(client.get(_url(conference.event), query_string={"q": query})) == expected


def test_filters(client, login, factory, conference):
    event = conference.event
    guest = factory.registration(
        event, email="guest@example.org", name="Guest Unconfirmed", organiser=False, country="BR"
    )
    assert guest.email_confirmed_at is None
    from eventsys.registration import services

    services.cancel(db.session, conference.people[0])
    login(conference.organiser)
    observer = next(c for c in event.categories if c.code == "observer")

    def names(**args):
        return sorted(_names(client.get(_url(event), query_string=args)))

    assert names(status="cancelled") == ["Rauf Ələkbərov"]
    assert names(category=observer.id) == ["Maria Conceição", "Анна Пашковская"]
    assert names(country="ro") == ["Ioana Ștefănescu"]
    assert names(email_confirmed="no") == ["Guest Unconfirmed"]
    assert "Guest Unconfirmed" not in names(email_confirmed="yes")
    assert names(country="BR", status="confirmed") == ["Guest Unconfirmed"]
    # Malformed values are ignored, never a server error.
    assert len(names(status="nonsense", category="x", country="Narnia", sort="evil")) == 5


def test_table_marks_unconfirmed_email_until_the_link_is_opened(client, login, factory, conference):
    from eventsys.registration import services

    event = conference.event
    data = services.RegistrationData(
        email="walkin@example.org", display_name="Walk In", category_id=event.categories[0].id
    )
    registration, secret = services.register(db.session, event, data)
    login(conference.organiser)
    row = _row_of(client.get(_url(event)), "Walk In")
    assert "not confirmed" in row
    client.get("/logout")
    with client.session_transaction() as session:
        session.clear()
    assert client.get(f"/registrations/{secret}").status_code == 200
    assert registration.email_confirmed_at is not None
    login(conference.organiser)
    row = _row_of(client.get(_url(event)), "Walk In")
    assert "not confirmed" not in row and "E-mail confirmed" in row


def _row_of(response, name: str) -> str:
    html = response.get_data(as_text=True)
    return next(row for row in html.split("<tr>") if f">{name}</a>" in row)


def test_sorting(client, login, conference):
    login(conference.organiser)
    event = conference.event
    by_name = _names(client.get(_url(event), query_string={"sort": "name"}))
    assert by_name == ["Ioana Ștefănescu", "Maria Conceição", "Rauf Ələkbərov", "Анна Пашковская"]
    desc = _names(client.get(_url(event), query_string={"sort": "name", "dir": "desc"}))
    assert desc == list(reversed(by_name))
    by_country = _names(client.get(_url(event), query_string={"sort": "country"}))
    assert by_country == [
        "Rauf Ələkbərov",
        "Maria Conceição",
        "Ioana Ștefănescu",
        "Анна Пашковская",
    ]
    by_category = _names(client.get(_url(event), query_string={"sort": "category"}))
    assert by_category[:2] == ["Rauf Ələkbərov", "Ioana Ștefănescu"]  # delegates come first


def _many(factory, event, number: int) -> None:
    for i in range(number):
        factory.registration(
            event,
            email=f"bulk{i}@example.org",
            name=f"Bulk {i:03d}",
            country="DE",
            organisation_name="Stadt",
        )


def test_paging_keeps_the_filter_and_never_repeats_rows(client, login, factory, conference):
    event = conference.event
    _many(factory, event, 56)
    login(conference.organiser)
    first = client.get(_url(event), query_string={"country": "DE", "sort": "name"})
    html = first.get_data(as_text=True)
    assert "Page 1 of 2" in html
    next_link = f"/events/{event.slug}/manage/registrations?country=DE&amp;sort=name&amp;page=2"
    assert f'href="{next_link}"' in html
    second = client.get(_url(event), query_string={"country": "DE", "sort": "name", "page": 2})
    one, two = _names(first), _names(second)
    assert len(one) == 50 and len(two) == 6
    assert one + two == [f"Bulk {i:03d}" for i in range(56)]
    # A page past the end shows the last page rather than an error.
    assert _names(client.get(_url(event), query_string={"country": "DE", "page": 99})) == two


def test_no_n_plus_one(client, login, factory, conference, count_queries):
    event = conference.event
    login(conference.organiser)
    db.session.expire_all()
    with count_queries() as few:
        assert client.get(_url(event)).status_code == 200
    _many(factory, event, 40)
    db.session.expire_all()
    with count_queries() as many:
        assert len(_names(client.get(_url(event)))) == 44
    assert many.count == few.count, "\n".join(s[:150] for s in many.statements)
    assert many.count <= 10, many.statements


def test_approve_and_reject_with_a_message(client, login, factory, run_jobs):
    organiser = factory.user()
    event = factory.event(organiser=organiser, requires_approval=True, timezone="Asia/Baku")
    first = factory.registration(event, email="a@example.org", name="Ayşe", organiser=False)
    second = factory.registration(event, email="b@example.org", name="Bilal", organiser=False)
    db.session.commit()
    assert first.status == second.status == Status.PENDING
    login(organiser)
    back = _url(event) + "?status=pending"
    response = client.post(
        _url(event, f"/{first.id}/approve"), data={"message": "See you in Baku!", "next": back}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(back)
    assert first.status == Status.CONFIRMED and first.decision_message == "See you in Baku!"
    client.post(_url(event, f"/{second.id}/reject"), data={"message": "The hall is for NGOs only."})
    assert second.status == Status.REJECTED
    mails = (
        db.session.execute(
            select(OutboundMail).where(
                OutboundMail.to_address == "b@example.org",
                OutboundMail.kind == "registration_rejected",
            )
        )
        .scalars()
        .all()
    )
    assert len(mails) == 1
    # Deciding twice is refused with a message, not an error page.
    response = client.post(_url(event, f"/{first.id}/approve"), follow_redirects=True)
    assert response.status_code == 200
    assert "Only a registration awaiting approval can be approved" in response.get_data(
        as_text=True
    )


def test_overlong_decision_message_is_refused(client, login, factory):
    organiser = factory.user()
    event = factory.event(organiser=organiser, requires_approval=True)
    pending = factory.registration(event, organiser=False)
    db.session.commit()
    login(organiser)
    response = client.post(
        _url(event, f"/{pending.id}/approve"), data={"message": "x" * 2001}, follow_redirects=True
    )
    assert response.status_code == 200
    assert pending.status == Status.PENDING
    assert "not valid" in response.get_data(as_text=True)


def test_move_off_waitlist_and_cancel(client, login, factory):
    organiser = factory.user()
    event = factory.event(organiser=organiser, capacity=1)
    holder = factory.registration(event, name="Holder")
    first_waiting = factory.registration(event, name="First waiting")
    second_waiting = factory.registration(event, name="Second waiting")
    db.session.commit()
    login(organiser)
    response = client.post(
        _url(event, f"/{second_waiting.id}/move-off-waitlist"), follow_redirects=True
    )
    assert "There is no free place" in response.get_data(as_text=True)
    assert second_waiting.status == Status.WAITLISTED
    client.post(_url(event, f"/{holder.id}/cancel"))
    assert holder.status == Status.CANCELLED
    assert first_waiting.status == Status.CONFIRMED  # promoted in order
    event.capacity = 2
    db.session.commit()
    client.post(_url(event, f"/{second_waiting.id}/move-off-waitlist"))
    assert second_waiting.status == Status.CONFIRMED


def test_change_category_respects_the_category_capacity(client, login, factory, conference):
    event = conference.event
    press = next(c for c in event.categories if c.code == "press")
    staff = next(c for c in event.categories if c.code == "staff")
    press.capacity = 1
    factory.registration(event, category="press")
    db.session.commit()
    login(conference.organiser)
    person = conference.people[0]
    response = client.post(
        _url(event, f"/{person.id}/category"), data={"category_id": press.id}, follow_redirects=True
    )
    assert "is full" in response.get_data(as_text=True)
    assert person.category.code == "delegate"
    client.post(_url(event, f"/{person.id}/category"), data={"category_id": staff.id})
    assert person.category.code == "staff"  # a closed category, organisers only
    response = client.post(
        _url(event, f"/{person.id}/category"), data={"category_id": 999999}, follow_redirects=True
    )
    assert response.status_code == 200 and person.category.code == "staff"


def test_detail_page_shows_answers_and_email_state(client, login, conference):
    login(conference.organiser)
    person = conference.people[1]
    html = client.get(_url(conference.event, f"/{person.id}")).get_data(as_text=True)
    assert "Анна Пашковская" in html and "Экологический союз" in html
    assert "Diet" in html and "vegan" in html and "Energy; Adaptation" in html
    assert "confirmed" in html


def test_organiser_registers_someone_in_a_closed_category(client, login, factory, conference):
    from eventsys.db import utcnow

    event = conference.event
    event.registration_closes_at = utcnow()  # the public form is closed; organisers may still add
    db.session.commit()
    staff = next(c for c in event.categories if c.code == "staff")
    login(conference.organiser)
    page = client.get(_url(event, "/new")).get_data(as_text=True)
    assert f'value="{staff.id}"' in page
    response = client.post(
        _url(event, "/new"),
        data={
            "display_name": "Çiçək Məmmədova",
            "email": "cicek@example.org",
            "category_id": staff.id,
            "visibility": "organisers",
            "country": "AZ",
        },
    )
    assert response.status_code == 302
    registration = db.session.execute(
        select(conference.people[0].__class__).where(
            conference.people[0].__class__.email == "cicek@example.org"
        )
    ).scalar_one()
    assert registration.category.code == "staff" and registration.status == Status.CONFIRMED
    # A duplicate shows a message on the form.
    again = client.post(
        _url(event, "/new"),
        data={
            "display_name": "Again",
            "email": "CICEK@example.org",
            "category_id": staff.id,
            "visibility": "organisers",
        },
    )
    assert again.status_code == 200
    assert "already registered" in again.get_data(as_text=True)


def test_failed_mails_are_listed_and_retried(client, login, conference, run_jobs):
    event = conference.event
    mail = (
        db.session.execute(select(OutboundMail).where(OutboundMail.event_id == event.id))
        .scalars()
        .first()
    )
    mail.status, mail.attempts, mail.last_error = MailStatus.FAILED, 5, "SMTPServerDisconnected"
    db.session.commit()
    login(conference.organiser)
    assert "could not be delivered" in client.get(_url(event)).get_data(as_text=True)
    html = client.get(f"/events/{event.slug}/manage/mails").get_data(as_text=True)
    assert mail.to_address in html and "SMTPServerDisconnected" in html
    response = client.post(f"/events/{event.slug}/manage/mails/{mail.id}/retry")
    assert response.status_code == 302
    assert mail.status == MailStatus.QUEUED and mail.attempts == 0
    run_jobs()
    assert mail.status in (MailStatus.LOGGED, MailStatus.SENT)
    assert "could not be delivered" not in client.get(_url(event)).get_data(as_text=True)
