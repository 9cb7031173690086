from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from eventsys.db import utcnow
from eventsys.events.enums import RoleName
from eventsys.events.services import grant_role
from eventsys.extensions import db
from eventsys.proposals import services
from eventsys.proposals.services import CallData, ProposalData


@pytest.fixture
def organiser(factory):
    return factory.user(name="Olga Organiser")


@pytest.fixture
def event(factory, organiser):
    return factory.event("cascais-test", organiser=organiser, timezone="Europe/Lisbon")


def call_data(**kw: Any) -> CallData:
    kw.setdefault("deadline", utcnow() + timedelta(days=10))
    kw.setdefault("formats", ["workshop", "panel", "side_event", "poster"])
    kw.setdefault("tracks", ["Energy", "Adaptation"])
    kw.setdefault("languages", ["en", "pt"])
    kw.setdefault("questions", ["Who is the audience?"])
    kw.setdefault("criteria", ["Relevance", "Quality"])
    kw.setdefault("max_organisations", 2)
    kw.setdefault("max_speakers", 2)
    return CallData(**kw)


@pytest.fixture
def call(event):
    return services.save_call(db.session, event, call_data())


def proposal_data(**kw: Any) -> ProposalData:
    kw.setdefault(
        "texts",
        {
            "en": {"title": "Solar cooperatives", "abstract": "How towns share rooftops."},
            "pt": {"title": "Cooperativas solares", "abstract": "Como as vilas partilham."},
        },
    )
    kw.setdefault("format", "workshop")
    kw.setdefault("track", "Energy")
    kw.setdefault("session_language", "en")
    kw.setdefault("organisation_name", "Município de Almada")
    kw.setdefault("speakers", [{"email": "speaker@example.org", "name": "Sara Speaker"}])
    return ProposalData(**kw)


@pytest.fixture
def submitter(factory):
    return factory.user(name="Sofia Submitter")


@pytest.fixture
def proposal(call, submitter):
    return services.submit(db.session, call, submitter, proposal_data())


@pytest.fixture
def reviewer(factory, event):
    user = factory.user(name="Rui Reviewer")
    grant_role(db.session, event, user, RoleName.REVIEWER)
    return user
