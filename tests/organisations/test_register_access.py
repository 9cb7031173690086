"""Who reaches a network's register, on the web and through the API."""

from __future__ import annotations

import io
from datetime import date

import pytest

from eventsys.accounts.services import create_api_token
from eventsys.extensions import db
from eventsys.organisations import contacts, register
from eventsys.organisations.models import OrganisationKind


@pytest.fixture
def two_networks(factory):
    alliance = factory.organisation("Climate Alliance", kind="network", country="DE")
    eecca = factory.organisation("CAN EECCA", kind="network", country="UA")
    keeper, other_keeper, stranger = factory.user(), factory.user(), factory.user()
    contacts.add_contact(db.session, alliance.id, keeper.id, manager=True)
    contacts.add_contact(db.session, eecca.id, other_keeper.id, manager=True)
    town = register.add_member(
        db.session,
        alliance,
        register.MemberData(name="Cascais", kind=OrganisationKind.MUNICIPALITY, country="PT"),
        today=date(2026, 1, 1),
    )
    contacts.add_contact(db.session, town.member_id, stranger.id)  # a contact, not a keeper
    db.session.commit()
    return alliance, eecca, keeper, other_keeper, stranger, town


def _api(client, user):
    token = create_api_token(db.session, user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_keeper_reads_imports_and_exports_their_register(client, login, two_networks):
    alliance, _eecca, keeper, *_rest = two_networks
    login(keeper)
    page = client.get(f"/organisations/{alliance.id}/members")
    assert page.status_code == 200 and "Cascais" in page.get_data(as_text=True)
    preview = client.post(
        f"/organisations/{alliance.id}/members/import",
        data={"import-file": (io.BytesIO(b"name,country\nOeiras,PT\nBad,QQ\n"), "m.csv")},
        content_type="multipart/form-data",
    )
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "QQ" in text and "Apply these changes" not in text
    preview = client.post(
        f"/organisations/{alliance.id}/members/import",
        data={"import-file": (io.BytesIO(b"name,country\nOeiras,PT\n"), "m.csv")},
        content_type="multipart/form-data",
    )
    stored = preview.get_data(as_text=True).split('name="stored" value="')[1].split('"')[0]
    applied = client.post(
        f"/organisations/{alliance.id}/members/import/apply", data={"stored": stored}
    )
    assert applied.status_code == 302
    assert {m.member.name for m in register.members(db.session, alliance)} == {"Cascais", "Oeiras"}
    csv = client.get(f"/organisations/{alliance.id}/members/export.csv")
    assert csv.status_code == 200 and b"Oeiras" in csv.data
    xlsx = client.get(f"/organisations/{alliance.id}/members/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_an_expired_or_forged_import_is_refused(client, login, two_networks):
    alliance, _eecca, keeper, *_rest = two_networks
    login(keeper)
    for stored in ("../../etc/passwd", "x" * 30 + ".csv"):
        response = client.post(
            f"/organisations/{alliance.id}/members/import/apply", data={"stored": stored}
        )
        assert response.status_code == 404


@pytest.mark.parametrize("who", ["other_keeper", "stranger"])
def test_others_cannot_open_or_change_a_register(client, login, two_networks, who):
    alliance, _eecca, _keeper, other_keeper, stranger, town = two_networks
    login({"other_keeper": other_keeper, "stranger": stranger}[who])
    assert client.get(f"/organisations/{alliance.id}/members").status_code == 403
    assert client.get(f"/organisations/{alliance.id}/members/export.csv").status_code == 403
    assert client.post(f"/organisations/{alliance.id}/members/{town.id}/end").status_code == 403
    assert town.status.value == "active"


def test_api_lists_what_a_person_may_see(client, two_networks, factory):
    alliance, eecca, keeper, other_keeper, stranger, town = two_networks
    seen = client.get("/api/v1/organisations/", headers=_api(client, keeper)).get_json()
    assert {o["name"] for o in seen["items"]} == {"Climate Alliance", "Cascais"}
    assert next(o for o in seen["items"] if o["id"] == alliance.id)["keeps_register"] is True
    seen = client.get("/api/v1/organisations/", headers=_api(client, stranger)).get_json()
    assert [o["id"] for o in seen["items"]] == [town.member_id]
    admin = factory.user(admin=True)
    seen = client.get("/api/v1/organisations/", headers=_api(client, admin)).get_json()
    assert seen["total"] >= 3


def test_api_register_for_its_keepers_only(client, two_networks):
    alliance, eecca, keeper, other_keeper, stranger, _town = two_networks
    answer = client.get(
        f"/api/v1/organisations/{alliance.id}/members", headers=_api(client, keeper)
    )
    body = answer.get_json()
    assert answer.status_code == 200
    assert body["items"][0]["name"] == "Cascais" and body["items"][0]["status"] == "active"
    refused = client.get(
        f"/api/v1/organisations/{alliance.id}/members", headers=_api(client, other_keeper)
    )
    assert refused.status_code == 404 and refused.get_json()["error"]["code"] == "not_found"
    town_contact = client.get(
        f"/api/v1/organisations/{alliance.id}/members", headers=_api(client, stranger)
    )
    assert town_contact.status_code == 404
    assert client.get(f"/api/v1/organisations/{eecca.id}/members").status_code == 401


def test_both_operations_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "get" in paths["/api/v1/organisations/"]
    assert "get" in paths["/api/v1/organisations/{organisation_id}/members"]


def test_a_contact_sees_and_loses_their_links_with_their_account(two_networks):
    from eventsys.organisations import privacy

    _alliance, _eecca, keeper, *_rest = two_networks
    exported = privacy.export_contacts(db.session, keeper)
    assert exported["contact_of"][0]["organisation"] == "Climate Alliance"
    assert exported["contact_of"][0]["keeps_register"] is True
    assert privacy.erase_contacts(db.session, keeper) == 1
    assert privacy.export_contacts(db.session, keeper) == {"contact_of": []}


def test_the_account_page_leads_keepers_to_their_registers(client, login, two_networks):
    alliance, eecca, keeper, _other_keeper, stranger, _town = two_networks
    login(keeper)
    page = client.get("/account/").get_data(as_text=True)
    assert f"/organisations/{alliance.id}/members" in page
    assert f"/organisations/{eecca.id}/members" not in page
    login(stranger)  # a member's contact, not a keeper
    assert "/organisations/" not in client.get("/account/").get_data(as_text=True)
