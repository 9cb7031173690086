"""A visitor sees before the form whether there is a place (per category too), and after it
where they stand on the waiting list."""

from __future__ import annotations

from eventsys.extensions import db


def _post(client, event, category, email="late@example.org"):
    return client.post(
        f"/events/{event.slug}/register",
        data={
            "display_name": "Late Comer",
            "email": email,
            "category_id": category.id,
            "visibility": "organisers",
        },
        follow_redirects=True,
    )


def test_a_full_event_says_so_before_the_form_and_the_position_after(client, factory):
    event = factory.event(capacity=1)
    factory.registration(event)
    db.session.commit()
    page = client.get(f"/events/{event.slug}/").get_data(as_text=True)
    assert "This event is full" in page and "Join the waiting list" in page
    assert ">Register</a>" not in page
    form = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert form.find("This event is full") < form.find('<form method="post" novalidate')
    assert "Join the waiting list" in form
    delegate = next(c for c in event.categories if c.code == "delegate")
    after = _post(client, event, delegate).get_data(as_text=True)
    assert "number 1 on the waiting list" in after
    second = _post(client, event, delegate, "later@example.org").get_data(as_text=True)
    assert "number 2 on the waiting list" in second


def test_places_left_and_full_categories_are_shown(client, factory):
    event = factory.event(capacity=10)
    observer = next(c for c in event.categories if c.code == "observer")
    observer.capacity = 1
    factory.registration(event, category="observer")
    factory.registration(event)
    db.session.commit()
    page = client.get(f"/events/{event.slug}/").get_data(as_text=True)
    assert "8 places left" in page and ">Register</a>" in page
    form = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    notice = form[: form.find('<form method="post" novalidate')]
    assert "Observer" in notice and "waiting list" in notice
    assert "Log in</a> first" in form  # the translated hint keeps its link
