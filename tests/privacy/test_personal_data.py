from __future__ import annotations

import json

from sqlalchemy import func, select

from eventsys.accounts.services import authenticate, user_for_api_token
from eventsys.declarations.models import Signature, SignatureStatus
from eventsys.extensions import db
from eventsys.privacy import services
from eventsys.privacy.registry import (
    erasers,
    exporters,
    register_eraser,
    register_exporter,
    unregister,
)
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration
from tests.privacy.conftest import personal_values_left


def test_download_holds_every_area_and_nobody_else(client, login, factory, person):
    factory.registration(factory.event(), email="someone.else@example.org", name="Other Person")
    db.session.commit()
    login(person.user)
    response = client.get("/account/data/export.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.data)
    assert data["account"]["display_name"] == person.user.display_name
    assert len(data["registrations"]) == 2
    assert any(r["answers"] for r in data["registrations"])
    assert data["signatures"][0]["status"] == "confirmed"
    assert data["mail"], "the registration mails sent to the person"
    assert "Other Person" not in response.get_data(as_text=True)


def test_own_data_pages_need_a_login(client):
    for url in ("/account/data", "/account/data/export.json"):
        assert client.get(url).status_code == 302
    assert client.post("/account/delete").status_code == 302


def test_deleting_the_account_leaves_no_personal_value_anywhere(client, login, person):
    assert personal_values_left(person.values)  # the scan finds them while they exist
    signatures_before = db.session.execute(select(func.count(Signature.id))).scalar_one()
    login(person.user)
    response = client.post(
        "/account/delete", data={"password": "correct horse battery", "understood": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert personal_values_left(person.values) == []
    # The record stays, naming nobody: registrations and the signature are still counted.
    registrations = db.session.execute(select(Registration)).scalars().all()
    assert len(registrations) == 2 and all(r.user_id is None for r in registrations)
    signature = db.session.execute(select(Signature)).scalar_one()
    assert signature.status == SignatureStatus.CONFIRMED and not signature.is_public
    assert db.session.execute(select(func.count(Signature.id))).scalar_one() == signatures_before
    assert authenticate(db.session, "gulnara.unique7@example.org", "correct horse battery") is None
    assert client.get("/account/").status_code == 302  # logged out


def test_a_place_at_a_coming_event_is_given_up_and_the_waiting_list_moves(factory, person):
    coming = next(
        r.event for r in db.session.execute(select(Registration)).scalars() if r.event.capacity
    )
    waiting = factory.registration(coming, email="next@example.org", name="Next In Line")
    assert waiting.status == Status.WAITLISTED
    services.erase_person(db.session, person.user)
    assert waiting.status == Status.CONFIRMED


def test_wrong_password_erases_nothing(client, login, person):
    login(person.user)
    response = client.post("/account/delete", data={"password": "wrong", "understood": "y"})
    assert response.status_code == 422 and "password is wrong" in response.get_data(as_text=True)
    unticked = client.post("/account/delete", data={"password": "correct horse battery"})
    assert unticked.status_code == 422
    db.session.expire_all()
    assert person.user.deleted_at is None
    assert len(personal_values_left(person.values)) > 3


def test_api_tokens_stop_working(factory):
    from eventsys.accounts.services import create_api_token

    user = factory.user()
    token = create_api_token(db.session, user)
    services.erase_person(db.session, user)
    assert user_for_api_token(db.session, token) is None


def test_areas_plug_in_their_own_export_and_erasure(app, factory):
    calls = []
    register_exporter(app, "test_area", lambda session, user: {"held": user.display_name})
    register_eraser(app, "test_area", lambda session, user: calls.append(user.email) or 3, order=10)
    try:
        user = factory.user(name="Plugged In")
        assert services.export_person(db.session, user)["test_area"] == {"held": "Plugged In"}
        email = user.email
        assert services.erase_person(db.session, user)["test_area"] == 3
        assert calls == [email]  # ran before the account lost its address
    finally:
        unregister(app, "test_area")
    assert "test_area" not in exporters() and "test_area" not in dict(erasers())


def test_an_unconfirmed_account_reaches_no_one_elses_data_by_address(factory):
    from eventsys.declarations import services as declarations

    event = factory.event()
    factory.registration(event, email="owner@example.org", name="Real Owner")
    declaration = factory.declaration(event)
    declarations.sign(
        db.session,
        declaration,
        declarations.SignData(
            kind="person", display_name="Real Owner", country="PT", email="owner@example.org"
        ),
    )
    impostor = factory.user("owner@example.org", name="Impostor")
    impostor.email_confirmed_at = None
    exported = services.export_person(db.session, impostor)
    assert exported["registrations"] == [] and exported["signatures"] == []
    assert exported["mail"] == []
    assert declarations.signatures_of_user(db.session, declaration, impostor) == []
    services.erase_person(db.session, impostor)
    assert personal_values_left(["Real Owner"])  # untouched


def test_the_account_page_leads_to_the_own_data_page(client, login, factory):
    login(factory.user())
    assert "/account/data" in client.get("/account/").get_data(as_text=True)
    page = client.get("/account/data").get_data(as_text=True)
    assert "Download my data" in page and "Delete my account" in page
