"""Organisers and administrators manage events through the web pages."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from eventsys.events.enums import RoleName
from eventsys.events.models import Event, EventRole, EventSeries
from eventsys.events.nav import add_manage_link
from eventsys.extensions import db
from eventsys.mail.models import MailStatus, OutboundMail
from eventsys.registration.enums import Status
from eventsys.registration.statistics import dashboard
from tests.events.conftest import event_form


def _event(slug: str) -> Event | None:
    return db.session.execute(select(Event).where(Event.slug == slug)).scalar_one_or_none()


def test_admin_creates_a_draft_event_in_local_time(client, login, admin, factory):
    colleague = factory.user("colleague@example.org")
    login(admin)
    response = client.post(
        "/admin/events/new",
        data=event_form(
            organiser_email="Colleague@Example.org",
            new_series="Climate Alliance International Conference",
            registration_closes_at="2025-09-30T23:59",
            capacity="400",
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    event = _event("cascais-2025")
    # Lisbon is on summer time (UTC+1) in October: 09:00 there is 08:00 UTC.
    assert event.starts_at == datetime(2025, 10, 8, 8, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2025, 10, 10, 17, 0, tzinfo=UTC)
    assert event.registration_closes_at == datetime(2025, 9, 30, 22, 59, tzinfo=UTC)
    assert event.languages == ["en", "pt"] and event.capacity == 400
    assert not event.is_published
    assert event.series.name == "Climate Alliance International Conference"
    holders = {(r.user_id, r.role) for r in event.roles}
    assert holders == {(admin.id, RoleName.ORGANISER), (colleague.id, RoleName.ORGANISER)}
    assert [c.code for c in event.categories][:2] == ["delegate", "observer"]
    listing = client.get("/admin/events/").get_data(as_text=True)
    assert "Climate Alliance International Conference 2025" in listing and "draft" in listing
    assert "0 / 400" in listing
    assert listing.count('href="/events/cascais-2025/manage/"') == 1
    assert "Climate Alliance International Conference 2025" not in client.get("/").get_data(
        as_text=True
    )


def test_sub_event_with_parent_and_existing_series(client, login, admin, event):
    series = EventSeries(slug="cop", name="COP side events")
    db.session.add(series)
    db.session.flush()
    login(admin)
    response = client.post(
        "/admin/events/new",
        data=event_form(
            slug="side-1",
            kind="side_event",
            timezone="Asia/Baku",
            parent_id=str(event.id),
            series_id=str(series.id),
        ),
    )
    assert response.status_code == 302
    side = _event("side-1")
    assert side.parent is event and side.series is series
    assert side in event.sub_events


def test_bad_event_input_is_explained_and_nothing_is_saved(client, login, admin, event):
    login(admin)
    cases = {
        "lower-case letters": {"slug": "Not A Slug"},
        "taken by another event": {"slug": event.slug},
        "must end after it starts": {"ends_at": "2025-10-07T09:00"},
        "Not a valid choice": {"timezone": "Mars/Olympus"},
        "must be one of the event": {"default_locale": "ru"},
        "not a language code": {"languages": "en, klingon-xx"},
        "happens twice": {"starts_at": "2025-10-26T01:30", "ends_at": "2025-10-27T18:00"},
        "does not exist": {"starts_at": "2025-03-30T01:30"},
        "Registration must close after it opens": {
            "registration_opens_at": "2025-09-01T10:00",
            "registration_closes_at": "2025-08-01T10:00",
        },
        "title": {"title": ""},
    }
    before = db.session.execute(select(Event.id)).all()
    for expected, overrides in cases.items():
        response = client.post("/admin/events/new", data=event_form(**overrides))
        assert response.status_code == 200, expected
        assert expected in response.get_data(as_text=True), expected
    assert db.session.execute(select(Event.id)).all() == before


def test_organiser_edits_details_and_sees_local_times(client, login, organiser, event):
    login(organiser)
    page = client.get(f"/events/{event.slug}/manage/details").get_data(as_text=True)
    assert 'name="slug"' not in page  # the address cannot change
    response = client.post(
        f"/events/{event.slug}/manage/details",
        data=event_form(
            slug=None,
            title="Lisbon Climate Forum 2025",
            starts_at="2025-11-03T10:00",
            ends_at="2025-11-04T16:00",
            requires_approval="y",
            participant_list_enabled="y",
            capacity="120",
        ),
    )
    assert response.status_code == 302
    assert event.title == "Lisbon Climate Forum 2025"
    assert event.starts_at == datetime(2025, 11, 3, 10, 0, tzinfo=UTC)  # winter: UTC+0
    assert event.requires_approval and event.participant_list_enabled and event.capacity == 120
    page = client.get(f"/events/{event.slug}/manage/details").get_data(as_text=True)
    assert 'value="2025-11-03T10:00"' in page


def test_publish_needs_a_public_category(client, login, organiser, factory):
    draft = factory.event("draft-1", organiser=organiser, is_published=False)
    for category in draft.categories:
        category.is_public = False
    db.session.flush()
    login(organiser)
    response = client.post(f"/events/{draft.slug}/manage/publish", data={"published": "1"})
    assert response.status_code == 302 and not draft.is_published
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "at least one public category" in page
    draft.categories[0].is_public = True
    published = client.post(
        f"/events/{draft.slug}/manage/publish", data={"published": "1"}, follow_redirects=True
    )
    assert draft.is_published
    assert '<div class="flash flash-info" role="status">The event is published.</div>' in (
        published.get_data(as_text=True)
    )
    again = client.post(
        f"/events/{draft.slug}/manage/publish", data={"published": "0"}, follow_redirects=True
    )
    assert not draft.is_published
    assert "flash-info" in again.get_data(as_text=True)
    assert "The event is now a draft." in again.get_data(as_text=True)


def test_dashboard_counts(client, login, organiser, event, factory):
    event.capacity = 3
    press = next(c for c in event.categories if c.code == "press")
    press.capacity = 1
    first = factory.registration(event)
    factory.registration(event, category="press")
    factory.registration(event, category="observer")
    waiting = factory.registration(event)
    cancelled = factory.registration(event)
    from eventsys.registration import services as registration_services

    registration_services.cancel(db.session, cancelled)
    db.session.add(
        OutboundMail(
            to_address="x@example.org",
            subject="s",
            text_body="t",
            event_id=event.id,
            status=MailStatus.FAILED,
        )
    )
    db.session.flush()
    assert first.status == Status.CONFIRMED and waiting.status == Status.WAITLISTED
    login(organiser)
    page = client.get(f"/events/{event.slug}/manage/").get_data(as_text=True)
    stats = page.split('class="stats"')[1].split("</div>\n\n")[0]
    assert "<strong>3</strong>" in stats  # confirmed
    assert '<strong>0</strong><span class="label">places left' in stats
    assert '<div class="stat warn"><strong>1</strong>' in stats  # the failed mail
    assert "Press" in page and "Delegate of a member organisation" in page
    # No category shows room the event as a whole no longer has.
    board = dashboard(db.session, event)
    assert board.places_left == 0 and {row.places_left for row in board.rows} == {0}
    assert board.totals == {
        "confirmed": 3,
        "pending": 0,
        "waitlisted": 1,
        "cancelled": 1,
        "rejected": 0,
    }


def test_dashboard_queries_do_not_grow_with_registrations(
    client, login, organiser, event, factory, count_queries
):
    login(organiser)
    factory.registration(event)
    with count_queries() as few:
        assert client.get(f"/events/{event.slug}/manage/").status_code == 200
    for _ in range(30):
        factory.registration(event, category="observer")
    with count_queries() as many:
        assert client.get(f"/events/{event.slug}/manage/").status_code == 200
    assert many.count == few.count


def test_categories_editor(client, login, organiser, event, factory):
    login(organiser)
    url = f"/events/{event.slug}/manage/categories/"
    response = client.post(
        url,
        data={
            "code": "youth",
            "label": "Youth delegate",
            "colour": "#123456",
            "capacity": "1",
            "visibility": "public",
            "position": "0",
        },
    )
    assert response.status_code == 302
    youth = next(c for c in event.categories if c.code == "youth")
    assert youth.capacity == 1 and youth.is_public and youth.colour == "#123456"
    for data, message in (
        ({"code": "youth", "label": "Again"}, "uses the code"),
        ({"code": "Bad Code!", "label": "X"}, "lower-case letters"),
        ({"code": "vip", "label": "VIP", "colour": "red"}, "#1f6f43"),
    ):
        data = {"colour": "#000000", "visibility": "public", **data}
        page = client.post(url, data=data).get_data(as_text=True)
        assert message in page
    # Raising a category's capacity moves the first person waiting up.
    factory.registration(event, category="youth")
    waiting = factory.registration(event, category="youth")
    assert waiting.status == Status.WAITLISTED
    response = client.post(
        f"{url}{youth.id}",
        data={
            "code": "youth",
            "label": "Youth delegate",
            "colour": "#123456",
            "capacity": "2",
            "visibility": "assigned",
        },
    )
    assert response.status_code == 302
    assert waiting.status == Status.CONFIRMED and not youth.is_public
    # In use: not deletable. Unused: deleted.
    refused = client.post(f"{url}{youth.id}/delete", follow_redirects=True)
    assert youth in event.categories
    assert '<div class="flash flash-error"' in refused.get_data(as_text=True)
    guest = next(c for c in event.categories if c.code == "guest")
    deleted = client.post(f"{url}{guest.id}/delete", follow_redirects=True)
    assert guest not in event.categories
    assert '<div class="flash flash-info" role="status">Category deleted.</div>' in (
        deleted.get_data(as_text=True)
    )
    assert client.get(f"{url}999999").status_code == 404


def test_questions_editor_deactivates_answered_questions(client, login, organiser, event, factory):
    login(organiser)
    url = f"/events/{event.slug}/manage/questions/"
    page = client.post(url, data={"label": "Workshop", "kind": "single_choice", "options": "A"})
    assert "at least two options" in page.get_data(as_text=True)
    client.post(
        url,
        data={
            "label": "Workshop",
            "kind": "single_choice",
            "options": "Energy\nMobility\n\nEnergy",
            "required": "y",
            "on_badge": "y",
        },
    )
    client.post(url, data={"label": "Diet", "kind": "text"})
    workshop, diet = event.questions
    assert workshop.options == ["Energy", "Mobility"] and workshop.required and workshop.on_badge
    factory.registration(event, answers={str(workshop.id): "Energy"})
    page = client.get(url).get_data(as_text=True)
    assert "Energy · Mobility" in page
    # Answered: the type cannot change, and removing keeps it (inactive) with its answers.
    page = client.post(
        f"{url}{workshop.id}", data={"label": "Workshop", "kind": "text", "is_active": "y"}
    ).get_data(as_text=True)
    assert "type cannot change" in page
    client.post(f"{url}{workshop.id}/remove")
    assert workshop in event.questions and not workshop.is_active
    client.post(f"{url}{diet.id}/remove")
    assert diet not in event.questions
    # The registration form no longer asks the inactive question.
    form = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "Workshop" not in form


def test_team_by_email(client, login, organiser, event, factory):
    staff = factory.user("door@example.org")
    login(organiser)
    url = f"/events/{event.slug}/manage/roles/"
    client.post(url, data={"email": "DOOR@example.org", "role": "checkin"})
    page = client.post(url, data={"email": "nobody@example.org", "role": "organiser"})
    assert "No account uses nobody@example.org" in page.get_data(as_text=True)
    grants = {(r.user_id, r.role) for r in event.roles}
    assert (staff.id, RoleName.CHECKIN) in grants
    own = next(r for r in event.roles if r.user_id == organiser.id)
    response = client.post(f"{url}{own.id}/remove")
    assert own in event.roles  # the last organiser stays
    assert "last organiser" in client.get(response.headers["Location"]).get_data(as_text=True)
    door = next(r for r in event.roles if r.user_id == staff.id)
    client.post(f"{url}{door.id}/remove")
    assert db.session.get(EventRole, door.id) is None
    # Check-in staff are not organisers.
    login(staff)
    assert client.get(f"/events/{event.slug}/manage/").status_code == 403


def test_public_page_links_organisers_to_management(client, login, organiser, event, factory):
    assert "Manage this event" not in client.get(f"/events/{event.slug}/").get_data(as_text=True)
    login(factory.user())
    assert "Manage this event" not in client.get(f"/events/{event.slug}/").get_data(as_text=True)
    login(organiser)
    page = client.get(f"/events/{event.slug}/").get_data(as_text=True)
    assert f'href="/events/{event.slug}/manage/"' in page


def test_other_areas_add_links_to_the_manage_nav(app, client, login, organiser, event):
    links = app.extensions["eventsys_manage_nav"]
    saved = list(links)
    add_manage_link(app, "registration.register", "Registration form", order=21)
    add_manage_link(app, "events.show", "Door only", order=95, roles=("checkin",))
    try:
        login(organiser)
        page = client.get(f"/events/{event.slug}/manage/").get_data(as_text=True)
        nav = page.split('class="manage-nav"')[1].split("</nav>")[0]
        labels = [part.split("</a>")[0].rsplit(">", 1)[1] for part in nav.split("<li>")[1:]]
        assert labels == [
            "Overview",
            "Details",
            "Registrations",
            "Registration form",
            "Categories",
            "Questions",
            "Proposals",
            "General Assembly",
            "Mailings",
            "Mails",
            "Team",
        ]
    finally:
        links[:] = saved


def test_account_page_lists_the_events_a_person_organises_drafts_included(
    client, login, organiser, factory
):
    draft = factory.event("quiet-draft", organiser=organiser, is_published=False, title="Draft Z")
    staffed = factory.event("door-duty", title="Door Duty Forum")
    from eventsys.events.services import grant_role

    grant_role(db.session, staffed, organiser, RoleName.CHECKIN)
    login(organiser)
    page = client.get("/account/").get_data(as_text=True)
    assert f'href="/events/{draft.slug}/manage/"' in page and "draft" in page
    assert 'href="/events/door-duty/"' in page and "check-in staff" in page
    login(factory.user())
    assert "Your events" not in client.get("/account/").get_data(as_text=True)


def test_what_the_event_does_not_have_is_a_404_page(client, login, organiser, event):
    """The services' NotFound becomes the 404 page (web/errors.py), with no code in the views."""
    login(organiser)
    manage = f"/events/{event.slug}/manage"
    missing = [
        ("get", f"{manage}/categories/999999"),
        ("post", f"{manage}/categories/999999/delete"),
        ("get", f"{manage}/questions/999999"),
        ("post", f"{manage}/questions/999999/remove"),
        ("post", f"{manage}/roles/999999/remove"),
    ]
    for method, url in missing:
        response = getattr(client, method)(url)
        assert response.status_code == 404, url
        assert "Page not found" in response.get_data(as_text=True), url
