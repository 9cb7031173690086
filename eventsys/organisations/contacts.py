"""Contact people of an organisation: accounts linked to a member (or to a network itself).

The accounts layer sits above this one, so the account is named by its table only
("users.id"); whoever needs the person's name or address reads it from the accounts layer.
A contact of a *network* with `manager` set keeps that network's register.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from eventsys.db import utcnow
from eventsys.extensions import Model


class OrganisationContact(Model):
    __tablename__ = "organisation_contacts"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    manager: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def contact_user_ids(session: Session, organisation_id: int) -> list[int]:
    return list(
        session.execute(
            select(OrganisationContact.user_id)
            .where(OrganisationContact.organisation_id == organisation_id)
            .order_by(OrganisationContact.id)
        ).scalars()
    )


def add_contact(
    session: Session, organisation_id: int, user_id: int, *, manager: bool = False
) -> OrganisationContact:
    """Links an account to an organisation (once; a second call updates the manager flag)."""
    contact = session.execute(
        select(OrganisationContact).where(
            OrganisationContact.organisation_id == organisation_id,
            OrganisationContact.user_id == user_id,
        )
    ).scalar_one_or_none()
    if contact is None:
        contact = OrganisationContact(organisation_id=organisation_id, user_id=user_id)
        session.add(contact)
    contact.manager = manager
    session.flush()
    return contact


def remove_contact(session: Session, organisation_id: int, user_id: int) -> bool:
    contact = session.execute(
        select(OrganisationContact).where(
            OrganisationContact.organisation_id == organisation_id,
            OrganisationContact.user_id == user_id,
        )
    ).scalar_one_or_none()
    if contact is None:
        return False
    session.delete(contact)
    session.flush()
    return True


def managed_network_ids(session: Session, user_id: int) -> set[int]:
    return set(
        session.execute(
            select(OrganisationContact.organisation_id).where(
                OrganisationContact.user_id == user_id, OrganisationContact.manager.is_(True)
            )
        ).scalars()
    )


def contact_organisation_ids(session: Session, user_id: int) -> set[int]:
    return set(
        session.execute(
            select(OrganisationContact.organisation_id).where(
                OrganisationContact.user_id == user_id
            )
        ).scalars()
    )
