"""Running a service from a view: committed and announced, or its refusal shown on the form
that caused it (or flashed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeAlias, TypeVar

from flask import flash, redirect
from werkzeug.wrappers import Response

from eventsys.errors import ServiceError
from eventsys.extensions import db

T = TypeVar("T")


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


class Refused:
    """A service's refusal, shown already: what is left of it is the HTTP status to answer with."""

    def __init__(self, status: int) -> None:
        self.status = status


# What a view flashes once a change is saved: a message, or one made of what the change returned.
Saved: TypeAlias = str | Callable[[T], str] | None


def _attempt(
    change: Callable[[], T], form: Any, otherwise: Literal["form", "flash"]
) -> T | Refused:
    """The change committed and its result returned; or, when the service refuses, rolled back,
    its message shown (see show_service_error) and the refusal returned."""
    try:
        result = change()
    except ServiceError as exc:
        db.session.rollback()
        show_service_error(form, exc, otherwise=otherwise)
        return Refused(exc.status)
    db.session.commit()
    return result


def _announce(saved: Saved[T], result: T, category: str) -> None:
    message = saved(result) if callable(saved) else saved
    if message:
        flash(message, category)


def run_service(
    change: Callable[[], T],
    saved: Saved[T] = None,
    *,
    form: Any = None,
    otherwise: Literal["form", "flash"] = "form",
    flash_category: str = "success",
) -> T | Literal[True] | None:
    """The one way a view runs a service's change: committed, with `saved` flashed (in
    `flash_category`; `saved` may be a function of what the change returned); or, when the service
    refuses, rolled back and its message shown on `form` (or flashed, see show_service_error).
    Returns what the change returned (True for nothing), None if refused."""
    result = _attempt(change, form, otherwise)
    if isinstance(result, Refused):
        return None
    _announce(saved, result, flash_category)
    return True if result is None else result


def save_or_show(form: Any, change: Callable[[], object], *, saved: str, then: str) -> Any:
    """A form's change through a service: committed, announced and redirected to `then`; or,
    when the service refuses, rolled back with its message on the form (returns None, so the
    view shows the form again)."""
    if run_service(change, saved, form=form) is None:
        return None
    return redirect(then)


def save_or_status(
    form: Any, change: Callable[[], object], *, saved: str, then: str
) -> Response | int:
    """A submitted form: validated, its change through a service committed, announced and
    redirected to `then`. Otherwise the HTTP status the view shows the form again with: 422 for
    an invalid form, the refusal's status (its message on the form) when the service refuses."""
    if not form.validate():
        return 422
    result = _attempt(change, form, "form")
    if isinstance(result, Refused):
        return result.status
    _announce(saved, result, "success")
    return redirect(then)
