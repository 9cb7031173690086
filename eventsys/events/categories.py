"""Registration categories of an event: adding, changing, removing."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from eventsys.errors import Conflict, NotFound, ServiceError
from eventsys.events.models import Category, Event
from eventsys.events.rules import (
    CODE_RE,
    COLOUR_RE,
    capacity_grows,
    fill_free_places,
    next_position,
)
from eventsys.events.signals import category_uses, total
from eventsys.i18n.content import checked_versions


def _category_values(values: dict[str, Any]) -> dict[str, Any]:
    clean = dict(values)
    if "code" in clean:
        clean["code"] = (clean["code"] or "").strip().lower()
        if not CODE_RE.match(clean["code"]):
            raise ServiceError(
                _("The code may hold lower-case letters, digits, - and _ (at most 40)."),
                field="code",
            )
    if "label" in clean:
        clean["label"] = " ".join((clean["label"] or "").split())
        if not clean["label"] or len(clean["label"]) > 100:
            raise ServiceError(_("Please give a label of at most 100 characters."), field="label")
    if "colour" in clean and not COLOUR_RE.match(clean["colour"] or ""):
        raise ServiceError(_("The colour must look like #1f6f43."), field="colour")
    if clean.get("capacity") is not None and clean["capacity"] < 0:
        raise ServiceError(_("The capacity cannot be negative."), field="capacity")
    return clean


def _refuse_duplicate_code(event: Event, code: str, exclude: Category | None = None) -> None:
    if any(c.code == code and c is not exclude for c in event.categories):
        raise Conflict(
            _("Another category of this event uses the code “%(code)s”.", code=code), field="code"
        )


def add_category(
    session: Session,
    event: Event,
    *,
    code: str,
    label: str,
    colour: str = "#2f6f4f",
    capacity: int | None = None,
    is_public: bool = True,
    position: int | None = None,
    label_translations: dict[str, Any] | None = None,
) -> Category:
    values = _category_values(
        {"code": code, "label": label, "colour": colour, "capacity": capacity}
    )
    if label_translations is not None:
        values["label_translations"] = checked_versions(event, label_translations, "label", 100)
    _refuse_duplicate_code(event, values["code"])
    if position is None:
        position = next_position(c.position for c in event.categories)
    category = Category(event=event, is_public=is_public, position=position, **values)
    session.add(category)
    session.flush()
    return category


def update_category(session: Session, category: Category, **changes: Any) -> Category:
    allowed = {"code", "label", "colour", "capacity", "is_public", "position"}
    values = _category_values({k: v for k, v in changes.items() if k in allowed})
    if changes.get("label_translations") is not None:
        values["label_translations"] = checked_versions(
            category.event, changes["label_translations"], "label", 100
        )
    if "code" in values:
        _refuse_duplicate_code(category.event, values["code"], exclude=category)
    grew = "capacity" in values and capacity_grows(category.capacity, values["capacity"])
    for name, value in values.items():
        setattr(category, name, value)
    session.flush()
    if grew:
        fill_free_places(session, category.event)
    return category


def category_of(event: Event, category_id: int) -> Category:
    category = next((c for c in event.categories if c.id == category_id), None)
    if category is None:
        raise NotFound(_("This event has no such category."))
    return category


def delete_category(session: Session, category: Category) -> None:
    used = total(category_uses, category, session)
    if used:
        raise Conflict(
            ngettext(
                "%(num)s registration uses “%(label)s”, so it cannot be deleted. Make it "
                "organiser-assigned instead to hide it from the public form.",
                "%(num)s registrations use “%(label)s”, so it cannot be deleted. Make it "
                "organiser-assigned instead to hide it from the public form.",
                used,
                label=category.label,
            )
        )
    category.event.categories.remove(category)
    session.flush()
