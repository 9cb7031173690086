from __future__ import annotations

import pytest

from eventsys.declarations.services import SignData


@pytest.fixture
def event(factory):
    return factory.event(
        "baku-side-event", organiser=factory.user(name="Organiser"), timezone="Asia/Baku"
    )


@pytest.fixture
def declaration(factory, event):
    return factory.declaration(event, slug="baku-declaration")


def person(name: str = "Leyla Məmmədova", country: str = "AZ", **kw) -> SignData:
    return SignData(kind="person", display_name=name, country=country, **kw)


def organisation(org: str = "Eco Union", country: str = "AZ", **kw) -> SignData:
    kw.setdefault("display_name", "Rashad Aliyev")
    return SignData(kind="organisation", organisation_name=org, country=country, **kw)
