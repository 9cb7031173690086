"""The General Assembly through /api/v1/events/<slug>/assembly: applications, motions, polls,
attendance, proxies, casting a vote and results."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, current_app, g, jsonify
from flask_babel import gettext as _
from marshmallow import fields, validate
from sqlalchemy import select

from eventsys.accounts.services import token_digest
from eventsys.api.core import (
    MULTIPART,
    api_blueprint,
    authenticate_bearer,
    bearer_token,
    event_for,
    token_required,
    unauthorized_response,
)
from eventsys.api.schema import Schema, versions_field
from eventsys.assembly import majority as rules
from eventsys.assembly import services
from eventsys.assembly.models import (
    Assembly,
    MembershipApplication,
    MotionKind,
    Poll,
)
from eventsys.errors import ServiceError
from eventsys.events.access import has_event_role
from eventsys.extensions import db
from eventsys.registration.models import Registration

blp = api_blueprint(
    "api_assembly",
    __name__,
    "/events/<slug>/assembly",
    "General Assembly: membership applications, voting rights, attendance, motions, polls, votes.",
)


# --- Schemas -----------------------------------------------------------------------------


class AssemblySchema(Schema):
    title = fields.String()
    title_translations = versions_field("title")
    held_on = fields.Date()
    network = fields.Function(lambda a: a.network.name)
    max_proxies = fields.Integer()
    quorum_percent = fields.Integer()
    tie_rule = fields.String()


class RightSchema(Schema):
    id = fields.Integer(attribute="right.id")
    member = fields.Function(lambda v: v.right.member.name)
    weight = fields.Integer(attribute="right.weight")
    delegate_registration_id = fields.Integer(
        attribute="right.delegate_registration_id", allow_none=True
    )
    proxy_holder_id = fields.Integer(attribute="right.proxy_holder_id", allow_none=True)
    present = fields.Boolean()
    proxies_held = fields.Integer()


class AttendanceSchema(Schema):
    present = fields.Boolean(required=True)


class ProxySchema(Schema):
    holder_id = fields.Integer(
        required=True, allow_none=True, metadata={"description": "Voting right id, or null."}
    )


class DocumentSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    filename = fields.String()
    size = fields.Integer()
    sha256 = fields.String()


class ApplicationSchema(Schema):
    id = fields.Integer(dump_only=True)
    organisation = fields.Function(lambda a: a.organisation.name, dump_only=True)
    country = fields.Function(lambda a: a.organisation.country, dump_only=True)
    status = fields.String(dump_only=True)
    board_comment = fields.String(dump_only=True)
    submitted_at = fields.DateTime(dump_only=True)
    documents = fields.List(fields.Nested(DocumentSchema), dump_only=True)


class ApplicationCreateSchema(Schema):
    organisation_name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    organisation_kind = fields.String(load_default="municipality")
    country = fields.String(load_default=None, validate=validate.Length(equal=2))
    city = fields.String(load_default=None)
    contact_name = fields.String(required=True)
    contact_email = fields.Email(required=True)
    statement = fields.String(load_default="")


class ApplicationUploadSchema(ApplicationCreateSchema):
    """The application's fields and its PDF documents, sent together as multipart/form-data."""

    resolution = fields.Raw(metadata={"type": "string", "format": "binary"})
    statutes = fields.Raw(metadata={"type": "string", "format": "binary"})
    letter = fields.Raw(metadata={"type": "string", "format": "binary"})


class DocumentUploadSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(services.DOCUMENT_KINDS))
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class ReviewSchema(Schema):
    complete = fields.Boolean(required=True)
    comment = fields.String(load_default="")


class OptionSchema(Schema):
    id = fields.Integer()
    key = fields.String()
    label = fields.String()


