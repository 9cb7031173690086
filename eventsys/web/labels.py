"""One `label` filter for every enum shown to people: the translated label, never the raw key.

Each area keeps its labels beside its models (`<area>/labels.py`, or its forms' choices); this
module only gathers them, so templates, exports and PDFs all read the same words."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from eventsys.assembly.labels import (
    APPLICATION_STATUS_LABELS,
    MOTION_KIND_LABELS,
    POLL_STATE_LABELS,
    base_label,
    document_label,
    majority_label,
)
from eventsys.badges.labels import JOB_STATUS_LABELS, LAYOUT_LABELS, SORT_LABELS
from eventsys.declarations.labels import SIGNATURE_KIND_LABELS, SIGNATURE_STATUS_LABELS
from eventsys.events.enums import EventKind, QuestionKind
from eventsys.events.forms import KIND_CHOICES, QUESTION_KIND_CHOICES
from eventsys.mail.labels import MAIL_STATUS_LABELS
from eventsys.organisations.labels import ORGANISATION_KIND_LABELS
from eventsys.programme.forms import KIND_LABELS as SESSION_KIND_LABELS
from eventsys.programme.labels import SIGNUP_STATUS_LABELS, change_label
from eventsys.registration.labels import STATUS_LABELS, VISIBILITY_LABELS

__all__ = ["LABELS", "base_label", "change_label", "document_label", "label", "majority_label"]

_TABLES: tuple[Mapping[Any, Any], ...] = (
    APPLICATION_STATUS_LABELS,
    MOTION_KIND_LABELS,
    POLL_STATE_LABELS,
    JOB_STATUS_LABELS,
    LAYOUT_LABELS,
    SORT_LABELS,
    {EventKind(c.value): c.label for c in KIND_CHOICES},
    {QuestionKind(c.value): c.label for c in QUESTION_KIND_CHOICES},
    MAIL_STATUS_LABELS,
    ORGANISATION_KIND_LABELS,
    SESSION_KIND_LABELS,
    SIGNATURE_KIND_LABELS,
    SIGNATURE_STATUS_LABELS,
    SIGNUP_STATUS_LABELS,
    STATUS_LABELS,
    VISIBILITY_LABELS,
)
# Keyed by (enum class, value): StrEnum members equal their strings, so a mail's "failed" and a
# print job's "failed" would be one key otherwise.
LABELS: dict[tuple[type, str], Any] = {
    (type(member), member.value): text for table in _TABLES for member, text in table.items()
}


def label(value: Any) -> str:
    """The translated label of an enum member; other values as they are."""
    if value is None:
        return ""
    text = LABELS.get((type(value), value.value)) if isinstance(value, enum.Enum) else None
    return str(text) if text is not None else str(value)
