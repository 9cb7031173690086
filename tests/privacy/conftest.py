from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import JSON, String, Text, select

from eventsys.db import utcnow
from eventsys.declarations import services as declarations
from eventsys.events.enums import QuestionKind
from eventsys.events.models import Question
from eventsys.extensions import db


@dataclass
class Person:
    user: object
    values: list[str]  # every personal value this person entered somewhere


@pytest.fixture
def person(factory):
    """A person with an account, two registrations (one past, one coming), an answer, a
    signature and mails: personal values everywhere the product stores them."""
    values = {
        "name": "Гульнара Жаксыбекова-Ωmega",
        "latin": "Gulnara Zhaksybekova-Omega",
        "email": "gulnara.unique7@example.org",
        "organisation": "Қазақ Экожелі Unique Org",
        "answer": "Allergic to peanuts, secret-answer-42",
        "api_token_name": "my phone token Ωmega",
    }
    user = factory.user(values["email"], name=values["name"], latin_name=values["latin"])
    from eventsys.accounts.services import create_api_token

    create_api_token(db.session, user, values["api_token_name"])
    past = factory.event(starts_at=utcnow() - timedelta(days=60))
    coming = factory.event(capacity=1)
    question = Question(event=coming, label="Dietary needs", kind=QuestionKind.TEXT)
    db.session.add(question)
    db.session.flush()
    for event in (past, coming):
        factory.registration(
            event,
            user=user,
            latin_name=values["latin"],
            organisation_name=values["organisation"],
            country="KZ",
            visibility="public",
            answers={str(question.id): values["answer"]} if event is coming else {},
        )
    declaration = factory.declaration(past, slug="baku")
    declarations.sign(
        db.session,
        declaration,
        declarations.SignData(
            kind="person",
            display_name=values["name"],
            organisation_name=values["organisation"],
            country="KZ",
            is_public=True,
        ),
        user=user,
    )
    _apply_for_membership(past, user, values)
    db.session.commit()
    return Person(user=user, values=list(values.values()))


def _apply_for_membership(event, user, values: dict[str, str]) -> None:
    """The person typed their name and address into a network's membership application."""
    from eventsys.assembly.models import Assembly, MembershipApplication
    from eventsys.organisations.models import Organisation, OrganisationKind

    network = Organisation(name="Test Network", kind=OrganisationKind.NETWORK, country="DE")
    applicant = Organisation(
        name="Applicant Town", kind=OrganisationKind.MUNICIPALITY, country="KZ"
    )
    assembly = Assembly(
        event=event, network=network, title="General Assembly", held_on=utcnow().date()
    )
    db.session.add_all([network, applicant, assembly])
    db.session.flush()
    db.session.add(
        MembershipApplication(
            assembly=assembly,
            organisation=applicant,
            submitted_by_id=user.id,
            contact_name=values["name"],
            contact_email=values["email"],
        )
    )


def personal_values_left(values: list[str]) -> list[tuple[str, str, str]]:
    """(table, column, value) for every string or JSON cell anywhere in the database that still
    holds one of the values (case-blind)."""
    needles = [v.casefold() for v in values]
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for column, cell in zip(columns, row, strict=True):
                if cell is None:
                    continue
                text = cell if isinstance(cell, str) else json.dumps(cell, ensure_ascii=False)
                for needle in needles:
                    if needle in text.casefold():
                        found.append((table.name, column.name, needle))
    return found
