"""What people read for the kinds of change between two published timetables, and for the
timetable's warnings (`warning_text`).

Each word stands alone ("new time", "new room", "details changed"): shown side by side they
must not read as one phrase ("moved room changed changed")."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from eventsys.programme import conflicts as c
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


def warning_text(warning: c.Warning, titles: dict[int, str]) -> str:
    """A timetable warning as a sentence, naming the sessions by `titles` when given."""
    names = [titles.get(i, f"#{i}") for i in warning.session_ids]
    texts = {
        c.ROOM_DOUBLE_BOOKED: _("%(room)s is used twice at once", room=warning.subject),
        c.SPEAKER_DOUBLE_BOOKED: _(
            "%(speaker)s is to speak in two places at once", speaker=warning.subject
        ),
        c.OUTSIDE_EVENT: _("The session lies outside the event's dates"),
        c.OUTSIDE_ROOM_HOURS: _("%(room)s is not open then", room=warning.subject),
        c.OVER_CAPACITY: ngettext(
            "%(num)s more sign-up than places", "%(num)s more sign-ups than places", warning.count
        ),
        c.ATTENDEE_OVERLAP: ngettext(
            "%(num)s participant signed up to both at once",
            "%(num)s participants signed up to both at once",
            warning.count,
        ),
        c.INVALID_TIMES: _("The session ends before it starts"),
    }
    text = texts.get(warning.kind, warning.kind)
    return f"{text}: {', '.join(names)}" if titles else text
