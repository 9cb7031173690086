from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.db import enum_type, utcnow
from eventsys.extensions import Model


class OrganisationKind(enum.StrEnum):
    MUNICIPALITY = "municipality"
    DISTRICT = "district"
    REGION = "region"
    NGO = "ngo"
    NETWORK = "network"
    INDIGENOUS = "indigenous"
    COMPANY = "company"
    PRESS = "press"
    OTHER = "other"


class MembershipStatus(enum.StrEnum):
    """Where a member stands in the register: only active members hold voting rights."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    LEFT = "left"


class Organisation(Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    short_name: Mapped[str | None] = mapped_column(String(60))
    kind: Mapped[OrganisationKind] = mapped_column(enum_type(OrganisationKind, 20))
    country: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    city: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        foreign_keys="Membership.network_id", back_populates="network"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class Membership(Model):
    """An organisation's membership of a network, from a start date until it ends."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("network_id", "member_id", "started_on"),
        CheckConstraint("network_id <> member_id", name="not_self"),
        CheckConstraint("weight > 0", name="positive_weight"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    # Voting weight in the network's assemblies: one member, one vote unless the statutes say else.
    weight: Mapped[int] = mapped_column(default=1)
    status: Mapped[MembershipStatus] = mapped_column(
        enum_type(MembershipStatus, 20), default=MembershipStatus.ACTIVE
    )
    # The network's own reference for the member (its member number), the key of imports.
    code: Mapped[str | None] = mapped_column(String(40), index=True)

    network: Mapped[Organisation] = relationship(
        foreign_keys=[network_id], back_populates="memberships"
    )
    member: Mapped[Organisation] = relationship(foreign_keys=[member_id])

    def is_current(self, on: date) -> bool:
        return self.started_on <= on and (self.ended_on is None or self.ended_on > on)

    @property
    def member_since(self) -> date:
        return self.started_on
