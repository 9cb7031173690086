"""Events' kinds, roles and question kinds: a leaf, importable without the models."""

from __future__ import annotations

import enum


class EventKind(enum.StrEnum):
    CONFERENCE = "conference"
    GENERAL_ASSEMBLY = "general_assembly"
    SIDE_EVENT = "side_event"


class RoleName(enum.StrEnum):
    ORGANISER = "organiser"
    CHECKIN = "checkin"
    REVIEWER = "reviewer"  # scores proposals sent to the event's call


class QuestionKind(enum.StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    COUNTRY = "country"
