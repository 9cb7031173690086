"""The organisations and their member registers through /api/v1/organisations.

Who sees what (organisations/access.py): administrators every organisation; others the ones
they are a contact of, the networks whose register they keep and those networks' members.
A register is read by its keepers only.
"""

from __future__ import annotations

from flask import abort, g
from flask_babel import gettext as _
from marshmallow import fields
from sqlalchemy import func, select

from eventsys.api.core import PageArgs, api_blueprint, page_of, page_schema, token_required
from eventsys.api.schema import Schema
from eventsys.extensions import db
from eventsys.organisations import register
from eventsys.organisations.access import can_manage_register, visible_organisation_ids
from eventsys.organisations.models import Membership, Organisation

blp = api_blueprint(
    "api_organisations",
    __name__,
    "/organisations",
    "Organisations and the member registers of networks.",
)


class OrganisationSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    short_name = fields.String(allow_none=True)
    kind = fields.Function(lambda o: o.kind.value)
    country = fields.String(allow_none=True, metadata={"description": "ISO 3166-1 alpha-2."})
    city = fields.String(allow_none=True)
    keeps_register = fields.Method(
        "_keeps", metadata={"description": "Whether you may read this network's register."}
    )

    def _keeps(self, organisation: Organisation) -> bool:
        return can_manage_register(db.session, g.api_user, organisation.id)


class MemberSchema(Schema):
    membership_id = fields.Integer(attribute="id")
    organisation_id = fields.Integer(attribute="member_id")
    name = fields.Function(lambda m: m.member.name)
    short_name = fields.Function(lambda m: m.member.short_name)
    kind = fields.Function(lambda m: m.member.kind.value)
    country = fields.Function(lambda m: m.member.country)
    city = fields.Function(lambda m: m.member.city)
    code = fields.String(allow_none=True, metadata={"description": "The network's member number."})
    member_since = fields.Date(attribute="started_on")
    ended_on = fields.Date(allow_none=True)
    status = fields.Function(
        lambda m: m.status.value, metadata={"description": "active, suspended or left."}
    )
    weight = fields.Integer()


class RegisterArgs(PageArgs):
    include_left = fields.Boolean(
        load_default=False, metadata={"description": "Also the members who have left."}
    )


@blp.route("/")
@token_required
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(OrganisationSchema, "OrganisationPage"))
def list_organisations(args: dict):
    """The organisations you may see, with their ids, by name."""
    query = select(Organisation)
    visible = visible_organisation_ids(db.session, g.api_user)
    if visible is not None:
        query = query.where(Organisation.id.in_(visible))
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    items = (
        db.session.execute(
            query.order_by(Organisation.name, Organisation.id)
            .offset((args["page"] - 1) * args["per_page"])
            .limit(args["per_page"])
        )
        .scalars()
        .all()
    )
    return page_of(items, total, args["page"], args["per_page"])


@blp.route("/<int:organisation_id>/members")
@token_required
@blp.arguments(RegisterArgs, location="query")
@blp.response(200, page_schema(MemberSchema, "MemberPage"))
def list_members(args: dict, organisation_id: int):
    """A network's member register (its keepers and administrators)."""
    network = db.session.get(Organisation, organisation_id)
    visible = visible_organisation_ids(db.session, g.api_user)
    if network is None or (visible is not None and network.id not in visible):
        abort(404, _("There is no such organisation."))
    if not can_manage_register(db.session, g.api_user, network.id):
        abort(403, _("Only the keepers of this network's register may read it."))
    everyone: list[Membership] = register.members(
        db.session, network, include_left=args["include_left"]
    )
    start = (args["page"] - 1) * args["per_page"]
    return page_of(
        everyone[start : start + args["per_page"]], len(everyone), args["page"], args["per_page"]
    )
