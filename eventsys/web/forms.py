"""Showing a service's refusal on the form that caused it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from flask import flash, redirect

from eventsys.errors import ServiceError
from eventsys.extensions import db


def show_service_error(
    form: Any,
    exc: ServiceError,
    *,
    field: str | None = None,
    otherwise: Literal["form", "flash"] = "form",
) -> None:
    """The message goes next to the field it names (`field` overrides the service's name for it);
    a message without a shown field goes above the form, or into a flash message."""
    several = getattr(exc, "field_errors", None)
    if several and field is None:  # each refusal beside its own field (FieldErrors)
        for name, message in several.items():
            show_service_error(form, ServiceError(message, field=name), otherwise=otherwise)
        return
    name = field if field is not None else exc.field
    target = getattr(form, name, None) if form is not None and name else None
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, exc.message]
    elif form is not None and otherwise == "form":
        form.form_errors.append(exc.message)
    else:
        flash(exc.message, "error")


def save_or_show(form: Any, change: Callable[[], object], *, saved: str, then: str) -> Any:
    """A form's change through a service: committed, announced and redirected to `then`; or,
    when the service refuses, rolled back with its message on the form (returns None, so the
    view shows the form again)."""
    try:
        change()
    except ServiceError as exc:
        db.session.rollback()
        show_service_error(form, exc)
        return None
    db.session.commit()
    flash(saved, "success")
    return redirect(then)
