"""The chair's desk: small and fast with 2,000 voting rights, actions that keep one's place,
a confirmed close that warns when few voted, and the documents delegates vote on (issue 11,
items 5, 7 and 12)."""

from __future__ import annotations

import hashlib
import time
from datetime import date

import pytest
from flask import render_template
from sqlalchemy import insert, select

from eventsys.assembly import services
from eventsys.assembly.desk import rights_page
from eventsys.assembly.minutes import minutes_context
from eventsys.assembly.models import PollState, VotingRight
from eventsys.extensions import db
from eventsys.organisations.models import Membership, Organisation
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration
from tests.assembly.conftest import PDF, build_hall, open_motion_poll, option

MEMBERS = 2000


@pytest.fixture
def big_hall(factory):
    """2,000 members, each with a confirmed delegate: written in bulk, as the benchmark does."""
    hall = build_hall(factory, members=2)
    event, network = hall.event, hall.network
    category_id = event.categories[0].id
    towns = list(
        db.session.execute(
            insert(Organisation).returning(Organisation.id),
            [{"name": f"Big Town {i:04d}", "kind": "municipality"} for i in range(MEMBERS)],
        ).scalars()
    )
    db.session.execute(
        insert(Membership),
        [{"network_id": network.id, "member_id": t, "started_on": date(2020, 1, 1)} for t in towns],
    )
    registrations = list(
        db.session.execute(
            insert(Registration).returning(Registration.id),
            [
                {
                    "event_id": event.id,
                    "category_id": category_id,
                    "status": Status.CONFIRMED,
                    "email": f"big{i:04d}@example.org",
                    "display_name": f"Big Delegate {i:04d}",
                    "organisation_id": town,
                    "answers": {},
                }
                for i, town in enumerate(towns)
            ],
        ).scalars()
    )
    services.sync_rights(db.session, hall.assembly)
    rights = dict(
        db.session.execute(
            select(VotingRight.member_id, VotingRight.id).where(
                VotingRight.assembly_id == hall.assembly.id
            )
        ).all()
    )
    for town, registration in zip(towns, registrations, strict=True):
        db.session.get(VotingRight, rights[town]).delegate_registration_id = registration
    db.session.commit()
    return hall


def test_the_desk_with_2000_rights_is_small_and_takes_few_queries(
    client, login, big_hall, count_queries
):
    login(big_hall.organiser)
    url = f"/events/{big_hall.event.slug}/assembly/manage"
    client.get(url)  # warm: templates compiled
    with count_queries() as counter:
        started = time.perf_counter()
        response = client.get(url)
        elapsed_ms = (time.perf_counter() - started) * 1000
    body = response.get_data()
    print(
        f"desk, {MEMBERS + 2} rights: {len(body) / 1024:.0f} KB, {counter.count} queries, "
        f"{elapsed_ms:.0f} ms"
    )
    assert response.status_code == 200
    assert len(body) < 200_000
    assert counter.count <= 25
    assert body.count(b"<option") < 40  # a few form menus, none listing every registration
    assert body.count(b'class="right-form"') == 50  # one page of rows
    assert "2002" in body.decode()  # the totals still count every right
    # Paged and searchable: the filter finds one member among 2,000.
    found = client.get(url + "?q=Big+Town+1234").get_data(as_text=True)
    assert "Big Town 1234" in found and "Big Town 1235" not in found
    second = client.get(url + "?page=2").get_data(as_text=True)
    assert "Big Town 0099" not in body.decode() or "Big Town 0099" not in second


def test_delegate_search_answers_a_few_matches_as_json(client, login, big_hall):
    login(big_hall.organiser)
    answer = client.get(f"/events/{big_hall.event.slug}/assembly/manage/delegates?q=big12")
    assert answer.status_code == 200
    people = answer.json["delegates"]
    assert 0 < len(people) <= 20
    assert all("big12" in p["email"] for p in people)
    members = client.get(f"/events/{big_hall.event.slug}/assembly/manage/members?q=Town+0007")
    assert [m["name"] for m in members.json["members"]] == ["Big Town 0007"]


