"""Words shown for a proposal's status and a speaker's."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "submitted": _l("under review"),
    "withdrawn": _l("withdrawn"),
    "accepted": _l("accepted"),
    "rejected": _l("rejected"),
    "waitlisted": _l("on the waiting list"),
    "invited": _l("invited"),
    "confirmed": _l("confirmed"),
}
