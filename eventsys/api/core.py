"""The /api/v1 foundation: one error format, bearer tokens, paging. Areas add blueprints."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import g, jsonify, request
from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields, validate
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.exceptions import HTTPException

from eventsys.errors import ServiceError

PREFIX = "/api/v1"
MULTIPART = "multipart"  # form fields and files in one schema, documented as multipart/form-data


@Blueprint.ARGUMENTS_PARSER.location_loader(MULTIPART)
def _load_multipart(request, schema):
    """Uploads with their fields: one schema, so OpenAPI shows one multipart request body."""
    return MultiDictProxy(CombinedMultiDict([request.form, request.files]), schema)


Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
    **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
    MULTIPART: "multipart/form-data",
}


def error_response(
    status: int, code: str, message: str, field_errors: dict[str, Any] | None = None
):
    body = {"error": {"code": code, "message": message, "fields": field_errors or {}}}
    return jsonify(body), status


class EventsysApi(Api):
    """flask-smorest, answering errors as {"error": {"code", "message", "fields"}}."""

    def handle_http_exception(self, error: HTTPException):
        from eventsys.web.views import handle_http_error

        if not request.path.startswith(PREFIX):
            return handle_http_error(error)
        data = getattr(error, "data", None) or {}
        messages = data.get("messages") or {}
        # webargs groups field errors by location (json, query); clients want the fields.
        field_errors: dict[str, Any] = {}
        for location_errors in messages.values():
            if isinstance(location_errors, dict):
                field_errors.update(location_errors)
        status = error.code or 500
        code = "validation_error" if field_errors else error.name.lower().replace(" ", "_")
        message = data.get("message") or error.description or error.name
        if field_errors and status == 422:
            message = "Some fields are not valid: " + ", ".join(sorted(field_errors))
        response, status = error_response(status, code, message, field_errors)
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="eventsys"'
        return response, status


def service_error_response(exc: ServiceError):
    from eventsys.extensions import db

    db.session.rollback()
    return error_response(exc.status, exc.code, exc.message, _error_fields(exc))


def api_blueprint(name: str, import_name: str, url_prefix: str, description: str) -> Blueprint:
    """An area's API blueprint; every view in it needs a bearer token unless marked public."""
    blp = Blueprint(name, import_name, url_prefix=PREFIX + url_prefix, description=description)
    blp.register_error_handler(ServiceError, service_error_response)
    return blp


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if there is one."""
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def authenticate_bearer() -> Any:
    from eventsys.accounts.services import api_token_for, note_api_token_use
    from eventsys.extensions import db

    token = bearer_token()
    if token is None:
        return None
    row = api_token_for(db.session, token)
    if row is None:
        return None
    user = row.user
    if note_api_token_use(db.session, row):
        db.session.commit()  # its own short write, whatever the request does next
    return user


def unauthorized_response() -> Any:
    response, status = error_response(
        401, "unauthorized", "Send a valid API token: Authorization: Bearer <token>."
    )
    response.headers["WWW-Authenticate"] = 'Bearer realm="eventsys"'
    return response, status


def token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """A bearer token of an active account; the user is in g.api_user."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user = authenticate_bearer()
        if user is None:
            return unauthorized_response()
        g.api_user = user
        return view(*args, **kwargs)

    wrapper.access_rule = "api"  # type: ignore[attr-defined]
    return wrapper


def api_public(view: Callable[..., Any]) -> Callable[..., Any]:
    view.access_rule = "public"  # type: ignore[attr-defined]
    return view


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


def page_of(items: list[Any], total: int, page: int, per_page: int) -> dict[str, Any]:
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
            "total": fields.Integer(),
        },
        name=name,
    )


def _error_fields(exc: ServiceError) -> dict[str, list[str]] | None:
    """Every field at fault (a FieldErrors names several), each with its message."""
    several = getattr(exc, "field_errors", None)
    if several:
        return {name: [message] for name, message in several.items()}
    return {exc.field: [exc.message]} if exc.field else None
