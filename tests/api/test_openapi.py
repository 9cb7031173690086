"""The OpenAPI document is valid, relative, and lists every /api/v1 route the app serves."""

from __future__ import annotations

import re

from openapi_spec_validator import validate


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_openapi_document_is_valid_and_complete(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)  # raises on any error
    assert spec["openapi"].startswith("3.")
    assert spec["servers"] and all(not re.match(r"^[a-z]+://", s["url"]) for s in spec["servers"])
    documented = {
        (path, method.upper())
        for path, operations in spec["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }
    served = {
        (_openapi_path(rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and not rule.endpoint.startswith("api-docs.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert served, "no API routes found"
    assert served <= documented, sorted(served - documented)


def test_every_api_operation_documents_bearer_auth_and_errors(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    create = spec["paths"]["/api/v1/events/"]["post"]
    assert "201" in create["responses"] and "requestBody" in create
