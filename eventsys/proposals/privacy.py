"""What the proposals area holds about a person, and how it forgets them.

A deleted submitter's proposals stay (the programme may hold them) but name nobody; a speaker's
profile is emptied. Reviews keep their scores, tied to the anonymised account.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.proposals.models import Proposal, ProposalSpeaker, Review


def _speakers_of(session: Session, user: Any) -> list[ProposalSpeaker]:
    # An address counts as the person's only once confirmed (as for signatures).
    mine = ProposalSpeaker.user_id == user.id
    if user.email_confirmed_at is not None:
        mine = mine | (ProposalSpeaker.email == user.email.lower())
    return list(session.execute(select(ProposalSpeaker).where(mine)).scalars())


def _proposals_of(session: Session, user: Any) -> list[Proposal]:
    return list(
        session.execute(
            select(Proposal).where(Proposal.submitter_id == user.id).order_by(Proposal.id)
        ).scalars()
    )


def export_proposals(session: Session, user: Any) -> dict[str, Any]:
    reviews = session.execute(select(Review).where(Review.reviewer_id == user.id)).scalars()
    return {
        "submitted": [
            {
                "event": p.call.event.slug,
                "texts": p.texts,
                "format": p.format,
                "organisation": p.organisation_name,
                "co_organisers": [c["name"] for c in p.co_organisers or []],
                "answers": p.answers,
                "status": p.status.value,
                "created_at": p.created_at,
            }
            for p in _proposals_of(session, user)
        ],
        "speaker_of": [
            {
                "proposal": s.proposal.title,
                "name": s.name,
                "email": s.email,
                "organisation": s.organisation,
                "bio": s.bio,
                "status": s.status.value,
            }
            for s in _speakers_of(session, user)
        ],
        "reviews": [
            {"proposal_id": r.proposal_id, "scores": r.scores, "comment": r.comment}
            for r in reviews
        ],
    }


def erase_proposals(session: Session, user: Any) -> int:
    proposals = _proposals_of(session, user)
    for proposal in proposals:
        proposal.submitter_id = None
        proposal.submitter_name = ""
        if proposal.organisation_id is None:
            proposal.organisation_name = ""  # typed by the person
    speakers = _speakers_of(session, user)
    for speaker in speakers:
        speaker.name, speaker.organisation, speaker.bio = "", "", ""
        speaker.email = f"erased:{speaker.id}"  # unique within the proposal, naming nobody
        speaker.user_id = None
    session.flush()
    return len(proposals) + len(speakers)
