"""Before the meeting: the statutes' vote rule, the appointment deadline, and the personal links
members' contacts use to appoint their delegate or name a proxy.

A link's token is random (secrets.token_urlsafe) and only its SHA-256 digest is stored, like
API tokens: a database copy does not open anyone's link. One link per (voting right, contact).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.assembly.models import Assembly, VotingRight
from eventsys.db import utcnow
from eventsys.extensions import Model


class AssemblyPreparation(Model):
    __tablename__ = "assembly_preparations"

    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), primary_key=True
    )
    # The statutes weigh votes by the register's membership weights (else one member, one vote).
    weighted: Mapped[bool] = mapped_column(default=False)
    # Delegates and proxies can be named online until then (UTC).
    deadline: Mapped[datetime | None]
    register_synced_at: Mapped[datetime | None]

    assembly: Mapped[Assembly] = relationship()


class DelegateLink(Model):
    __tablename__ = "delegate_links"
    __table_args__ = (UniqueConstraint("right_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), index=True
    )
    right_id: Mapped[int] = mapped_column(ForeignKey("voting_rights.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    reminded_at: Mapped[datetime | None]
    acted_at: Mapped[datetime | None]
    # Someone not yet registered, invited by e-mail to register and be appointed.
    invited_email: Mapped[str | None] = mapped_column(String(254))

    right: Mapped[VotingRight] = relationship()
