"""Declarations opened for signature at an event, and their signatures."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.db import enum_type, utcnow
from eventsys.events.models import Event
from eventsys.extensions import Model
from eventsys.i18n import pick_translation


class SignerKinds(enum.StrEnum):
    """Who may sign."""

    PERSONS = "persons"
    ORGANISATIONS = "organisations"
    BOTH = "both"


class Eligibility(enum.StrEnum):
    PARTICIPANTS = "participants"  # confirmed registrations of the event
    ANYONE = "anyone"  # anyone who confirms an e-mail address


class SignatureKind(enum.StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class SignatureStatus(enum.StrEnum):
    PENDING = "pending"  # awaits the e-mail confirmation; not counted
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"  # kept, so the same signer cannot sign again


class Declaration(Model):
    __tablename__ = "declarations"
    __table_args__ = (UniqueConstraint("event_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    # Other languages, keyed by locale like Event.title_translations; the plain columns are in
    # the event's default language.
    title_translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    text_translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    signer_kinds: Mapped[SignerKinds] = mapped_column(
        enum_type(SignerKinds, 20),
        default=SignerKinds.BOTH,
    )
    eligibility: Mapped[Eligibility] = mapped_column(
        enum_type(Eligibility, 20),
        default=Eligibility.ANYONE,
    )
    is_published: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()

    def localized(self, field: str, locale: str | None) -> str:
        return pick_translation(
            getattr(self, field), getattr(self, f"{field}_translations"), locale
        )

    def languages(self) -> list[str]:
        """Locales with a full translation, besides the event's default language."""
        titles, texts = self.title_translations or {}, self.text_translations or {}
        return sorted(code for code in titles if texts.get(code))

    def state(self, now: datetime) -> str:
        """'not_yet', 'open' or 'closed'."""
        if now < self.opens_at:
            return "not_yet"
        return "open" if now < self.closes_at else "closed"

    def allows(self, kind: SignatureKind) -> bool:
        return self.signer_kinds == SignerKinds.BOTH or self.signer_kinds.value == kind.value + "s"

    def __repr__(self) -> str:
        return f"<Declaration {self.id} {self.slug}>"


class Signature(Model):
    """One signature. `signer_key` names the signer (a person's e-mail, or the organisation);
    the unique constraint on (declaration, signer_key) is what makes one signature per signer
    hold under concurrent requests. Withdrawn rows stay, so a withdrawn signer cannot sign again.
    """

    __tablename__ = "signatures"
    __table_args__ = (
        UniqueConstraint("declaration_id", "signer_key"),
        Index("ix_signatures_declaration_status", "declaration_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id", ondelete="CASCADE"))
    kind: Mapped[SignatureKind] = mapped_column(enum_type(SignatureKind, 20))
    signer_key: Mapped[str] = mapped_column(String(400))
    status: Mapped[SignatureStatus] = mapped_column(
        enum_type(SignatureStatus, 20),
        default=SignatureStatus.PENDING,
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The person who signs, or who signs on behalf of the organisation.
    display_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    organisation_name: Mapped[str] = mapped_column(String(300), default="")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    country: Mapped[str | None] = mapped_column(String(2))
    is_public: Mapped[bool] = mapped_column(default=False)
    # Opaque link to confirm or withdraw (only its digest is stored).
    access_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]

    declaration: Mapped[Declaration] = relationship()

    @property
    def public_name(self) -> str:
        """The line shown in the public list: the organisation for organisation signatures."""
        if self.kind == SignatureKind.ORGANISATION:
            return self.organisation_name
        return self.display_name

    def __repr__(self) -> str:
        return f"<Signature {self.id} {self.status}>"
