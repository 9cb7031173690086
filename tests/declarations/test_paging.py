"""A declaration with thousands of signatures stays a page, not a 250 KB wall: the organiser's
list and the public list of signatories come a hundred at a time."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import insert, select

from eventsys.accounts.models import User
from eventsys.db import utcnow
from eventsys.declarations.models import Signature, SignatureKind, SignatureStatus
from eventsys.events.enums import RoleName
from eventsys.events.models import EventRole
from eventsys.extensions import db

MANY = 250


def add_signatures(declaration, n: int = MANY, hidden: int = 5) -> None:
    start = utcnow() - timedelta(days=1)
    db.session.execute(
        insert(Signature),
        [
            {"declaration_id": declaration.id, "kind": SignatureKind.PERSON,
             "signer_key": f"person:{k}", "status": SignatureStatus.CONFIRMED,
             "display_name": f"Signer {k:04d}", "email": f"s{k}@example.org", "country": "AZ",
             "is_public": k >= hidden, "created_at": start + timedelta(seconds=k),
             "confirmed_at": start + timedelta(seconds=k)}
            for k in range(n)
        ],
    )  # fmt: skip
    db.session.commit()


def names(page: str) -> list[str]:
    return re.findall(r"Signer \d{4}", page)


def test_the_organisers_list_comes_in_pages(client, login, factory, event, declaration):
    add_signatures(declaration)
    login(organiser_of(event))
    url = f"/events/{event.slug}/manage/declarations/{declaration.slug}/signatures"
    first = client.get(url).get_data(as_text=True)
    assert names(first) == [f"Signer {k:04d}" for k in range(100)]
    assert "Page 1 of 3" in first and "page=2" in first
    last = client.get(f"{url}?page=3").get_data(as_text=True)
    assert names(last) == [f"Signer {k:04d}" for k in range(200, MANY)]
    assert "250 confirmed signatures" in last
    assert names(client.get(f"{url}?page=99").get_data(as_text=True)) == names(last)
    assert names(client.get(f"{url}?page=x").get_data(as_text=True)) == names(first)


def test_the_public_list_of_signatories_comes_in_pages(client, event, declaration):
    add_signatures(declaration)
    url = f"/events/{event.slug}/declarations/{declaration.slug}"
    first = client.get(url).get_data(as_text=True)
    assert names(first) == [f"Signer {k:04d}" for k in range(5, 105)]
    assert "and 5 more who asked not to be named" in first
    last = client.get(f"{url}?page=3").get_data(as_text=True)
    assert names(last) == [f"Signer {k:04d}" for k in range(205, MANY)]
    assert "Page 3 of 3" in last


def organiser_of(event) -> User:
    role = db.session.execute(
        select(EventRole).where(
            EventRole.event_id == event.id, EventRole.role == RoleName.ORGANISER
        )
    ).scalar_one()
    return db.session.get(User, role.user_id)


def test_the_country_list_renders_as_wtforms_would(app, declaration):
    from wtforms import widgets

    from eventsys.declarations.forms import CountrySelect, sign_form

    with app.test_request_context():
        for locale, chosen in (("en", None), ("en", ""), ("pt", "AZ"), ("ru", "BR")):
            form = sign_form(declaration, locale, meta={"csrf": False})
            form.country.data = chosen
            extra = {"class": "wide", "aria-invalid": "true"}
            assert CountrySelect()(form.country, **extra) == widgets.Select()(
                form.country, **extra
            ), (locale, chosen)