class PollSchema(Schema):
    id = fields.Integer(dump_only=True)
    motion_id = fields.Integer(dump_only=True)
    state = fields.String(dump_only=True)
    secret = fields.Boolean()
    election = fields.Boolean(dump_only=True)
    majority = fields.String()
    base = fields.String()
    double_majority = fields.Boolean()
    quorum_percent = fields.Integer()
    tie_rule = fields.String()
    max_choices = fields.Integer()
    seats = fields.Integer()
    options = fields.List(fields.Nested(OptionSchema), dump_only=True)
    content_hash = fields.String(dump_only=True, allow_none=True)
    opened_at = fields.DateTime(dump_only=True, allow_none=True)
    closed_at = fields.DateTime(dump_only=True, allow_none=True)
    annul_reason = fields.String(dump_only=True)
    votes = fields.Method("_votes", dump_only=True)
    result = fields.Method("_result", dump_only=True)
    decision = fields.Method("_decision", dump_only=True)
    passed = fields.Method("_passed", dump_only=True)

    def _votes(self, poll: Poll) -> int:
        return services.vote_count(db.session, poll.id)

    # Never the running tally: the result exists only once the poll is closed.
    def _result(self, poll: Poll):
        return poll.result if poll.state.value in ("closed", "annulled") else None

    def _decision(self, poll: Poll):
        return poll.decision or None

    def _passed(self, poll: Poll):
        return poll.passed


class PollCreateSchema(Schema):
    secret = fields.Boolean(load_default=True)
    majority = fields.String(load_default="simple", validate=validate.OneOf(rules.MAJORITIES))
    base = fields.String(load_default="cast", validate=validate.OneOf(rules.BASES))
    double_majority = fields.Boolean(load_default=False)
    quorum_percent = fields.Integer(load_default=None, validate=validate.Range(min=0, max=100))
    tie_rule = fields.String(load_default=None, validate=validate.OneOf(rules.TIE_RULES))
    candidates = fields.List(fields.String(), load_default=list)
    max_choices = fields.Integer(load_default=1, validate=validate.Range(min=1))
    seats = fields.Integer(load_default=1, validate=validate.Range(min=1))


class MotionSchema(Schema):
    id = fields.Integer(dump_only=True)
    position = fields.Integer(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in MotionKind]))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    text = fields.String(load_default="")
    title_translations = versions_field("title")
    text_translations = versions_field("text")
    application_id = fields.Integer(dump_only=True, allow_none=True)
    polls = fields.List(fields.Nested(PollSchema), dump_only=True)


class AnnulSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1))


class VoteSchema(Schema):
    choices = fields.List(
        fields.Integer(),
        required=True,
        metadata={"description": "Option ids: one for yes/no/abstain, up to max_choices."},
    )
    rights = fields.List(
        fields.Integer(),
        load_default=None,
        metadata={"description": "Voting right ids to vote for; default all you may use now."},
    )


class ReceiptSchema(Schema):
    right_id = fields.Integer()
    member = fields.String()
    receipt = fields.String()


class VoteResultSchema(Schema):
    receipts = fields.List(fields.Nested(ReceiptSchema))


class BallotSchema(Schema):
    receipt = fields.String()
    choice = fields.String()
    weight = fields.Integer()
    member = fields.String(allow_none=True, metadata={"description": "Named polls only."})


class BallotListSchema(Schema):
    decision = fields.String()
    ballots = fields.List(fields.Nested(BallotSchema))


# --- Helpers -----------------------------------------------------------------------------


def _assembly(slug: str, *, organiser: bool = False) -> Assembly:
    roles = ("organiser",) if organiser else ()
    refusal = _("Only the Assembly's organisers may do this.")
    event = event_for(slug, roles, refusal=refusal, drafts=True)
    return services.assembly_for_event(db.session, event)


R = TypeVar("R")


def _organisers(find: Callable[[Any, Assembly, int], R], slug: str, row_id: int) -> R:
    """An application, motion or poll of the Assembly (`find`: services.application_of,
    motion_of or poll_of), for its organisers only."""
    return find(db.session, _assembly(slug, organiser=True), row_id)


def _upload_settings() -> dict:
    return {
        "upload_dir": current_app.config["UPLOAD_DIR"],
        "max_bytes": int(current_app.config["UPLOAD_MAX_BYTES"]),
    }


def _read(file) -> bytes:
    return file.read(int(current_app.config["UPLOAD_MAX_BYTES"]) + 1)


# --- Views -------------------------------------------------------------------------------


@blp.route("")
@token_required
@blp.response(200, AssemblySchema)
def get_assembly(slug: str):
    """The Assembly's settings."""
    return _assembly(slug)


@blp.route("/attendance")
@token_required
@blp.response(200, RightSchema(many=True))
def list_attendance(slug: str):
    """Every voting right: delegate, proxy, weight and whether it is present now (organisers)."""
    return services.rights_overview(db.session, _assembly(slug, organiser=True))


