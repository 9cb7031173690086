from __future__ import annotations

from datetime import timedelta

import pytest

from eventsys.accounts.services import create_api_token
from eventsys.db import utcnow
from eventsys.extensions import db


@pytest.fixture
def api(client, factory):
    def call(method: str, url: str, user=None, **kw):
        user = user or factory.user(name="API User")
        token = create_api_token(db.session, user)
        headers = {"Authorization": f"Bearer {token}", **kw.pop("headers", {})}
        return getattr(client, method)("/api/v1/declarations" + url, headers=headers, **kw)

    return call


def test_every_endpoint_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/declarations/",
        "/api/v1/declarations/{declaration_id}",
        "/api/v1/declarations/{declaration_id}/counts",
        "/api/v1/declarations/{declaration_id}/signatures",
        "/api/v1/declarations/{declaration_id}/signatures/mine",
        "/api/v1/declarations/{declaration_id}/signatures/{signature_id}/withdraw",
    ):
        assert path in paths


def test_list_and_read_published_declarations_only(api, factory, event, declaration):
    factory.declaration(event, slug="draft", is_published=False)
    listing = api("get", "/").get_json()
    assert [d["slug"] for d in listing["items"]] == ["baku-declaration"]
    body = api("get", f"/{declaration.id}").get_json()
    assert body["state"] == "open" and body["counts"]["total"] == 0
    assert api("get", "/999999").status_code == 404
    assert api("get", "/").status_code == 200


def test_sign_count_and_withdraw_through_the_api(api, factory, declaration):
    user = factory.user(name="Nino Beridze")
    signed = api(
        "post", f"/{declaration.id}/signatures", user, json={"country": "GE", "is_public": True}
    )
    assert signed.status_code == 201
    assert signed.get_json()["status"] == "confirmed"
    assert signed.get_json()["display_name"] == "Nino Beridze"
    counts = api("get", f"/{declaration.id}/counts").get_json()
    assert counts["total"] == 1 and counts["by_country"] == [{"country": "GE", "signatures": 1}]
    again = api("post", f"/{declaration.id}/signatures", user, json={"country": "GE"})
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "already_signed"
    (mine,) = api("get", f"/{declaration.id}/signatures/mine", user).get_json()
    withdrawn = api("post", f"/{declaration.id}/signatures/{mine['id']}/withdraw", user)
    assert withdrawn.get_json()["status"] == "withdrawn"
    resign = api("post", f"/{declaration.id}/signatures", user, json={"country": "GE"})
    assert resign.status_code == 409 and resign.get_json()["error"]["code"] == "withdrawn"
    other = api("post", f"/{declaration.id}/signatures/{mine['id']}/withdraw")
    assert other.status_code == 404


def test_bad_api_input_is_a_clear_error(api, factory, event, declaration):
    missing = api("post", f"/{declaration.id}/signatures", json={})
    assert missing.status_code == 422 and "country" in missing.get_json()["error"]["fields"]
    long_name = api(
        "post", f"/{declaration.id}/signatures", json={"country": "AZ", "display_name": "x" * 500}
    )
    assert long_name.status_code == 422
    assert long_name.get_json()["error"]["fields"]["display_name"]
    now = utcnow()
    closed = factory.declaration(
        event, slug="closed", opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1)
    )
    late = api("post", f"/{closed.id}/signatures", json={"country": "AZ"})
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "closed"


def test_without_a_token_the_api_answers_401(client, declaration):
    assert client.get(f"/api/v1/declarations/{declaration.id}").status_code == 401


def test_unpublished_event_hides_its_declaration(api, factory):
    hidden = factory.declaration(factory.event(is_published=False))
    assert api("get", f"/{hidden.id}").status_code == 404
    assert api("post", f"/{hidden.id}/signatures", json={"country": "AZ"}).status_code == 404


def test_api_reads_the_requested_language(api, factory, event):
    declaration = factory.declaration(
        event, slug="ru", translations={"ru": ("Декларация", "Текст")}
    )
    body = api("get", f"/{declaration.id}", headers={"Accept-Language": "ru"}).get_json()
    assert body["title"] == "Декларация"
