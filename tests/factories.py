"""Small factories: real rows through the services, with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from eventsys.accounts.models import User
from eventsys.accounts.services import create_user
from eventsys.db import utcnow
from eventsys.events.enums import RoleName
from eventsys.events.models import Event
from eventsys.events.services import create_event, grant_role
from eventsys.extensions import db
from eventsys.organisations.models import Organisation, OrganisationKind
from eventsys.registration import services as registration_services
from eventsys.registration.models import Registration

_seq = itertools.count(1)


class Factory:
    """Builds users, events and registrations in the test's session."""

    password = "correct horse battery"

    def user(
        self, email: str | None = None, *, name: str | None = None, admin: bool = False, **kw: Any
    ) -> User:
        n = next(_seq)
        user = create_user(
            db.session,
            email=email or f"person{n}@example.org",
            password=self.password,
            display_name=name or f"Person {n}",
            is_admin=admin,
            **kw,
        )
        user.email_confirmed_at = utcnow()
        return user

    def event(
        self,
        slug: str | None = None,
        *,
        organiser: User | None = None,
        starts_at: datetime | None = None,
        days: int = 3,
        **fields: Any,
    ) -> Event:
        n = next(_seq)
        starts_at = starts_at or (utcnow() + timedelta(days=30)).replace(microsecond=0)
        fields.setdefault("timezone", "Europe/Lisbon")
        fields.setdefault("is_published", True)
        fields.setdefault("city", "Cascais")
        fields.setdefault("venue_name", "Centro de Congressos")
        event = create_event(
            db.session,
            slug=slug or f"event-{n}",
            title=fields.pop("title", f"Conference {n}"),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(days=days),
            **fields,
        )
        if organiser is not None:
            grant_role(db.session, event, organiser, RoleName.ORGANISER)
        return event

    def organisation(
        self, name: str | None = None, *, kind: str = "municipality", country: str = "PT"
    ) -> Organisation:
        organisation = Organisation(
            name=name or f"Town {next(_seq)}", kind=OrganisationKind(kind), country=country
        )
        db.session.add(organisation)
        db.session.flush()
        return organisation

    def registration(
        self,
        event: Event,
        *,
        user: User | None = None,
        email: str | None = None,
        name: str | None = None,
        category: str = "delegate",
        organiser: bool = True,
        **fields: Any,
    ) -> Registration:
        category_row = next(c for c in event.categories if c.code == category)
        email = email or (user.email if user else f"guest{next(_seq)}@example.org")
        registration, _ = registration_services.register(
            db.session,
            event,
            registration_services.RegistrationData(
                email=email,
                display_name=name or (user.display_name if user else "Guest Person"),
                category_id=category_row.id,
                **fields,
            ),
            user=user,
            organiser=organiser,
        )
        return registration

    def declaration(
        self,
        event: Event,
        *,
        slug: str | None = None,
        opens_at: datetime | None = None,
        closes_at: datetime | None = None,
        **fields: Any,
    ) -> Any:
        from eventsys.declarations.services import DeclarationData, create_declaration

        now = utcnow().replace(microsecond=0)
        fields.setdefault("is_published", True)
        return create_declaration(
            db.session,
            event,
            DeclarationData(
                slug=slug or f"declaration-{next(_seq)}",
                title=fields.pop("title", "Baku Declaration on South-South Cooperation"),
                text=fields.pop("text", "We, the undersigned,\n\ncommit to act together."),
                opens_at=opens_at or now - timedelta(days=1),
                closes_at=closes_at or now + timedelta(days=7),
                **fields,
            ),
        )


def aware(*args: int, zone: Any = UTC) -> datetime:
    return datetime(*args, tzinfo=zone)