@blp.route("/attendance/<int:registration_id>", methods=["PUT"])
@token_required
@blp.arguments(AttendanceSchema)
@blp.response(200, AttendanceSchema)
def mark_attendance(args: dict, slug: str, registration_id: int):
    """The chair marks a delegate present or absent; this overrides the door's check-in."""
    assembly = _assembly(slug, organiser=True)
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        abort(404, _("There is no such registration."))
    mark = services.mark_attendance(
        db.session, assembly, registration, args["present"], actor_id=g.api_user.id
    )
    db.session.commit()
    return {"present": mark.present}


@blp.route("/rights/<int:right_id>/proxy", methods=["PUT"])
@token_required
@blp.arguments(ProxySchema)
@blp.response(200, RightSchema)
def set_proxy(args: dict, slug: str, right_id: int):
    """Name (or withdraw, with null) the member whose delegate carries this right's vote."""
    assembly = _assembly(slug, organiser=True)
    giver = services.right_of(db.session, assembly, right_id)
    holder = (
        services.right_of(db.session, assembly, args["holder_id"]) if args["holder_id"] else None
    )
    services.set_proxy(db.session, assembly, giver, holder, actor_id=g.api_user.id)
    db.session.commit()
    return next(v for v in services.rights_overview(db.session, assembly) if v.right.id == right_id)


@blp.route("/applications")
@token_required
@blp.response(200, ApplicationSchema(many=True))
def list_applications(slug: str):
    """Membership applications (organisers)."""
    assembly = _assembly(slug, organiser=True)
    return db.session.execute(
        select(MembershipApplication)
        .where(MembershipApplication.assembly_id == assembly.id)
        .order_by(MembershipApplication.submitted_at)
    ).scalars()


@blp.route("/applications", methods=["POST"])
@token_required
@blp.arguments(ApplicationUploadSchema, location=MULTIPART)
@blp.response(201, ApplicationSchema)
def create_application(args: dict, slug: str):
    """Apply for membership (multipart form); `resolution` (PDF) is required."""
    assembly = _assembly(slug)
    files = {kind: args.pop(kind) for kind in ("resolution", "statutes", "letter") if kind in args}
    uploads = [
        services.Upload(kind, file.filename or f"{kind}.pdf", _read(file))
        for kind, file in files.items()
        if file
    ]
    application = services.submit_application(
        db.session, assembly, uploads=uploads, user_id=g.api_user.id, **args, **_upload_settings()
    )
    db.session.commit()
    return application


@blp.route("/applications/<int:application_id>/documents", methods=["POST"])
@token_required
@blp.arguments(DocumentUploadSchema, location=MULTIPART)
@blp.response(201, DocumentSchema)
def add_document(args: dict, slug: str, application_id: int):
    """Add a PDF to an application (its applicant or the organisers)."""
    assembly = _assembly(slug)
    application = services.application_of(db.session, assembly, application_id)
    if application.submitted_by_id != g.api_user.id and not has_event_role(
        g.api_user, assembly.event, ("organiser",)
    ):
        abort(404, _("There is no such application."))
    file = args["file"]
    document = services.add_document(
        db.session,
        application,
        services.Upload(args["kind"], file.filename or "document.pdf", _read(file)),
        **_upload_settings(),
    )
    db.session.commit()
    return document


@blp.route("/applications/<int:application_id>/review", methods=["POST"])
@token_required
@blp.arguments(ReviewSchema)
@blp.response(200, ApplicationSchema)
def review_application(args: dict, slug: str, application_id: int):
    """The board's finding: complete or incomplete, with a comment (organisers)."""
    application = _organisers(services.application_of, slug, application_id)
    services.review_application(db.session, application, actor_id=g.api_user.id, **args)
    db.session.commit()
    return application


@blp.route("/applications/<int:application_id>/agenda", methods=["POST"])
@token_required
@blp.response(201, MotionSchema)
def put_on_agenda(slug: str, application_id: int):
    """Put a complete application on the agenda as an admission motion (organisers)."""
    application = _organisers(services.application_of, slug, application_id)
    motion = services.put_on_agenda(db.session, application, actor_id=g.api_user.id)
    db.session.commit()
    return motion


@blp.route("/motions")
@token_required
@blp.response(200, MotionSchema(many=True))
def list_motions(slug: str):
    """The agenda: motions with their polls."""
    return _assembly(slug).motions


