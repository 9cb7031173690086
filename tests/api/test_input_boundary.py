"""Hostile or broken input to the API answers a 4xx in the API's error format, never a 500: one
boundary (eventsys.validation, eventsys.api.schema) for every field and route."""

from __future__ import annotations

import marshmallow
import pytest
from marshmallow import fields

from eventsys.accounts.services import create_api_token
from eventsys.api import area_blueprints
from eventsys.api.schema import Schema as ApiSchema
from eventsys.extensions import db

BEYOND = 2**31


@pytest.fixture
def organiser_token(factory):
    organiser = factory.user()
    event = factory.event("boundary-2025", organiser=organiser)
    token = create_api_token(db.session, organiser, "test")
    db.session.commit()
    return event, {"Authorization": f"Bearer {token}"}


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


# Integers beyond the database's range ----------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/registrations/{BEYOND}",
        f"/api/v1/registrations/{2**63}",
        f"/api/v1/events/boundary-2025/categories/{BEYOND}",
    ],
)
def test_path_ids_beyond_32_bits_are_not_found(client, organiser_token, path):
    _event, headers = organiser_token
    method = client.patch if "categories" in path else client.get
    kwargs = {"json": {"label": "x"}} if "categories" in path else {}
    assert _error(method(path, headers=headers, **kwargs), 404)["code"] == "not_found"


def test_page_beyond_range_is_refused(client, organiser_token):
    _event, headers = organiser_token
    response = client.get("/api/v1/events/?page=9223372036854775808", headers=headers)
    assert "page" in _error(response, 422)["fields"]


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/events/boundary-2025", {"capacity": BEYOND}, "capacity"),
        ("/api/v1/events/boundary-2025", {"host_organisation_id": BEYOND}, "host_organisation_id"),
        (
            "/api/v1/events/boundary-2025/categories",
            {"code": "x", "label": "X", "position": BEYOND},
            "position",
        ),  # noqa: E501
        (
            "/api/v1/events/boundary-2025/categories",
            {"code": "y", "label": "Y", "capacity": -BEYOND - 1},
            "capacity",
        ),  # noqa: E501
    ],
)
def test_integers_beyond_32_bits_are_refused(client, organiser_token, url, body, field):
    _event, headers = organiser_token
    method = client.patch if url.endswith("2025") else client.post
    assert field in _error(method(url, json=body, headers=headers), 422)["fields"]


@pytest.mark.parametrize("value", [1.5, True, 0.1])
def test_fractions_and_booleans_are_not_integers(client, organiser_token, value):
    event, headers = organiser_token
    response = client.patch(
        f"/api/v1/events/{event.slug}", json={"capacity": value}, headers=headers
    )
    assert _error(response, 422)["fields"]["capacity"] == ["Not a valid integer."]
    db.session.refresh(event)
    assert event.capacity is None  # 1.5 was stored as 1 before


# Text with NUL, control characters or lone surrogates -------------------------------------------


@pytest.mark.parametrize("title", ["Nul\x00title", "Lone \ud800 surrogate", "Bell\x07", "\udfff"])
def test_text_with_nul_or_lone_surrogates_is_refused(client, organiser_token, title):
    event, headers = organiser_token
    response = client.patch(f"/api/v1/events/{event.slug}", json={"title": title}, headers=headers)
    assert "title" in _error(response, 422)["fields"]


def test_bad_text_inside_lists_is_refused_too(client, organiser_token):
    event, headers = organiser_token
    response = client.patch(
        f"/api/v1/events/{event.slug}", json={"languages": ["en", "p\x00t"]}, headers=headers
    )
    assert "languages" in _error(response, 422)["fields"]


def test_ordinary_text_still_passes(client, organiser_token):
    event, headers = organiser_token
    title = "Зелёная конференция\tque\nçà 🌍"
    response = client.patch(f"/api/v1/events/{event.slug}", json={"title": title}, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["title"] == title


def test_nul_in_a_path_slug_is_not_found(client, organiser_token):
    _event, headers = organiser_token
    response = client.get("/api/v1/events/boundary%002025", headers=headers)
    # No rule takes the path (the router may say so as 405: other methods share the pattern).
    assert _error(response, response.status_code)["code"] in ("not_found", "method_not_allowed")
    assert response.status_code in (404, 405)


# Times and nesting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00", "9999-12-31T23:59:59", "0001-01-01T00:00:00Z"]
)
def test_times_beyond_a_sane_range_are_refused(client, organiser_token, value):
    event, headers = organiser_token
    response = client.patch(
        f"/api/v1/events/{event.slug}", json={"starts_at": value}, headers=headers
    )
    assert "starts_at" in _error(response, 422)["fields"]


