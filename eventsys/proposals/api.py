"""Proposals through /api/v1/events/{slug}/proposals: organisers and reviewers list them,
submitters write, change and withdraw their own; reviewers score them."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import gettext as _
from marshmallow import fields, validate

from eventsys.accounts.models import User
from eventsys.api.core import api_blueprint, event_for, token_required
from eventsys.api.schema import Schema
from eventsys.errors import Forbidden, NotFound
from eventsys.events.access import has_event_role
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.proposals import reviews, services
from eventsys.proposals.models import FORMATS, Call, Proposal

blp = api_blueprint(
    "api_proposals",
    __name__,
    "/events",
    "Calls for proposals: proposals, their speakers and reviews.",
)


class ProposalTextSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(max=300))
    abstract = fields.String(required=True, validate=validate.Length(max=5000))


class ProposalOrganisationArgs(Schema):
    organisation_id = fields.Integer(load_default=None, allow_none=True)
    name = fields.String(load_default="", validate=validate.Length(max=300))


class ProposalSpeakerArgs(Schema):
    email = fields.String(required=True, validate=validate.Length(max=254))
    name = fields.String(load_default="", validate=validate.Length(max=200))


class ProposalArgs(Schema):
    texts = fields.Dict(
        keys=fields.String(validate=validate.Length(max=10)),
        values=fields.Nested(ProposalTextSchema),
        required=True,
        metadata={"description": 'Per language: {"en": {"title": ..., "abstract": ...}}'},
    )
    format = fields.String(required=True, validate=validate.OneOf(FORMATS))
    track = fields.String(load_default="")
    session_language = fields.String(required=True)
    organisation_id = fields.Integer(load_default=None, allow_none=True)
    organisation_name = fields.String(load_default="", validate=validate.Length(max=300))
    co_organisers = fields.List(fields.Nested(ProposalOrganisationArgs), load_default=list)
    speakers = fields.List(fields.Nested(ProposalSpeakerArgs), load_default=list)
    answers = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)


class ProposalSpeakerSchema(Schema):
    name = fields.String()
    email = fields.String()
    status = fields.String()


class ProposalSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    texts = fields.Dict()
    title = fields.String()
    format = fields.String()
    track = fields.String()
    session_language = fields.String()
    submitter = fields.String(
        allow_none=True, metadata={"description": "Null under anonymous review."}
    )
    organisation = fields.String(allow_none=True)
    co_organisers = fields.List(fields.String())
    speakers = fields.List(fields.Nested(ProposalSpeakerSchema))
    answers = fields.Dict()
    reviews = fields.Integer(allow_none=True, metadata={"description": "Organisers only."})
    mean_score = fields.Float(allow_none=True, metadata={"description": "Organisers only."})
    score_low = fields.Float(allow_none=True)
    score_high = fields.Float(allow_none=True)
    score_stdev = fields.Float(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ProposalReviewArgs(Schema):
    scores = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        required=True,
        metadata={"description": "Each of the call's criteria: a whole number from 0 to 5."},
    )
    comment = fields.String(load_default="", validate=validate.Length(max=5000))


class ProposalReviewSchema(Schema):
    id = fields.Integer()
    proposal_id = fields.Integer()
    reviewer = fields.String(allow_none=True, metadata={"description": "Organisers only."})
    scores = fields.Dict()
    comment = fields.String()
    mean = fields.Float(allow_none=True)
    updated_at = fields.DateTime()


def _call(slug: str) -> tuple[Event, Call]:
    event = event_for(slug)
    return event, services.require_call(db.session, event)


def _is_organiser(event: Event) -> bool:
    return has_event_role(g.api_user, event, ("organiser",))


def _is_reviewer(event: Event) -> bool:
    return has_event_role(g.api_user, event, ("reviewer",))


def _dump(proposal: Proposal, *, organiser: bool, anonymous: bool) -> dict[str, Any]:
    names = reviews.visible_names(proposal, anonymous=anonymous)
    speakers = (
        []
        if anonymous
        else [
            {"name": s.name, "email": s.email, "status": s.status.value} for s in proposal.speakers
        ]
    )
    body: dict[str, Any] = {
        "id": proposal.id,
        "status": proposal.status.value,
        "texts": proposal.texts,
        "title": proposal.title,
        "format": proposal.format,
        "track": proposal.track,
        "session_language": proposal.session_language,
        "submitter": names["submitter"],
        "organisation": names["organisation"],
        "co_organisers": names["co_organisers"],
        "speakers": speakers,
        "answers": proposal.answers,
        "created_at": proposal.created_at,
        "updated_at": proposal.updated_at,
    }
    if organiser:
        (entry,) = reviews.ranking([proposal])
        body.update(
            reviews=entry.reviews,
            mean_score=entry.mean,
            score_low=entry.low,
            score_high=entry.high,
            score_stdev=entry.stdev,
        )
    return body


def _readable(event: Event, call: Call, proposal_id: int) -> tuple[Proposal, dict[str, Any]]:
    """The proposal and how to show it to this user; 404 for anyone it is not for."""
    proposal = services.proposal_of_call(db.session, call, proposal_id)
    user = g.api_user
    if _is_organiser(event):
        return proposal, {"organiser": True, "anonymous": False}
    if proposal.submitter_id == user.id:
        return proposal, {"organiser": False, "anonymous": False}
    if _is_reviewer(event) and reviews.reviewable(db.session, [proposal], user):
        return proposal, {"organiser": False, "anonymous": call.anonymous_review}
    raise NotFound(_("There is no such proposal."))


def _data(args: dict[str, Any]) -> services.ProposalData:
    return services.ProposalData(
        texts=args["texts"],
        format=args["format"],
        track=args.get("track") or "",
        session_language=args["session_language"],
        organisation_id=args.get("organisation_id"),
        organisation_name=args.get("organisation_name") or "",
        co_organisers=args.get("co_organisers") or [],
        speakers=args.get("speakers") or [],
        answers=args.get("answers") or {},
    )


@blp.route("/<slug>/proposals")
@token_required
@blp.response(200, ProposalSchema(many=True))
def list_proposals(slug: str):
    """Organisers: every proposal, ranked by mean score. Reviewers: those they may review (not
    their organisation's), without names under anonymous review. Others: their own."""
    event, call = _call(slug)
    user = g.api_user
    if _is_organiser(event):
        ranked = reviews.ranking(services.proposals_of_call(db.session, call, with_withdrawn=True))
        return [_dump(r.proposal, organiser=True, anonymous=False) for r in ranked]
    own = services.proposals_of_user(db.session, call, user)
    result = [_dump(p, organiser=False, anonymous=False) for p in own]
    if _is_reviewer(event):
        others = reviews.reviewable(db.session, services.proposals_of_call(db.session, call), user)
        result += [_dump(p, organiser=False, anonymous=call.anonymous_review) for p in others]
    return result


@blp.route("/<slug>/proposals", methods=["POST"])
@token_required
@blp.arguments(ProposalArgs)
@blp.response(201, ProposalSchema)
def create_proposal(args: dict, slug: str):
    """Send a proposal before the deadline (409 `call_closed` after it). Each speaker is
    invited by e-mail to confirm."""
    _, call = _call(slug)
    proposal = services.submit(db.session, call, g.api_user, _data(args))
    db.session.commit()
    return _dump(proposal, organiser=False, anonymous=False)


@blp.route("/<slug>/proposals/<int:proposal_id>")
@token_required
@blp.response(200, ProposalSchema)
def get_proposal(slug: str, proposal_id: int):
    """One proposal, for its submitter, the organisers and reviewers who may review it."""
    event, call = _call(slug)
    proposal, how = _readable(event, call, proposal_id)
    return _dump(proposal, **how)


def _own(slug: str, proposal_id: int) -> Proposal:
    _, call = _call(slug)
    return services.own_proposal(db.session, call, g.api_user, proposal_id)


@blp.route("/<slug>/proposals/<int:proposal_id>", methods=["PUT"])
@token_required
@blp.arguments(ProposalArgs)
@blp.response(200, ProposalSchema)
def update_proposal(args: dict, slug: str, proposal_id: int):
    """Replace one's own proposal, until the deadline (409 `call_closed` after it)."""
    proposal = services.update(db.session, _own(slug, proposal_id), _data(args))
    db.session.commit()
    return _dump(proposal, organiser=False, anonymous=False)


@blp.route("/<slug>/proposals/<int:proposal_id>", methods=["DELETE"])
@token_required
@blp.response(200, ProposalSchema)
def delete_proposal(slug: str, proposal_id: int):
    """Withdraw one's own proposal (it stays, marked withdrawn), any time before a decision."""
    proposal = services.withdraw(db.session, _own(slug, proposal_id))
    db.session.commit()
    return _dump(proposal, organiser=False, anonymous=False)


@blp.route("/<slug>/proposals/<int:proposal_id>/withdraw", methods=["POST"])
@token_required
@blp.response(200, ProposalSchema)
def withdraw_proposal(slug: str, proposal_id: int):
    """The same as DELETE, for clients that cannot send it."""
    proposal = services.withdraw(db.session, _own(slug, proposal_id))
    db.session.commit()
    return _dump(proposal, organiser=False, anonymous=False)


def _review_dump(review: Any, *, organiser: bool) -> dict[str, Any]:
    reviewer = db.session.get(User, review.reviewer_id) if organiser else None
    return {
        "id": review.id,
        "proposal_id": review.proposal_id,
        "reviewer": reviewer.display_name if reviewer else None,
        "scores": review.scores,
        "comment": review.comment,
        "mean": review.mean,
        "updated_at": review.updated_at,
    }


@blp.route("/<slug>/proposals/<int:proposal_id>/reviews")
@token_required
@blp.response(200, ProposalReviewSchema(many=True))
def list_reviews(slug: str, proposal_id: int):
    """Organisers: every review. Reviewers: their own. Nobody else."""
    event, call = _call(slug)
    proposal = services.proposal_of_call(db.session, call, proposal_id)
    if _is_organiser(event):
        return [_review_dump(r, organiser=True) for r in proposal.reviews]
    if _is_reviewer(event):
        reviews.ensure_may_review(db.session, proposal, g.api_user)
        own = reviews.own_review(db.session, proposal, g.api_user)
        return [_review_dump(own, organiser=False)] if own else []
    raise Forbidden(_("Only the event's organisers and reviewers see reviews."))


@blp.route("/<slug>/proposals/<int:proposal_id>/reviews", methods=["POST"])
@token_required
@blp.arguments(ProposalReviewArgs)
@blp.response(200, ProposalReviewSchema)
def save_review(args: dict, slug: str, proposal_id: int):
    """Create or replace one's own review (reviewers; 403 `conflict_of_interest` for a proposal
    of their own organisation)."""
    event, call = _call(slug)
    if not _is_reviewer(event):
        raise Forbidden(_("Only the event's reviewers score proposals."))
    proposal = services.proposal_of_call(db.session, call, proposal_id)
    review = reviews.save_review(db.session, proposal, g.api_user, args["scores"], args["comment"])
    db.session.commit()
    return _review_dump(review, organiser=False)
