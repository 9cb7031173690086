"""What people read for a registration's status and visibility."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from eventsys.registration.enums import Status, Visibility

STATUS_LABELS = {
    Status.PENDING: _l("awaiting approval"),
    Status.CONFIRMED: _l("confirmed"),
    Status.WAITLISTED: _l("on the waiting list"),
    Status.CANCELLED: _l("cancelled"),
    Status.REJECTED: _l("not accepted"),
}
VISIBILITY_LABELS = {
    Visibility.ORGANISERS: _l("only the organisers"),
    Visibility.PARTICIPANTS: _l("the other participants"),
    Visibility.PUBLIC: _l("everyone"),
}