def test_saving_a_row_sets_the_delegate_by_email_and_returns_to_the_row(
    client, login, hall, factory
):
    login(hall.organiser)
    newcomer = factory.registration(hall.event, email="newcomer@example.org", name="New Comer")
    db.session.commit()
    right = hall.rights[0]
    url = f"/events/{hall.event.slug}/assembly/manage/rights/{right.id}"
    response = client.post(
        url,
        data={
            "delegate": "NEWCOMER@example.org",
            "holder": "",
            "weight": "1",
            "page": "2",
            "q": "Town",
        },
    )
    assert response.status_code == 302
    assert "page=2" in response.location and "q=Town" in response.location
    assert response.location.endswith(f"#right-{right.id}")
    db.session.refresh(right)
    assert right.delegate_registration_id == newcomer.id
    proxied = client.post(
        url, data={"delegate": "", "holder": "Town 02", "weight": "1"}, follow_redirects=True
    )
    assert proxied.status_code == 200
    db.session.refresh(right)
    assert right.proxy_holder_id == hall.rights[1].id
    unknown = client.post(
        url,
        data={"delegate": "nobody@example.org", "holder": "", "weight": "1"},
        follow_redirects=True,
    )
    assert unknown.status_code == 200
    assert "No confirmed registration" in unknown.get_data(as_text=True)


def test_close_and_count_asks_first_and_warns_when_few_voted(client, login, hall):
    poll = open_motion_poll(hall)
    services.cast_vote(db.session, poll.id, hall.delegates[0].id, [option(poll, "yes")])
    db.session.commit()
    login(hall.organiser)
    url = f"/events/{hall.event.slug}/assembly/manage/polls/{poll.id}/close"
    asked = client.post(url)
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "1 of 4" in text and "Only" in text  # cast against present, with a warning
    assert poll.state == PollState.OPEN
    done = client.post(url, data={"confirm": "1"})
    assert done.status_code == 302
    db.session.refresh(poll)
    assert poll.state == PollState.CLOSED


def test_the_vote_page_links_each_document_with_its_own_hash(app, client, login, hall, factory):
    application = services.submit_application(
        db.session,
        hall.assembly,
        organisation_name="CEESEN",
        organisation_kind="network",
        country="UA",
        city="Kyiv",
        contact_name="Olena Koval",
        contact_email="olena@example.org",
        statement="",
        uploads=[services.Upload("resolution", "resolution.pdf", PDF)],
        upload_dir=app.config["UPLOAD_DIR"],
        max_bytes=app.config["UPLOAD_MAX_BYTES"],
    )
    services.review_application(db.session, application, complete=True, comment="")
    motion = services.put_on_agenda(db.session, application)
    poll = services.open_poll(
        db.session, services.create_poll(db.session, motion), upload_dir=app.config["UPLOAD_DIR"]
    )
    outsider = factory.user(name="Not A Delegate")
    db.session.commit()
    login(hall.delegates[0])
    page = client.get(f"/events/{hall.event.slug}/assembly/vote").get_data(as_text=True)
    file_hash = hashlib.sha256(PDF).hexdigest()
    assert file_hash in page and file_hash != poll.content_hash
    link = f"/events/{hall.event.slug}/assembly/polls/{poll.id}/documents/0"
    assert f'href="{link}"' in page
    download = client.get(link)
    assert download.status_code == 200 and download.data == PDF
    login(outsider)
    assert client.get(link).status_code == 403
    assert client.get(
        f"/events/{hall.event.slug}/assembly/polls/{poll.id}/documents/9"
    ).status_code in (403, 404)
    login(hall.organiser)
    assert client.get(link).status_code == 200


def test_the_minutes_of_2000_rights_take_few_queries(app, big_hall, count_queries):
    """The minutes named each delegate with a query of its own and loaded each member apart:
    153 queries for the demo's 64 rights (bench/pages.py), thousands at a large network."""
    with app.test_request_context(), count_queries() as counter:
        context = minutes_context(db.session, big_hall.assembly)
        html = render_template("assembly/minutes.html", **context)
    assert len(context["overview"]) == MEMBERS + 2
    assert "Big Town 1999" in html
    assert counter.count <= 40, counter.count


def test_the_desk_shows_who_is_present_remotely(client, login, factory):
    """The chair tells the hall from the delegates online at a glance (issue 15's leftover)."""
    hall = build_hall(factory, members=3, present=False)
    in_hall, online, away = hall.registrations
    services.mark_attendance(db.session, hall.assembly, in_hall, True)
    services.join_remotely(db.session, hall.assembly, hall.delegates[1].id)
    db.session.commit()
    page_rows = rights_page(db.session, hall.assembly).rows
    rows = {row.delegate_registration_id: row for row in page_rows}
    assert (rows[in_hall.id].present, rows[in_hall.id].remote) == (True, False)
    assert (rows[online.id].present, rows[online.id].remote) == (True, True)
    assert (rows[away.id].present, rows[away.id].remote) == (False, False)
    login(hall.organiser)
    page = client.get(f"/events/{hall.event.slug}/assembly/manage").get_data(as_text=True)
    shown = [chunk.split("</tr>")[0] for chunk in page.split('<tr id="right-')[1:]]
    remote = [row for row in shown if '<span class="meta">remote</span>' in row]
    assert len(shown) == 3 and len(remote) == 1 and online.email in remote[0]
