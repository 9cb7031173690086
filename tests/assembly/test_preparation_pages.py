"""The preparation pages: the chair's buttons, and a contact's personal link on the web."""

from __future__ import annotations

from datetime import timedelta

from eventsys.assembly import services
from eventsys.assembly.preparation_models import AssemblyPreparation
from eventsys.assembly.services import appointments
from eventsys.db import utcnow
from eventsys.extensions import db
from eventsys.organisations import contacts


def _link_token(hall, factory) -> str:
    contact = factory.user(name="Town contact")
    contacts.add_contact(db.session, hall.members[0].id, contact.id)
    issued = appointments.issue_links(db.session, hall.assembly, only_not_acted=False)
    db.session.commit()
    return next(token for link, token in issued if link.user_id == contact.id)


def test_chair_takes_rights_sets_deadline_and_sends(client, login, hall):
    login(hall.organiser)
    base = f"/events/{hall.event.slug}/assembly/manage/preparation"
    assert client.get(f"/events/{hall.event.slug}/assembly/manage").status_code == 200
    page = client.get(base)
    assert page.status_code == 200 and "Take voting rights from the register" in page.text
    assert f"/organisations/{hall.network.id}/members" not in page.text  # not a keeper
    assert client.post(f"{base}/register", data={"weighted": "y"}).status_code == 302
    assert db.session.get(AssemblyPreparation, hall.assembly.id).weighted is True
    deadline = (utcnow() + timedelta(days=2)).astimezone().strftime("%Y-%m-%dT%H:%M")
    assert client.post(f"{base}/deadline", data={"deadline": deadline}).status_code == 302
    contacts.add_contact(db.session, hall.members[1].id, hall.delegates[1].id)
    db.session.commit()
    sent = client.post(f"{base}/invite", follow_redirects=True)
    assert "Mails queued: 1" in sent.text
    bad = client.post(f"{base}/deadline", data={"deadline": "soon"}, follow_redirects=True)
    assert "Please give the date and time" in bad.text


def test_others_cannot_use_the_preparation_page(client, login, hall, factory):
    login(factory.user())
    base = f"/events/{hall.event.slug}/assembly/manage/preparation"
    assert client.get(base).status_code == 403
    assert client.post(f"{base}/invite").status_code == 403


def test_a_contact_appoints_and_names_a_proxy_until_the_deadline(client, hall, factory):
    appointments.set_deadline(db.session, hall.assembly, utcnow() + timedelta(hours=1))
    services.appoint_delegate(db.session, hall.assembly, hall.rights[0], None)
    token = _link_token(hall, factory)
    url = f"/events/{hall.event.slug}/assembly/appoint/{token}"
    page = client.get(url)
    assert page.status_code == 200 and "Town 01" in page.text
    done = client.post(
        url,
        data={"action": "delegate", "delegate-email": hall.registrations[0].email},
        follow_redirects=True,
    )
    assert "is the delegate" in done.text
    proxy = client.post(
        url, data={"action": "proxy", "holder": str(hall.rights[1].id)}, follow_redirects=True
    )
    assert "carries your vote" in proxy.text
    assert hall.rights[0].proxy_holder_id == hall.rights[1].id
    assert client.post(url, data={"action": "proxy", "holder": "x"}).status_code == 302
    # After the deadline: refused with a clear message.
    db.session.get(AssemblyPreparation, hall.assembly.id).deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    late = client.post(url, data={"action": "withdraw"}, follow_redirects=True)
    assert "deadline passed" in late.text
    db.session.refresh(hall.rights[0])
    assert hall.rights[0].proxy_holder_id == hall.rights[1].id


def test_a_stranger_cannot_use_a_forged_or_other_link(client, hall, factory):
    appointments.set_deadline(db.session, hall.assembly, utcnow() + timedelta(hours=1))
    token = _link_token(hall, factory)
    assert client.get(f"/events/{hall.event.slug}/assembly/appoint/{token}x").status_code == 404
    other = factory.event(title="Another GA")
    assert client.get(f"/events/{other.slug}/assembly/appoint/{token}").status_code == 404


def test_a_contact_withdraws_the_proxy_and_a_bad_choice_is_explained(client, hall, factory):
    appointments.set_deadline(db.session, hall.assembly, utcnow() + timedelta(hours=1))
    token = _link_token(hall, factory)
    url = f"/events/{hall.event.slug}/assembly/appoint/{token}"
    client.post(url, data={"action": "proxy", "holder": str(hall.rights[1].id)})
    db.session.refresh(hall.rights[0])
    assert hall.rights[0].proxy_holder_id == hall.rights[1].id
    no_holder = client.post(url, data={"action": "proxy", "holder": "x"}, follow_redirects=True)
    assert "Please choose the member whose delegate carries the vote." in no_holder.text
    no_email = client.post(url, data={"action": "delegate"}, follow_redirects=True)
    assert "Please give the delegate&#39;s e-mail address." in no_email.text
    assert client.post(url, data={"action": "dance"}).status_code == 400
    withdrawn = client.post(url, data={"action": "withdraw", "holder": "1"}, follow_redirects=True)
    assert "The proxy is withdrawn." in withdrawn.text
    db.session.refresh(hall.rights[0])
    assert hall.rights[0].proxy_holder_id is None