def test_json_nested_100000_deep_is_a_bad_request(client, organiser_token):
    event, headers = organiser_token
    body = "[" * 100_000 + "]" * 100_000
    response = client.patch(
        f"/api/v1/events/{event.slug}",
        data=body,
        headers={**headers, "Content-Type": "application/json"},
    )
    assert _error(response, 400)["code"] == "bad_request"


def test_deep_brackets_inside_a_string_are_only_text(client, organiser_token):
    event, headers = organiser_token
    response = client.patch(
        f"/api/v1/events/{event.slug}", json={"description": "[" * 1000}, headers=headers
    )
    assert response.status_code == 200


# One layer for all: every API schema derives from the bounded base --------------------------------


def _schemas_in(schema_class: type, seen: set) -> None:
    if not (isinstance(schema_class, type) and issubclass(schema_class, marshmallow.Schema)):
        return
    if schema_class in seen:
        return
    seen.add(schema_class)
    for field in schema_class().fields.values():
        for inner in (field, getattr(field, "inner", None)):
            nested = getattr(inner, "nested", None)
            if isinstance(nested, type) and issubclass(nested, marshmallow.Schema):
                _schemas_in(nested, seen)


def test_every_api_schema_uses_the_bounded_base(app):
    seen: set = set()
    for blp in area_blueprints():
        for endpoint in blp._docs.values():
            for method, doc in endpoint.items():
                if method == "parameters":
                    continue
                for parameter in doc.get("arguments", {}).get("parameters", []):
                    schema = parameter["schema"]
                    _schemas_in(schema if isinstance(schema, type) else type(schema), seen)
                for responses in doc.get("response", {}).get("responses", {}).values():
                    for response in responses:
                        schema = response.get("schema") if isinstance(response, dict) else None
                        if schema is not None:
                            _schemas_in(schema if isinstance(schema, type) else type(schema), seen)
    assert len(seen) > 30
    outside = sorted(s.__name__ for s in seen if not issubclass(s, ApiSchema))
    assert outside == []
    # And the bound is declared on every integer, so the OpenAPI document states it.
    for schema_class in seen:
        for name, field in schema_class().fields.items():
            if isinstance(field, fields.Integer):
                assert any(getattr(v, "max", None) == 2**31 - 1 for v in field.validators), name


# Found by schemathesis ---------------------------------------------------------------------


def test_a_question_can_be_created_inactive(client, organiser_token):
    event, headers = organiser_token
    response = client.post(
        f"/api/v1/events/{event.slug}/questions",
        json={"label": "Old question", "kind": "text", "is_active": False},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["is_active"] is False


def test_positions_after_the_largest_stay_in_range(client, organiser_token):
    event, headers = organiser_token
    url = f"/api/v1/events/{event.slug}/questions"
    first = client.post(
        url, json={"label": "Last", "kind": "text", "position": 2**31 - 1}, headers=headers
    )
    assert first.status_code == 201
    response = client.post(url, json={"label": "After it", "kind": "text"}, headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["position"] <= 2**31 - 1
    response = client.post(
        f"/api/v1/events/{event.slug}/categories",
        json={"code": "last", "label": "Last", "position": 2**31 - 1},
        headers=headers,
    )
    assert response.status_code == 201
    response = client.post(
        f"/api/v1/events/{event.slug}/categories",
        json={"code": "after", "label": "After"},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["position"] <= 2**31 - 1


def test_text_fields_state_their_limit_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    title = spec["components"]["schemas"]["EventWrite"]["properties"]["title"]
    assert title["pattern"].startswith("^[^\\x00")
    colour = spec["components"]["schemas"]["CategoryWrite"]["properties"]["colour"]
    assert colour["pattern"] == "^#[0-9a-fA-F]{6}$"  # a field's own pattern stays


def test_method_not_allowed_says_which_are(client, organiser_token):
    event, headers = organiser_token
    response = client.put(f"/api/v1/events/{event.slug}", headers=headers)
    assert _error(response, 405)["code"] == "method_not_allowed"
    assert "PATCH" in response.headers["Allow"]
