"""What a participant sees on the registration form and on their own page."""

from __future__ import annotations

import re

from sqlalchemy import select

from eventsys.extensions import db
from eventsys.mail.models import OutboundMail
from eventsys.registration.models import Registration
from tests.mail.outbox import written


def test_required_question_is_marked_and_explained(client, conference):
    conference.diet.required = True
    db.session.commit()
    url = f"/events/{conference.event.slug}/register"
    html = client.get(url).get_data(as_text=True)
    diet_field = html.split(f'for="q_{conference.diet.id}"')[1].split("</div>")[0]
    assert 'class="req"' in diet_field
    staff = next(c for c in conference.event.categories if c.code == "staff")
    assert f'value="{staff.id}"' not in html  # closed categories are not offered
    response = client.post(
        url,
        data={
            "display_name": "Ana",
            "email": "ana@example.org",
            "category_id": conference.event.categories[0].id,
            "visibility": "organisers",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Please answer “Diet”." in page
    assert "Please correct the fields marked below." in page


def test_guest_confirms_the_address_only_through_the_mailed_link(client, factory):
    event = factory.event(capacity=1)
    factory.registration(event)
    db.session.commit()
    response = client.post(
        f"/events/{event.slug}/register",
        data={
            "display_name": "Пётр Ильич",
            "email": "petr@example.org",
            "category_id": event.categories[0].id,
            "visibility": "organisers",
        },
    )
    assert response.status_code == 302
    sent = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Check your inbox" in sent and "waiting list" in sent  # the outcome, flashed
    assert "petr@example.org" not in response.headers["Location"]
    registration = db.session.execute(
        select(Registration).where(Registration.email == "petr@example.org")
    ).scalar_one()
    assert registration.email_confirmed_at is None
    mail = db.session.execute(
        select(OutboundMail).where(OutboundMail.to_address == "petr@example.org")
    ).scalar_one()
    link = re.search(r"https?://[^/\s]+(/registrations/\S+)", written(mail).text_body).group(1)
    page = client.get(link).get_data(as_text=True)
    assert "Keep the e-mail with the link to this page" in page
    assert "You are number 1 on the waiting list" in page
    assert registration.email_confirmed_at is not None


def test_the_account_page_lists_the_own_registrations_with_links(client, login, factory):
    user = factory.user()
    coming = factory.event(title="Almada Workshop")
    other = factory.event(title="Someone Else's Event")
    factory.registration(coming, user=user)
    factory.registration(other)
    db.session.commit()
    login(user)
    page = client.get("/account/").get_data(as_text=True)
    assert "Your registrations" in page
    assert f'href="/events/{coming.slug}/registration"' in page and "Almada Workshop" in page
    assert "Someone Else" not in page


def test_every_error_of_a_registration_shows_at_once(client, factory):
    from eventsys.events.enums import QuestionKind
    from eventsys.events.models import Question

    event = factory.event(requires_approval=True)
    for n, label in enumerate(("Field of work", "Dietary needs")):
        db.session.add(
            Question(event=event, label=label, kind=QuestionKind.TEXT, required=True, position=n)
        )
    db.session.commit()
    url = f"/events/{event.slug}/register"
    base = {"category_id": event.categories[0].id, "visibility": "organisers"}
    page = client.post(url, data={**base, "display_name": "Ana", "email": "a@example.org"})
    text = page.get_data(as_text=True)
    assert "Please answer “Field of work”." in text and "Please answer “Dietary needs”." in text
    # A field the form itself refuses does not hide the questions' errors either.
    page = client.post(url, data={**base, "display_name": "Ana", "email": "not-an-address"})
    text = page.get_data(as_text=True)
    assert page.status_code in (200, 422)
    assert "Please answer “Field of work”." in text and "Please answer “Dietary needs”." in text
    assert 'id="email"' in text and "email" in text.split("Please answer")[0].lower()
