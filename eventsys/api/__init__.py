"""The JSON API under /api/v1; its OpenAPI document is generated from the views that serve it."""

from __future__ import annotations

from flask import Flask
from flask_smorest.spec.plugins import (
    integerconverter2paramschema,
    unicodeconverter2paramschema,
)

from eventsys.api.core import (
    PREFIX,
    EventsysApi,
    write_token_use_left,
    write_token_use_on_commit,
)
from eventsys.extensions import csrf
from eventsys.validation import DbIntConverter, TextConverter


def init_app(app: Flask) -> None:
    # Wiring, run when an app is built: the token-use listeners live on the Session class.
    from sqlalchemy import event  # noqa: PLC0415
    from sqlalchemy.orm import Session  # noqa: PLC0415

    from eventsys.accounts.services import (  # noqa: PLC0415
        token_use_committed,
        token_use_rolled_back,
    )

    if not event.contains(Session, "before_commit", write_token_use_on_commit):
        event.listen(Session, "before_commit", write_token_use_on_commit)
        event.listen(Session, "after_commit", token_use_committed)
        event.listen(Session, "after_rollback", token_use_rolled_back)
    app.after_request(write_token_use_left)

    app.config.setdefault("API_TITLE", "eventsys API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            # Relative: clients call whichever host served the document.
            "servers": [{"url": "/", "description": "This server"}],
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearerAuth": []}],
            "info": {"description": "Events, registrations and every other area of eventsys."},
        },
    )
    # One per app (the API object is not an extension shared by every app: its document is
    # this app's routes).
    api = EventsysApi(app)
    # Path parameters documented with the bounds their converters enforce.
    api.register_converter(DbIntConverter, integerconverter2paramschema)
    api.register_converter(TextConverter, unicodeconverter2paramschema)
    # The spec view is public documentation.
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith("api-docs."):
            app.view_functions[endpoint] = _public_docs(view)
    csrf.exempt("api-docs")
    for blp in area_blueprints():
        api.register_blueprint(blp)
        csrf.exempt(blp)


def _public_docs(view):
    def serve_docs(*args, **kwargs):
        return view(*args, **kwargs)

    serve_docs.access_rule = "public"  # type: ignore[attr-defined]  # read by web.access.rule_of
    return serve_docs


def area_blueprints() -> list:
    """Each area's API blueprint, in one place."""
    # Loaded when the app is built: the areas' API modules import api.core, and so this package.
    from eventsys.assembly.agenda import api as _agenda  # noqa: F401, PLC0415  (on assembly's blp)
    from eventsys.assembly.api import blp as assembly  # noqa: PLC0415
    from eventsys.badges.api import blp as badges  # noqa: PLC0415
    from eventsys.checkin.api import blp as checkin  # noqa: PLC0415
    from eventsys.declarations.api import blp as declarations  # noqa: PLC0415
    from eventsys.events.api import blp as events  # noqa: PLC0415
    from eventsys.mailings.api import blp as mailings  # noqa: PLC0415
    from eventsys.organisations.api import blp as organisations  # noqa: PLC0415
    from eventsys.programme.api import blp as programme  # noqa: PLC0415
    from eventsys.proposals.api import blp as proposals  # noqa: PLC0415
    from eventsys.registration.api import blp as registrations  # noqa: PLC0415

    return [
        events, registrations, programme, assembly, badges, checkin, declarations, mailings,
        proposals, organisations,
    ]  # fmt: skip
