"""What the register holds about a person: the organisations they are a contact of, and the
personal links mailed to them to appoint a delegate. Deleting the account removes both (the
links name the account; an Assembly's record keeps its own audit entries)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from eventsys.extensions import db
from eventsys.organisations.contacts import OrganisationContact
from eventsys.organisations.models import Organisation

# The links' table belongs to the Assembly (a higher layer): named here by its table only.
DELEGATE_LINKS = "delegate_links"


def export_contacts(session: Session, user: Any) -> dict[str, Any]:
    rows = session.execute(
        select(Organisation.name, OrganisationContact.manager, OrganisationContact.created_at)
        .join(Organisation, Organisation.id == OrganisationContact.organisation_id)
        .where(OrganisationContact.user_id == user.id)
        .order_by(Organisation.name)
    ).all()
    return {
        "contact_of": [
            {"organisation": name, "keeps_register": manager, "since": created_at}
            for name, manager, created_at in rows
        ]
    }


def erase_contacts(session: Session, user: Any) -> int:
    links = db.metadata.tables[DELEGATE_LINKS]
    session.execute(delete(links).where(links.c.user_id == user.id))
    removed = session.execute(
        delete(OrganisationContact).where(OrganisationContact.user_id == user.id)
    )
    session.flush()
    return int(getattr(removed, "rowcount", 0) or 0)
