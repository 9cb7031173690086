"""What people read for the kinds of change between two published timetables.

Each word stands alone ("new time", "new room", "details changed"): shown side by side they
must not read as one phrase ("moved room changed changed")."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from eventsys.programme.models import SignUpStatus

CHANGE_LABELS = {
    "new": _l("new"),
    "moved": _l("new time"),
    "room_changed": _l("new room"),
    "changed": _l("details changed"),
    "cancelled": _l("cancelled"),
    "restored": _l("back on"),
}

SIGNUP_STATUS_LABELS = {
    SignUpStatus.CONFIRMED: _l("signed up"),
    SignUpStatus.WAITLISTED: _l("waiting list"),
}


def change_label(kind: str) -> str:
    return str(CHANGE_LABELS.get(kind, kind))
