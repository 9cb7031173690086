"""Who keeps a network's register.

The rule: site administrators, and accounts that are contacts of the network itself with the
`manager` flag. (Organisers of a network's event run its Assembly, not its register: the
chair takes voting rights from the register but does not change it.)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.organisations.contacts import (
    OrganisationContact,
    contact_organisation_ids,
    managed_network_ids,
)
from eventsys.organisations.models import Membership, MembershipStatus


def can_manage_register(session: Session, user: Any, network_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    return bool(
        session.execute(
            select(OrganisationContact.id).where(
                OrganisationContact.organisation_id == network_id,
                OrganisationContact.user_id == user.id,
                OrganisationContact.manager.is_(True),
            )
        ).first()
    )


def visible_organisation_ids(session: Session, user: Any) -> set[int] | None:
    """The organisations a person may see in the API: None means all (administrators); else
    those they are a contact of, and the members of the networks they manage."""
    if user.is_admin:
        return None
    managed = managed_network_ids(session, user.id)
    members = set(
        session.execute(
            select(Membership.member_id).where(
                Membership.network_id.in_(managed), Membership.status != MembershipStatus.LEFT
            )
        ).scalars()
    )
    return contact_organisation_ids(session, user.id) | managed | members
