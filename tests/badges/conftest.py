from __future__ import annotations

import pytest

from eventsys.accounts.services import create_api_token
from eventsys.events.enums import RoleName
from eventsys.events.services import grant_role
from eventsys.extensions import db

# Names as the demo has them: Latin (with Portuguese and Romanian letters), Cyrillic,
# Azerbaijani (ə), Arabic and Devanagari.
NAMES = {
    "latin": ("Ana Conceição Simões", None),
    "romanian": ("Ștefan Țărână", None),
    "cyrillic": ("Алексей Петров", "Aleksei Petrov"),
    "azerbaijani": ("Məmməd Əliyev", "Mammad Aliyev"),
    "arabic": ("محمد عبد الله", "Mohammed Abdullah"),
    "devanagari": ("अनुष्का श्रीवास्तव", "Anushka Srivastava"),
}


@pytest.fixture
def organiser(factory):
    return factory.user(name="Olga Organiser")


@pytest.fixture
def event(factory, organiser):
    event = factory.event(title="Cascais Climate Conference", organiser=organiser)
    db.session.commit()  # a view's rollback goes back to here, not before (still undone after)
    return event


@pytest.fixture
def staff(factory, event):
    user = factory.user(name="Carla Checkin")
    grant_role(db.session, event, user, RoleName.CHECKIN)
    db.session.commit()
    return user


@pytest.fixture
def people(factory, event):
    """One confirmed registration per script, keyed like NAMES."""
    people = {
        key: factory.registration(
            event,
            name=name,
            latin_name=latin,
            organisation_name=f"Organisation {key}",
            country="PT",
        )
        for key, (name, latin) in NAMES.items()
    }
    db.session.commit()
    return people


@pytest.fixture
def api_token():
    def make(user) -> dict[str, str]:
        return {"Authorization": f"Bearer {create_api_token(db.session, user, 'test')}"}

    return make
