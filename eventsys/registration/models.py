from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.accounts.models import User
from eventsys.db import enum_type, utcnow
from eventsys.events.models import Category, Event
from eventsys.extensions import Model, db
from eventsys.organisations.models import Organisation
from eventsys.registration.enums import HOLDS_PLACE, Status, Visibility


class Registration(Model):
    __tablename__ = "registrations"
    if TYPE_CHECKING:
        # Not stored: register() sets it under the event lock for the API's answer, which pops it.
        waitlist_position_hint: int | None
    __table_args__ = (
        # One active registration per e-mail and event; a cancelled one may register again.
        Index(
            "uq_registrations_event_email_active",
            "event_id",
            "email",
            unique=True,
            sqlite_where=db.text("status IN ('pending', 'confirmed', 'waitlisted')"),
            postgresql_where=db.text("status IN ('pending', 'confirmed', 'waitlisted')"),
        ),
        Index("ix_registrations_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    status: Mapped[Status] = mapped_column(enum_type(Status, 20))
    email: Mapped[str] = mapped_column(String(254))
    display_name: Mapped[str] = mapped_column(String(200))
    latin_name: Mapped[str | None] = mapped_column(String(200))
    organisation_name: Mapped[str] = mapped_column(String(300), default="")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    country: Mapped[str | None] = mapped_column(String(2))
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    visibility: Mapped[Visibility] = mapped_column(
        enum_type(Visibility, 20),
        default=Visibility.ORGANISERS,
    )
    # What the person agreed to show next to their name in lists and on the badge.
    show_organisation: Mapped[bool] = mapped_column(default=True)
    show_country: Mapped[bool] = mapped_column(default=True)
    # Opaque link for the registration's own page (guests); only the digest is stored.
    access_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    email_confirmed_at: Mapped[datetime | None]
    decision_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # Folded name, Latin name, e-mail and organisation, so organisers' search ignores case and
    # accents in every script, on SQLite too (whose lower() only knows ASCII); see the hooks below.
    search_key: Mapped[str] = mapped_column(Text, default="")
    # The language the person registered in: their mails come in it (guests have no account).
    locale: Mapped[str | None] = mapped_column(String(10))

    event: Mapped[Event] = relationship()
    user: Mapped[User | None] = relationship()
    category: Mapped[Category] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDS_PLACE

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status}>"


def search_fold(text: str) -> str:
    """Case- and accent-free form: 'Ștefănescu' -> 'stefanescu', 'ПАШКОВСКАЯ' -> 'пашковская'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fill_search_key(_mapper: object, _connection: object, registration: Registration) -> None:
    parts = (
        registration.display_name,
        registration.latin_name,
        registration.email,
        registration.organisation_name,
    )
    registration.search_key = search_fold("\n".join(p for p in parts if p))


sa_event.listen(Registration, "before_insert", _fill_search_key)
sa_event.listen(Registration, "before_update", _fill_search_key)
