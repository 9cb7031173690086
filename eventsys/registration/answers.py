"""Checking answers to an event's custom questions."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _

from eventsys.errors import ServiceError
from eventsys.events.enums import QuestionKind
from eventsys.events.models import Question
from eventsys.i18n import localized
from eventsys.organisations.countries import is_country

MAX_TEXT = 500
MAX_LONG_TEXT = 5000


# Line and paragraph breaks of every kind (Word's Shift+Enter is \x0b), and every other control
# character: invisible when pasted, and refused by spreadsheet files (openpyxl) and XML.
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def plain_text(value: str, *, multiline: bool = False) -> str:
    """Text as typed or pasted, without control characters: breaks become newlines (or spaces
    on one line), tabs stay in long text only, the rest goes."""
    text = _CONTROLS.sub("", _BREAKS.sub("\n", str(value)))
    if not multiline:
        return " ".join(text.split())
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


class FieldErrors(ServiceError):  # noqa: N818 (several refusals; reads as "the field errors")
    """Several refusals at once, one per field, so a form shows them all on one submit. Reads
    as its first refusal wherever a single one is expected."""

    def __init__(self, errors: dict[str, str]) -> None:
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.field_errors = dict(errors)


def collect(errors: dict[str, str], exc: ServiceError, fallback: str) -> None:
    """Adds a refusal (or each of several) to `errors`, the first per field kept."""
    several = getattr(exc, "field_errors", None) or {exc.field or fallback: exc.message}
    for field, message in several.items():
        errors.setdefault(field or fallback, message)


def field_name(question: Question) -> str:
    return f"q_{question.id}"


def clean_answers(questions: list[Question], raw: dict[str, Any]) -> dict[str, Any]:
    """Returns {str(question id): value} for active questions; raises FieldErrors naming
    every bad answer, not only the first."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in questions:
        if not question.is_active:
            continue
        try:
            value = _clean_one(question, raw.get(str(question.id), raw.get(field_name(question))))
        except ServiceError as exc:
            collect(errors, exc, field_name(question))
            continue
        if value in (None, "", []):
            if question.required:
                errors[field_name(question)] = _(
                    "Please answer “%(question)s”.", question=localized(question, "label")
                )
            continue
        cleaned[str(question.id)] = value
    if errors:
        raise FieldErrors(errors)
    return cleaned


def _clean_one(question: Question, value: Any) -> Any:
    kind = question.kind
    if value is None:
        return None
    if kind in (QuestionKind.TEXT, QuestionKind.LONG_TEXT):
        text = plain_text(value, multiline=kind == QuestionKind.LONG_TEXT)
        limit = MAX_TEXT if kind == QuestionKind.TEXT else MAX_LONG_TEXT
        if len(text) > limit:
            raise ServiceError(
                _(
                    "The answer to “%(question)s” is longer than %(max)d characters.",
                    question=localized(question, "label"),
                    max=limit,
                ),
                field=field_name(question),
            )
        return text
    if kind == QuestionKind.YES_NO:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("", "none"):
            return None
        if text in ("y", "yes", "true", "1", "on"):
            return True
        if text in ("n", "no", "false", "0", "off"):
            return False
        raise ServiceError(
            _("Answer “%(question)s” with yes or no.", question=localized(question, "label")),
            field=field_name(question),
        )
    if kind == QuestionKind.SINGLE_CHOICE:
        text = str(value).strip()
        if text and text not in question.options:
            raise ServiceError(
                _(
                    "“%(answer)s” is not one of the choices for “%(question)s”.",
                    answer=text,
                    question=localized(question, "label"),
                ),
                field=field_name(question),
            )
        return text
    if kind == QuestionKind.MULTIPLE_CHOICE:
        values = value if isinstance(value, list) else [value]
        chosen = [str(v).strip() for v in values if str(v).strip()]
        unknown = [v for v in chosen if v not in question.options]
        if unknown:
            raise ServiceError(
                _(
                    "“%(answer)s” is not one of the choices for “%(question)s”.",
                    answer=unknown[0],
                    question=localized(question, "label"),
                ),
                field=field_name(question),
            )
        return [o for o in question.options if o in chosen]  # keep the organiser's order
    if kind == QuestionKind.COUNTRY:
        code = str(value).strip().upper()
        if code and not is_country(code):
            raise ServiceError(
                _("“%(code)s” is not a known country code.", code=str(value)[:20]),
                field=field_name(question),
            )
        return code
    raise ServiceError(_("Unsupported question type %(kind)s.", kind=str(kind)))
