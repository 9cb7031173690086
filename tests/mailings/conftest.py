"""An event with an organiser, languages en (default) and pt, and helpers for people."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventsys.db import utcnow
from eventsys.extensions import db
from eventsys.mailings import services
from eventsys.mailings.filters import MailingFilters
from eventsys.programme.models import ProgrammeSession, SessionKind, SignUp, SignUpStatus


@pytest.fixture
def organiser(factory):
    return factory.user(name="Olga Organiser")


@pytest.fixture
def event(factory, organiser):
    network = factory.organisation("Climate Alliance", kind="network", country="DE")
    return factory.event(
        organiser=organiser, languages=["en", "pt"], host_organisation_id=network.id
    )


@pytest.fixture
def workshop(event):
    start = utcnow() + timedelta(days=31)
    row = ProgrammeSession(
        event_id=event.id,
        kind=SessionKind.WORKSHOP,
        title="Heat maps",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        signup_required=True,
    )
    db.session.add(row)
    db.session.flush()
    return row


def sign_up(workshop, registration, status=SignUpStatus.CONFIRMED):
    db.session.add(SignUp(session_id=workshop.id, registration_id=registration.id, status=status))
    db.session.flush()


def draft(event, *, kind="registration", filters=None, translations=None, **text):
    return services.create_mailing(
        db.session,
        event,
        services.MailingData(
            kind=kind,
            subject=text.get("subject", "Practical information"),
            body=text.get("body", "Dear {name},\n\nyour page: {registration_link}"),
            filters=filters or MailingFilters(),
            translations=translations or {},
        ),
    )
