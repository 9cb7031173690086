"""Declarations through /api/v1/declarations: read, count, sign and withdraw as the token's user."""

from __future__ import annotations

from flask import g
from flask_babel import get_locale
from marshmallow import fields, validate
from sqlalchemy import func, select

from eventsys.api.core import PageArgs, api_blueprint, page_of, page_schema, token_required
from eventsys.api.schema import Schema
from eventsys.db import utcnow
from eventsys.declarations import services
from eventsys.declarations.models import Declaration, SignatureKind
from eventsys.events.models import Event
from eventsys.extensions import db

blp = api_blueprint(
    "api_declarations",
    __name__,
    "/declarations",
    "Declarations open for signature: texts, counts by country, signing and withdrawing.",
)


class CountrySchema(Schema):
    country = fields.String(metadata={"description": "ISO 3166-1 alpha-2 code"})
    signatures = fields.Integer()


class SignatureCountsSchema(Schema):
    total = fields.Integer()
    persons = fields.Integer()
    organisations = fields.Integer()
    countries = fields.Integer()
    by_country = fields.List(fields.Nested(CountrySchema))


class DeclarationSchema(Schema):
    id = fields.Integer()
    event = fields.Function(lambda d: d.event.slug)
    slug = fields.String()
    title = fields.Function(lambda d: d.localized("title", str(get_locale() or "")))
    text = fields.Function(lambda d: d.localized("text", str(get_locale() or "")))
    title_translations = fields.Dict(keys=fields.String(), values=fields.String())
    text_translations = fields.Dict(keys=fields.String(), values=fields.String())
    opens_at = fields.DateTime()
    closes_at = fields.DateTime()
    state = fields.Function(lambda d: d.state(utcnow()))
    signer_kinds = fields.Function(lambda d: d.signer_kinds.value)
    eligibility = fields.Function(lambda d: d.eligibility.value)


class DeclarationWithCountsSchema(DeclarationSchema):
    counts = fields.Method("_counts")

    def _counts(self, declaration: Declaration) -> dict:
        return SignatureCountsSchema().dump(_counts_of(declaration))


class SignArgs(Schema):
    kind = fields.String(
        load_default=SignatureKind.PERSON.value,
        validate=validate.OneOf([k.value for k in SignatureKind]),
    )
    display_name = fields.String(
        load_default=None, metadata={"description": "Defaults to the account's name."}
    )
    organisation_name = fields.String(load_default="")
    country = fields.String(required=True, metadata={"description": "ISO 3166-1 alpha-2"})
    is_public = fields.Boolean(load_default=False)


class SignatureSchema(Schema):
    id = fields.Integer()
    kind = fields.Function(lambda s: s.kind.value)
    status = fields.Function(lambda s: s.status.value)
    display_name = fields.String()
    organisation_name = fields.String()
    country = fields.String()
    is_public = fields.Boolean()
    confirmed_at = fields.DateTime(allow_none=True)
    withdrawn_at = fields.DateTime(allow_none=True)


def _counts_of(declaration: Declaration) -> dict:
    counts = services.counts(db.session, declaration)
    return {
        "total": counts.total,
        "persons": counts.persons,
        "organisations": counts.organisations,
        "countries": counts.countries,
        "by_country": [{"country": c, "signatures": n} for c, n in counts.by_country],
    }


@blp.route("/")
@token_required
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(DeclarationSchema, "DeclarationPage"))
def list_declarations(args: dict):
    """Published declarations of published events, the latest opened first."""
    query = (
        select(Declaration)
        .join(Event, Declaration.event_id == Event.id)
        .where(Declaration.is_published.is_(True), Event.is_published.is_(True))
    )
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    items = db.session.execute(
        query.order_by(Declaration.opens_at.desc(), Declaration.id.desc())
        .offset((args["page"] - 1) * args["per_page"])
        .limit(args["per_page"])
    ).scalars()
    return page_of(list(items), total, args["page"], args["per_page"])


@blp.route("/<int:declaration_id>")
@token_required
@blp.response(200, DeclarationWithCountsSchema)
def get_declaration(declaration_id: int):
    """One declaration, its text in the requested language when present, and its counts."""
    return services.published_declaration(db.session, declaration_id)


@blp.route("/<int:declaration_id>/counts")
@token_required
@blp.response(200, SignatureCountsSchema)
def get_counts(declaration_id: int):
    """Confirmed signatures: total, persons, organisations, and by country."""
    return _counts_of(services.published_declaration(db.session, declaration_id))


@blp.route("/<int:declaration_id>/signatures/mine")
@token_required
@blp.response(200, SignatureSchema(many=True))
def my_signatures(declaration_id: int):
    """The token user's own signatures of this declaration (in own name or an organisation's)."""
    declaration = services.published_declaration(db.session, declaration_id)
    return services.signatures_of_user(db.session, declaration, g.api_user)


@blp.route("/<int:declaration_id>/signatures", methods=["POST"])
@token_required
@blp.arguments(SignArgs)
@blp.response(201, SignatureSchema)
def sign(args: dict, declaration_id: int):
    """Sign as the token's user. With a confirmed account e-mail the signature counts at once;
    otherwise it waits for the confirmation link sent by e-mail (status `pending`)."""
    declaration = services.published_declaration(db.session, declaration_id)
    user = g.api_user
    signature, _ = services.sign(
        db.session,
        declaration,
        services.SignData(
            kind=args["kind"],
            display_name=args["display_name"] or user.display_name,
            organisation_name=args["organisation_name"],
            country=args["country"],
            is_public=args["is_public"],
        ),
        user=user,
    )
    db.session.commit()
    return signature


@blp.route("/<int:declaration_id>/signatures/<int:signature_id>/withdraw", methods=["POST"])
@token_required
@blp.response(200, SignatureSchema)
def withdraw(declaration_id: int, signature_id: int):
    """Withdraw one's own signature before the declaration closes; it cannot be given again."""
    declaration = services.published_declaration(db.session, declaration_id)
    signature = services.own_signature(db.session, declaration, g.api_user, signature_id)
    services.withdraw(db.session, signature)
    db.session.commit()
    return signature
