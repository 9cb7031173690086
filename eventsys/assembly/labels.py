"""What people read for applications' states, kinds of motion and polls' states."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from eventsys.assembly.models import ApplicationStatus, MotionKind, PollState

APPLICATION_STATUS_LABELS = {
    ApplicationStatus.SUBMITTED: _l("submitted"),
    ApplicationStatus.INCOMPLETE: _l("incomplete"),
    ApplicationStatus.COMPLETE: _l("complete"),
    ApplicationStatus.ON_AGENDA: _l("on the agenda"),
    ApplicationStatus.ADMITTED: _l("admitted"),
    ApplicationStatus.REJECTED: _l("rejected"),
}
MOTION_KIND_LABELS = {
    MotionKind.ADMISSION: _l("Admission of a member"),
    MotionKind.RESOLUTION: _l("Resolution"),
    MotionKind.ELECTION: _l("Election"),
}
POLL_STATE_LABELS = {
    PollState.DRAFT: _l("draft"),
    PollState.OPEN: _l("open"),
    PollState.CLOSED: _l("closed"),
    PollState.ANNULLED: _l("annulled"),
}


def _choice_label(choices_name: str, key: str) -> str:
    """The words of a form menu's option for a stored key; the forms load WTForms, hence late."""
    from eventsys.assembly import forms  # noqa: PLC0415  (forms load WTForms; labels stay light)

    choices = getattr(forms, choices_name)
    return next((str(c.label) for c in choices if c.value == key), key)


def majority_label(key: str) -> str:
    """ "two_thirds" -> "Two-thirds"."""
    return _choice_label("MAJORITY_CHOICES", key)


def base_label(key: str) -> str:
    """ "cast" -> "of votes cast (yes + no)"."""
    return _choice_label("BASE_CHOICES", key)


def document_label(key: str) -> str:
    """ "resolution" -> "Council resolution"."""
    return _choice_label("DOCUMENT_KIND_CHOICES", key)
