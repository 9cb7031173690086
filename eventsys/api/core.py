"""The /api/v1 foundation: one error format, bearer tokens, paging. Areas add blueprints."""

from __future__ import annotations

import functools
import http
import logging
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

import marshmallow
from flask import g, request
from flask_babel import gettext as _
from flask_smorest import Api, Blueprint, abort
from marshmallow import fields, validate
from sqlalchemy.exc import OperationalError
from webargs.flaskparser import FlaskParser, is_json_request
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.exceptions import HTTPException

from eventsys import sqlite
from eventsys.accounts.services import (
    api_token_for,
    note_api_token_use_on_commit,
    token_use_pending,
    write_noted_token_use,
)
from eventsys.api.schema import Schema
from eventsys.errors import Forbidden, NotFound, ServiceError
from eventsys.events.access import has_event_role
from eventsys.events.models import Event
from eventsys.events.services import event_by_slug
from eventsys.extensions import db
from eventsys.validation import JSONTooDeepError, check_json_depth
from eventsys.web.errors import error_response, handle_http_error, service_error_response

log = logging.getLogger("eventsys.api")

PREFIX = "/api/v1"
MULTIPART = "multipart"  # form fields and files in one schema, documented as multipart/form-data
BODY_LOCATIONS = ("json", "form", "files", MULTIPART)
WRITE_METHODS = ("post", "put", "patch", "delete")


class BoundedParser(FlaskParser):
    """webargs' parser, refusing JSON nested deeper than any real request (400) before the
    recursive decoder runs out of stack."""

    def _raw_load_json(self, req: Any) -> Any:
        if is_json_request(req):
            try:
                check_json_depth(req.get_data(cache=True))
            except JSONTooDeepError as exc:
                abort(400, message=str(exc))
        return super()._raw_load_json(req)


Blueprint.ARGUMENTS_PARSER = BoundedParser()


@Blueprint.ARGUMENTS_PARSER.location_loader(MULTIPART)
def _load_multipart(request, schema):
    """Uploads with their fields: one schema, so OpenAPI shows one multipart request body."""
    return MultiDictProxy(CombinedMultiDict([request.form, request.files]), schema)


Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
    **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
    MULTIPART: "multipart/form-data",
}


class ErrorDetail(Schema):
    code = fields.String(
        required=True, metadata={"description": "Machine-readable, e.g. not_found, conflict."}
    )
    message = fields.String(required=True, metadata={"description": "For people to read."})
    field_errors = fields.Dict(
        keys=fields.String(),
        required=True,
        data_key="fields",
        metadata={"description": "Messages per input field at fault (may be empty)."},
    )


class ErrorEnvelope(Schema):
    """Every error the API answers, whatever its status."""

    error = fields.Nested(ErrorDetail, required=True)


class EventsysApi(Api):
    """flask-smorest, answering errors as {"error": {"code", "message", "fields"}}."""

    ERROR_SCHEMA = ErrorEnvelope

    def handle_http_exception(self, error: HTTPException):
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
        # The exception's own headers, e.g. Allow on a 405 (RFC 9110).
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="eventsys"'
        return response, status


class ApiBlueprint(Blueprint):
    """flask-smorest's blueprint, documenting every error status an operation can answer, each
    with the one error envelope: 401/403 behind a token, 404 with path parameters, 400/413 with
    a body, 409 and 422 on writes (and 422 wherever arguments are validated)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._prepare_error_doc)

    def arguments(self, schema: Any, *args: Any, **kwargs: Any) -> Any:
        # One schema instance per view: given a class, webargs would build one on every request.
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)

    def add_url_rule(self, rule: str, endpoint: str | None = None, view_func: Any = None, *a, **kw):
        self._rule_has_parameters = "<" in rule
        return super().add_url_rule(rule, endpoint, view_func, *a, **kw)

    def _store_endpoint_docs(self, endpoint, obj, parameters, tags, **options):
        super()._store_endpoint_docs(endpoint, obj, parameters, tags, **options)
        for method, doc in self._docs[endpoint].items():
            if method != "parameters":
                doc["errors"] = error_statuses(obj, method, self._rule_has_parameters)

    @staticmethod
    def _prepare_error_doc(doc: dict, doc_info: dict, **kwargs: Any) -> dict:
        responses = doc.setdefault("responses", {})
        for status in doc_info.get("errors", ()):
            responses.setdefault(status, http.HTTPStatus(status).name)
        return doc


def error_statuses(view: Any, method: str, has_path_parameters: bool) -> list[int]:
    arguments = getattr(view, "_apidoc", {}).get("arguments", {})
    locations = {p.get("in") for p in arguments.get("parameters", []) if isinstance(p, dict)}
    statuses = set()
    if getattr(view, "access_rule", None) != "public":
        statuses |= {401, 403}
    if has_path_parameters:
        statuses.add(404)
    if locations & set(BODY_LOCATIONS):
        statuses |= {400, 413}
    if arguments:
        statuses.add(422)
    if method in WRITE_METHODS:
        statuses |= {409, 422}
    return sorted(statuses)


def api_blueprint(name: str, import_name: str, url_prefix: str, description: str) -> Blueprint:
    """An area's API blueprint; every view in it needs a bearer token unless marked public."""
    blp = ApiBlueprint(name, import_name, url_prefix=PREFIX + url_prefix, description=description)
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
    token = bearer_token()
    if token is None:
        return None
    row = api_token_for(db.session, token)
    if row is None:
        return None
    # When the token was last used is written with the request's own commit (most API requests
    # write), or after its answer when it commits nothing (write_token_use_left).
    note_api_token_use_on_commit(db.session, row)
    g.token_use_noted = True
    if request.method in WRITES_FIRST and db.session.get_bind().dialect.name == "postgresql":
        # A writing request on PostgreSQL writes it now, as the first lock of its transaction,
        # rather than at its commit: not inside locks it takes later (an event's, held for
        # its counts, inserts and commit) where one more round trip serialises everyone.
        # SQLite has one writer at a time: there it waits for the commit.
        _write_token_use_now(db.session)
    return row.user


