"""The questions an event asks at registration: adding, changing, removing."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from eventsys.errors import Conflict, NotFound, ServiceError
from eventsys.events.enums import QuestionKind
from eventsys.events.models import Event, Question
from eventsys.events.rules import next_position
from eventsys.events.signals import question_answers, total
from eventsys.i18n.content import checked_versions, clean_option_translations

CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


def parse_options(text: str | list[str] | None) -> list[str]:
    """One option a line (or a list); blank lines and repeats dropped."""
    items = text if isinstance(text, list) else (text or "").splitlines()
    options: list[str] = []
    for raw in items:
        option = " ".join(str(raw).split())
        if len(option) > 200:
            raise ServiceError(_("Each option can hold at most 200 characters."), field="options")
        if option and option not in options:
            options.append(option)
    return options


def _question_values(values: dict[str, Any], current: Question | None = None) -> dict[str, Any]:
    clean = dict(values)
    if "label" in clean:
        clean["label"] = " ".join((clean["label"] or "").split())
        if not clean["label"] or len(clean["label"]) > 300:
            raise ServiceError(
                _("Please give a question of at most 300 characters."), field="label"
            )
    if "kind" in clean:
        try:
            clean["kind"] = QuestionKind(clean["kind"])
        except ValueError as exc:
            raise ServiceError(_("Please choose the type of answer."), field="kind") from exc
    if "options" in clean:
        clean["options"] = parse_options(clean["options"])
    kind = clean.get("kind", current.kind if current else None)
    options = clean.get("options", current.options if current else [])
    if kind in CHOICE_KINDS and len(options) < 2:
        raise ServiceError(_("A choice needs at least two options, one a line."), field="options")
    if kind not in CHOICE_KINDS:
        clean["options"] = []
    return clean


def _versions(event: Event, options: list[str], labels: Any, option_texts: Any) -> dict[str, Any]:
    """The question in the event's other languages: its label, and its options one a line in
    the same order (answers store the default-language option). None: left as they are."""
    found: dict[str, Any] = {}
    if labels is not None:
        found["label_translations"] = checked_versions(event, labels, "label", 300)
    if option_texts is not None:
        found["options_translations"] = clean_option_translations(
            option_texts,
            options,
            field="options_translations",
            default_locale=event.default_locale,
        )
    return found


def add_question(
    session: Session,
    event: Event,
    *,
    label: str,
    kind: str,
    required: bool = False,
    options: str | list[str] | None = None,
    on_badge: bool = False,
    position: int | None = None,
    is_active: bool = True,
    label_translations: dict[str, Any] | None = None,
    options_translations: dict[str, Any] | None = None,
) -> Question:
    values = _question_values({"label": label, "kind": kind, "options": options})
    values.update(_versions(event, values["options"], label_translations, options_translations))
    if position is None:
        position = next_position(q.position for q in event.questions)
    question = Question(
        event=event,
        required=required,
        on_badge=on_badge,
        position=position,
        is_active=is_active,
        **values,
    )
    session.add(question)
    session.flush()
    return question


def question_of(event: Event, question_id: int) -> Question:
    question = next((q for q in event.questions if q.id == question_id), None)
    if question is None:
        raise NotFound(_("This event has no such question."))
    return question


def answer_count(session: Session, question: Question) -> int:
    """How many people answered the question (registration counts its registrations)."""
    return total(question_answers, question, session)


def update_question(session: Session, question: Question, **changes: Any) -> Question:
    allowed = {"label", "kind", "required", "options", "on_badge", "position", "is_active"}
    values = _question_values({k: v for k, v in changes.items() if k in allowed}, question)
    values.update(
        _versions(
            question.event,
            values.get("options", question.options),
            changes.get("label_translations"),
            changes.get("options_translations"),
        )
    )
    if values.get("kind", question.kind) != question.kind and answer_count(session, question):
        raise Conflict(
            _(
                "People have answered this question, so its type cannot change. Deactivate it "
                "and add a new one."
            ),
            field="kind",
        )
    for name, value in values.items():
        setattr(question, name, value)
    session.flush()
    return question


def remove_question(session: Session, question: Question) -> str:
    """Delete a question nobody answered; keep an answered one, deactivated, with its answers.

    Returns 'deleted' or 'deactivated'."""
    if answer_count(session, question):
        question.is_active = False
        session.flush()
        return "deactivated"
    question.event.questions.remove(question)
    session.flush()
    return "deleted"
