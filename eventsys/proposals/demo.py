"""Demo calls: Cascais' closed call (40 proposals from member towns, three reviewers, the
accepted ones being the conference's workshops) and Baku's open call for side events."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.accounts.services import create_user, find_user_by_email
from eventsys.db import utcnow
from eventsys.demo import DEMO_PASSWORD, DEMO_REVIEWERS
from eventsys.events.enums import RoleName
from eventsys.events.services import grant_role
from eventsys.i18n import local_to_utc
from eventsys.programme.models import ProgrammeSession, SessionKind, Track, UnscheduledSession
from eventsys.proposals import reviews, services
from eventsys.proposals.models import Proposal, ProposalStatus, Review

CRITERIA = ["Relevance for towns", "Originality", "Feasibility"]
# Proposals the programme had no room for: twelve rejected, four on the waiting list.
NOT_TAKEN = (
    "Bicycle libraries for schools",
    "Climate clauses in public procurement",
    "Twinning towns across the Mediterranean",
    "Citizen assemblies on climate budgets",
    "Heat-proof school yards",
    "Composting in apartment blocks",
    "Street lighting retrofits with LEDs",
    "Car-sharing for municipal fleets",
    "Water reuse in public parks",
    "Climate education in libraries",
    "Solar panels on sports halls",
    "Local food in school canteens",
    "Wildfire preparedness for hill towns",
    "Flood warnings by text message",
    "Cooling centres for older people",
    "Tree planting with schools",
)
BAKU_IDEAS = (
    "South-South finance for adaptation in small towns",
    "Mountain communities and glacier loss",
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def _user(session: Session, email: str, name: str, password: str | None) -> User:
    found = find_user_by_email(session, email)
    return found or create_user(
        session,
        email=email,
        password=password,
        display_name=name,
        confirmed=True,
        enforce_password_policy=False,
    )


def load(session: Session, ctx: Any) -> None:
    reviewers = [_user(session, e, n, DEMO_PASSWORD) for e, n in DEMO_REVIEWERS]
    _cascais(session, ctx, reviewers)
    _baku(session, ctx, reviewers[0])


def _cascais(session: Session, ctx: Any, reviewers: list[User]) -> None:
    event = ctx.cascais
    rng = random.Random(40)
    tracks = [
        t.name
        for t in session.execute(
            select(Track).where(Track.event_id == event.id).order_by(Track.position)
        ).scalars()
    ]
    call = services.save_call(
        session,
        event,
        services.CallData(
            deadline=local_to_utc(datetime(2024, 7, 15, 23, 59), event.timezone),
            formats=["workshop", "panel", "poster"],
            tracks=tracks,
            languages=["en", "pt"],
            questions=["Which towns take part, and what have they done already?"],
            criteria=CRITERIA,
            max_organisations=3,
            max_speakers=4,
            anonymous_review=True,
            intro="Member towns propose the interactive workshops of the conference.",
        ),
    )
    for reviewer in reviewers:
        grant_role(session, event, reviewer, RoleName.REVIEWER)
    workshops = list(
        session.execute(
            select(ProgrammeSession)
            .where(
                ProgrammeSession.event_id == event.id, ProgrammeSession.kind == SessionKind.WORKSHOP
            )
            .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
        ).scalars()
    )
    towns = [m for m in ctx.members if m.kind.value == "municipality"]
    entries: list[tuple[str, str, Any]] = [
        (w.title, w.track.name if w.track else "", w) for w in workshops
    ]
    entries += [(title, rng.choice(tracks), None) for title in NOT_TAKEN]
    for number, (title, track, workshop) in enumerate(entries):
        town = towns[number % len(towns)]
        submitter = _user(
            session,
            f"proposals.{_slug(town.name)}.{number}@example.org",
            f"Climate officer, {town.name}",
            None,
        )
        proposal = Proposal(
            call_id=call.id,
            submitter_id=submitter.id,
            submitter_name=submitter.display_name,
            organisation_id=town.id,
            organisation_name=town.name,
            texts={
                "en": {
                    "title": title,
                    "abstract": f"{town.name} shares what worked: {title.lower()}.",
                }
            },
            format="poster" if workshop is None and number % 5 == 0 else "workshop",
            track=track,
            session_language="en" if number % 3 else "pt",
            co_organisers=[
                {
                    "organisation_id": towns[(number + 7) % len(towns)].id,
                    "name": towns[(number + 7) % len(towns)].name,
                }
            ],
            answers={call.questions[0]: f"{town.name} and two neighbouring towns."},
            created_at=call.deadline - timedelta(days=rng.randint(1, 40)),
        )
        proposal.call = call
        session.add(proposal)
        session.flush()
        quality = 4 if workshop is not None else (3 if number - len(workshops) < 4 else 2)
        _reviews(session, proposal, reviewers, rng, quality)
        _decide(session, proposal, workshop, number - len(workshops))
    session.flush()


def _reviews(
    session: Session, proposal: Proposal, reviewers: list[User], rng: random.Random, quality: int
) -> None:
    for reviewer in reviewers:
        if reviews.has_conflict(
            proposal, reviewer, reviews.reviewer_organisations(session, reviewer)
        ):
            continue
        scores = {c: max(0, min(5, quality + rng.randint(-1, 1))) for c in CRITERIA}
        session.add(
            Review(proposal_id=proposal.id, reviewer_id=reviewer.id, scores=scores, comment="")
        )


def _decide(
    session: Session, proposal: Proposal, workshop: ProgrammeSession | None, rest: int
) -> None:
    """The workshops of the programme are the accepted proposals; no mails for the demo."""
    proposal.decided_at = proposal.call.deadline + timedelta(days=14)
    if workshop is not None:
        proposal.status = ProposalStatus.ACCEPTED
        row = UnscheduledSession(
            event_id=workshop.event_id,
            kind=workshop.kind,
            title=workshop.title,
            description=workshop.description,
            language=workshop.language,
            track_id=workshop.track_id,
            speakers=[{"name": s.name, "user_id": s.user_id} for s in workshop.speakers],
            source=f"Proposal {proposal.id}",
            session_id=workshop.id,  # already placed in the timetable
        )
        session.add(row)
        session.flush()
        proposal.unscheduled_id = row.id
    elif rest < 4:
        proposal.status = ProposalStatus.WAITLISTED
    else:
        proposal.status = ProposalStatus.REJECTED


def _baku(session: Session, ctx: Any, reviewer: User) -> None:
    event = ctx.baku
    call = services.save_call(
        session,
        event,
        services.CallData(
            deadline=utcnow().replace(microsecond=0) + timedelta(days=60),
            formats=["side_event", "panel"],
            tracks=["Finance", "Adaptation", "Just transition"],
            languages=["en", "ru"],
            questions=["Which partners from the Global South take part?"],
            criteria=["Relevance", "South-South cooperation"],
            max_organisations=4,
            max_speakers=5,
            intro="Propose a side event of the South-South cooperation days.",
        ),
    )
    grant_role(session, event, reviewer, RoleName.REVIEWER)
    for title in BAKU_IDEAS:
        services.submit(
            session,
            call,
            ctx.participant,
            services.ProposalData(
                texts={
                    "en": {"title": title, "abstract": "Towns from three continents compare notes."}
                },
                format="side_event",
                track="Adaptation",
                session_language="en",
                organisation_name="Município de Cascais",
            ),
        )