WRITES_FIRST = frozenset(method.upper() for method in WRITE_METHODS)


def _write_token_use_now(session: Any) -> None:
    write_noted_token_use(session)


def write_token_use_on_commit(session: Any) -> None:
    """Session listener (before_commit): the token use the request noted, in its transaction."""
    try:
        write_noted_token_use(session)
    except (OperationalError, sqlite3.OperationalError) as exc:
        if not sqlite.is_busy(exc):
            raise
        # Noting when a token was last used never makes a request fail: on a busy SQLite
        # database (one writer at a time) the next request notes it instead.


def write_token_use_left(response: Any) -> Any:
    """After a request that committed nothing (a read, a refusal): its token use in a short
    transaction of its own. What the request left uncommitted is dropped first, as the end of
    the request would drop it."""
    if not g.pop("token_use_noted", False):
        return response
    session = db.session()
    if not token_use_pending(session):
        return response
    session.rollback()
    try:
        session.commit()  # write_token_use_on_commit writes it
    except (OperationalError, sqlite3.OperationalError) as exc:
        # The answer is ready and stands; the next request notes the use instead.
        session.rollback()
        log.warning("Could not note an API token's use: %s", exc)
    return response


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


def event_for(
    slug: str, roles: tuple[str, ...] = (), *, refusal: str = "", drafts: bool = False
) -> Event:
    """The event of the URL, for the token's user (g.api_user): 404 when there is none, and
    when it is a draft the user does not organise (unless `drafts`, for staff and Assembly
    pages that name it anyway); 403 with `refusal` when the user holds none of `roles`."""
    event = event_by_slug(db.session, slug)
    user = g.get("api_user")  # None on the few public operations
    if not (drafts or event.is_published or has_event_role(user, event, ("organiser",))):
        raise NotFound(_("There is no event “%(slug)s”.", slug=slug[:80]))
    if roles and not has_event_role(user, event, roles):
        raise Forbidden(refusal or _("You hold no role at this event that allows this."))
    return event


def list_and_create(
    blp: Blueprint,
    rule: str,
    schema: type[Schema],
    rows: Callable[[str], Any],
    create: Callable[[dict[str, Any], str], Any],
    *,
    name: str,
    docs: tuple[str, str],
    arguments: type[Schema] | None = None,
) -> None:
    """An event's collection behind a bearer token: GET `rule` lists `rows(slug)` (endpoint
    list_<name>s), POST adds one with `create(arguments, slug)`, committed and answered 201
    (endpoint create_<name>). `docs` are the two operations' descriptions; `arguments` the
    POST's schema when it is not `schema` itself."""

    def list_rows(slug: str) -> Any:
        return rows(slug)

    def create_row(data: dict[str, Any], slug: str) -> Any:
        row = create(data, slug)
        db.session.commit()
        return row

    list_rows.__doc__, create_row.__doc__ = docs
    listed = blp.response(200, schema(many=True))(list_rows)
    blp.route(rule, endpoint=f"list_{name}s")(token_required(listed))
    created = blp.response(201, schema)(blp.arguments(arguments or schema)(create_row))
    blp.route(rule, endpoint=f"create_{name}", methods=["POST"])(token_required(created))


def api_public(view: Callable[..., Any]) -> Callable[..., Any]:
    view.access_rule = "public"  # type: ignore[attr-defined]
    return view


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


def page_of(items: Sequence[Any], total: int, page: int, per_page: int) -> dict[str, Any]:
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def page_schema(item_schema: type[Schema], name: str) -> type[marshmallow.Schema]:
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
            "total": fields.Integer(),
        },
        name=name,
    )
