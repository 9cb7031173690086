from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.db import enum_type, utcnow
from eventsys.events.enums import EventKind, QuestionKind, RoleName
from eventsys.extensions import Model
from eventsys.i18n import pick_translation

if TYPE_CHECKING:
    from eventsys.accounts.models import User


class EventSeries(Model):
    __tablename__ = "event_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Event(Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    # Content in other languages, keyed by locale: {"pt": "..."}; the plain column is the default.
    title_translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    description_translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    kind: Mapped[EventKind] = mapped_column(
        enum_type(EventKind, 30),
        default=EventKind.CONFERENCE,
    )
    timezone: Mapped[str] = mapped_column(String(64))  # IANA zone, e.g. Europe/Lisbon
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    venue_name: Mapped[str] = mapped_column(String(300), default="")
    venue_address: Mapped[str] = mapped_column(String(500), default="")
    city: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str | None] = mapped_column(String(2))
    default_locale: Mapped[str] = mapped_column(String(10), default="en")
    languages: Mapped[list[Any]] = mapped_column(default=list)
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    capacity: Mapped[int | None]
    requires_approval: Mapped[bool] = mapped_column(default=False)
    is_published: Mapped[bool] = mapped_column(default=False)
    participant_list_enabled: Mapped[bool] = mapped_column(default=False)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("event_series.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    # The network whose General Assembly this is, or which hosts the event.
    host_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    logo_path: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    series: Mapped[EventSeries | None] = relationship()
    parent: Mapped[Event | None] = relationship(remote_side=[id], back_populates="sub_events")
    sub_events: Mapped[list[Event]] = relationship(back_populates="parent")
    categories: Mapped[list[Category]] = relationship(
        back_populates="event", order_by="Category.position", cascade="all, delete-orphan"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="event", order_by="Question.position", cascade="all, delete-orphan"
    )
    roles: Mapped[list[EventRole]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )

    def localized(self, field: str, locale: str | None) -> str:
        return pick_translation(
            getattr(self, field), getattr(self, f"{field}_translations"), locale
        )

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class Category(Model):
    """A registration category: delegate of a member, observer, speaker, press, staff, guest."""

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("event_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(100))
    label_translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    colour: Mapped[str] = mapped_column(String(7), default="#2f6f4f")
    capacity: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)
    # Closed categories (staff, press) are assigned by organisers, not chosen on the public form.
    is_public: Mapped[bool] = mapped_column(default=True)

    event: Mapped[Event] = relationship(back_populates="categories")

    def localized_label(self, locale: str | None) -> str:
        return pick_translation(self.label, self.label_translations, locale)


class Question(Model):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(300))
    label_translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    kind: Mapped[QuestionKind] = mapped_column(enum_type(QuestionKind, 20))
    required: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list[Any]] = mapped_column(default=list)
    # {locale: [option texts in the same order as `options`]}; answers store the default text.
    options_translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    position: Mapped[int] = mapped_column(default=0)
    on_badge: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)

    event: Mapped[Event] = relationship(back_populates="questions")


class EventRole(Model):
    __tablename__ = "event_roles"
    __table_args__ = (UniqueConstraint("event_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[RoleName] = mapped_column(enum_type(RoleName, 20))

    event: Mapped[Event] = relationship(back_populates="roles")
    user: Mapped[User] = relationship()
