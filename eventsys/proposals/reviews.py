"""Reviews: who may review what (conflicts of interest), scores, anonymity and the ranking."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.errors import Conflict, Forbidden, ServiceError
from eventsys.proposals.models import Proposal, ProposalStatus, Review
from eventsys.registration.models import Registration

MIN_SCORE, MAX_SCORE = 0, 5
MAX_COMMENT = 5000


def organisation_keys(organisation_id: int | None, name: str | None) -> set[str]:
    """Keys that match one organisation whether it was picked from the list or typed in."""
    keys = set()
    if organisation_id is not None:
        keys.add(f"id:{organisation_id}")
    if name and name.strip():
        keys.add("name:" + " ".join(name.casefold().split()))
    return keys


def proposal_organisations(proposal: Proposal) -> set[str]:
    keys = organisation_keys(proposal.organisation_id, proposal.organisation_name)
    for item in proposal.co_organisers or []:
        keys |= organisation_keys(item.get("organisation_id"), item.get("name"))
    return keys


def reviewer_organisations(session: Session, user: User) -> set[str]:
    """The organisations a person registered for, at any event: who they work for."""
    rows = session.execute(
        select(Registration.organisation_id, Registration.organisation_name).where(
            Registration.user_id == user.id
        )
    ).all()
    keys: set[str] = set()
    for organisation_id, name in rows:
        keys |= organisation_keys(organisation_id, name)
    return keys


def has_conflict(proposal: Proposal, user: User, own_organisations: set[str]) -> bool:
    """A reviewer never judges their own proposal, one they speak in, or one of their
    organisation (as the submitter's organisation or a co-organiser)."""
    if proposal.submitter_id == user.id:
        return True
    if any(s.user_id == user.id or s.email == user.email.lower() for s in proposal.speakers):
        return True
    return bool(own_organisations & proposal_organisations(proposal))


def reviewable(session: Session, proposals: Iterable[Proposal], user: User) -> list[Proposal]:
    own = reviewer_organisations(session, user)
    return [
        p
        for p in proposals
        if p.status != ProposalStatus.WITHDRAWN and not has_conflict(p, user, own)
    ]


def ensure_may_review(session: Session, proposal: Proposal, user: User) -> None:
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise Conflict(_("This proposal was withdrawn."))
    if has_conflict(proposal, user, reviewer_organisations(session, user)):
        raise Forbidden(
            _("You cannot review this proposal: it comes from you or your organisation."),
            code="conflict_of_interest",
        )


def check_scores(criteria: list[str], scores: dict[str, Any]) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for criterion in criteria:
        value = (scores or {}).get(criterion)
        if value is None or value == "":
            raise ServiceError(
                _("Please score “%(criterion)s”.", criterion=criterion), field="scores"
            )
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if not MIN_SCORE <= number <= MAX_SCORE or str(value).strip() not in (str(number),):
            raise ServiceError(_("Scores are whole numbers from 0 to 5."), field="scores")
        cleaned[criterion] = number
    unknown = set(scores or {}) - set(criteria)
    if unknown:
        raise ServiceError(_("This call has no criterion of that name."), field="scores")
    return cleaned


def own_review(session: Session, proposal: Proposal, user: User) -> Review | None:
    return session.execute(
        select(Review).where(Review.proposal_id == proposal.id, Review.reviewer_id == user.id)
    ).scalar_one_or_none()


def save_review(
    session: Session, proposal: Proposal, user: User, scores: dict[str, Any], comment: str
) -> Review:
    """Create or replace the reviewer's one review of this proposal."""
    ensure_may_review(session, proposal, user)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise Conflict(_("A decision was made on this proposal; reviews are closed."))
    cleaned = check_scores(proposal.call.criteria, scores)
    if len(comment or "") > MAX_COMMENT:
        raise ServiceError(_("Please keep the comment under 5000 characters."), field="comment")
    review = own_review(session, proposal, user) or Review(
        proposal_id=proposal.id, reviewer_id=user.id
    )
    review.scores, review.comment = cleaned, (comment or "").strip()
    session.add(review)
    session.flush()
    return review


@dataclass(frozen=True)
class Ranked:
    proposal: Any
    reviews: int
    mean: float | None
    low: float | None
    high: float | None
    stdev: float | None


def rank(entries: Iterable[tuple[Any, list[float]]]) -> list[Ranked]:
    """Pure: each proposal with the mean of its reviewers' mean scores and their spread, best
    first; unreviewed ones last, in the order given."""
    ranked = []
    for proposal, means in entries:
        if means:
            mean = statistics.fmean(means)
            stdev = statistics.pstdev(means) if len(means) > 1 else 0.0
            ranked.append(Ranked(proposal, len(means), mean, min(means), max(means), stdev))
        else:
            ranked.append(Ranked(proposal, 0, None, None, None, None))
    return sorted(ranked, key=lambda r: (r.mean is None, -(r.mean or 0.0)))


def ranking(proposals: list[Proposal]) -> list[Ranked]:
    return rank((p, [r.mean for r in p.reviews if r.mean is not None]) for p in proposals)


def visible_names(proposal: Proposal, *, anonymous: bool) -> dict[str, Any]:
    """What a reviewer sees of who proposes: nothing under anonymous review."""
    if anonymous:
        return {"submitter": None, "organisation": None, "co_organisers": [], "speakers": []}
    return {
        "submitter": proposal.submitter_name,
        "organisation": proposal.organisation_name,
        "co_organisers": [c["name"] for c in proposal.co_organisers or []],
        "speakers": [s.name or s.email for s in proposal.speakers],
    }
