from __future__ import annotations

from dataclasses import dataclass

import pytest

from eventsys.events.enums import QuestionKind
from eventsys.events.models import Event, Question
from eventsys.extensions import db
from eventsys.registration.models import Registration

NAMES = [
    ("Rauf Ələkbərov", "Rauf Alakbarov", "AZ", "Bakı Şəhər İcra Hakimiyyəti"),
    ("Анна Пашковская", "Anna Pashkovskaya", "RU", "Экологический союз"),
    ("Ioana Ștefănescu", None, "RO", "Primăria Sibiu"),
    ("Maria Conceição", None, "PT", "Câmara Municipal de Cascais"),
]


@dataclass
class Conference:
    event: Event
    organiser: object
    diet: Question
    workshops: Question
    people: list[Registration]


@pytest.fixture
def conference(factory) -> Conference:
    """An event with an organiser, two questions and four people with names in several scripts."""
    organiser = factory.user(name="Olga Organiser")
    event = factory.event(organiser=organiser, title="Climate Alliance Conference")
    diet = Question(
        event=event,
        label="Diet",
        kind=QuestionKind.SINGLE_CHOICE,
        options=["vegan", "vegetarian", "any"],
        position=1,
    )
    workshops = Question(
        event=event,
        label="Workshops",
        kind=QuestionKind.MULTIPLE_CHOICE,
        options=["Energy", "Mobility", "Adaptation"],
        position=2,
    )
    db.session.add_all([diet, workshops])
    db.session.flush()
    db.session.refresh(event)
    people = []
    for i, (name, latin, country, organisation) in enumerate(NAMES):
        people.append(
            factory.registration(
                event,
                email=f"attendee{i}@example.org",
                name=name,
                latin_name=latin,
                country=country,
                organisation_name=organisation,
                category="delegate" if i % 2 == 0 else "observer",
                answers={str(diet.id): "vegan", str(workshops.id): ["Energy", "Adaptation"]},
            )
        )
    db.session.commit()  # a view's rollback after a refused action must not undo the setup
    return Conference(event, organiser, diet, workshops, people)