@blp.route("/motions", methods=["POST"])
@token_required
@blp.arguments(MotionSchema)
@blp.response(201, MotionSchema)
def create_motion(args: dict, slug: str):
    """Add a motion to the agenda (organisers)."""
    assembly = _assembly(slug, organiser=True)
    motion = services.create_motion(db.session, assembly, **args)
    db.session.commit()
    return motion


@blp.route("/motions/<int:motion_id>/polls", methods=["POST"])
@token_required
@blp.arguments(PollCreateSchema)
@blp.response(201, PollSchema)
def create_poll(args: dict, slug: str, motion_id: int):
    """Prepare a poll on a motion (organisers)."""
    motion = _organisers(services.motion_of, slug, motion_id)
    args["majority_rule"] = args.pop("majority")
    poll = services.create_poll(db.session, motion, **args)
    db.session.commit()
    return poll


@blp.route("/polls/<int:poll_id>")
@token_required
@blp.response(200, PollSchema)
def get_poll(slug: str, poll_id: int):
    """A poll: while open, how many have voted; once closed, the result and the decision."""
    return services.poll_of(db.session, _assembly(slug), poll_id)


@blp.route("/polls/<int:poll_id>/<any(open, close):action>", methods=["POST"])
@token_required
@blp.response(200, PollSchema)
def open_or_close_poll(slug: str, poll_id: int, action: str):
    """Open a prepared poll, or close an open one and fix its result (organisers)."""
    poll = _organisers(services.poll_of, slug, poll_id)
    if action == "open":
        services.open_poll(
            db.session, poll, upload_dir=current_app.config["UPLOAD_DIR"], actor_id=g.api_user.id
        )
    else:
        poll = services.close_poll(db.session, poll.id, actor_id=g.api_user.id)
    db.session.commit()
    return poll


@blp.route("/polls/<int:poll_id>/annul", methods=["POST"])
@token_required
@blp.arguments(AnnulSchema)
@blp.response(200, PollSchema)
def annul_poll(args: dict, slug: str, poll_id: int):
    """Annul a poll opened by mistake; it stays in the record (organisers)."""
    poll = _organisers(services.poll_of, slug, poll_id)
    poll = services.annul_poll(db.session, poll, args["reason"], actor_id=g.api_user.id)
    db.session.commit()
    return poll


def _token_checked_by_the_vote(view: Any) -> Any:
    """The vote's own statement resolves the bearer token (one round trip less on the hottest
    request); a request without a token is refused here, an unknown or revoked one when the
    vote finds no voter (see cast_vote). Same access rule as token_required."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if bearer_token() is None:
            return unauthorized_response()
        return view(*args, **kwargs)

    wrapper.access_rule = "api"  # type: ignore[attr-defined]
    return wrapper


@blp.route("/polls/<int:poll_id>/votes", methods=["POST"])
@_token_checked_by_the_vote
@blp.arguments(VoteSchema)
@blp.response(201, VoteResultSchema)
def cast_vote(args: dict, slug: str, poll_id: int):
    """Cast a vote for every voting right you exercise now (or those listed). Returns one
    receipt per unit of voting weight in a secret poll, one per right in a named one; keep them
    to check the published ballots after the close."""
    digest = token_digest(bearer_token() or "")
    try:
        receipts = services.cast_vote(
            db.session,
            poll_id,
            None,
            args["choices"],
            args["rights"],
            event_slug=slug,
            token_digest=digest,
        )
    except ServiceError:
        db.session.rollback()
        if authenticate_bearer() is None:  # no voter found because the token is not valid
            return unauthorized_response()
        raise
    db.session.commit()
    # Written directly (the schema above documents it): the busiest answer of the Assembly.
    rows = [{"member": r.member, "receipt": r.receipt, "right_id": r.right_id} for r in receipts]
    return jsonify(receipts=rows), 201


@blp.route("/polls/<int:poll_id>/ballots")
@token_required
@blp.response(200, BallotListSchema)
def ballots(slug: str, poll_id: int):
    """After the close: every ballot as (receipt, choice, weight); named polls add the member."""
    poll = services.poll_of(db.session, _assembly(slug), poll_id)
    return {"decision": poll.decision, "ballots": services.published_ballots(db.session, poll)}
