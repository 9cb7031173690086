"""What people read for badge layouts, sort orders and print jobs' states."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from eventsys.badges.models import BadgeLayout, JobStatus, SortOrder

LAYOUT_LABELS = {
    BadgeLayout.A6: _l("A6, one badge per page"),
    BadgeLayout.A4_SHEET: _l("A4 sheet of four badges"),
    BadgeLayout.CARD: _l("Card, 85 × 54 mm"),
}
SORT_LABELS = {
    SortOrder.SURNAME: _l("Surname"),
    SortOrder.ORGANISATION: _l("Organisation"),
    SortOrder.COUNTRY: _l("Country"),
}
JOB_STATUS_LABELS = {
    JobStatus.QUEUED: _l("waiting"),
    JobStatus.RUNNING: _l("printing"),
    JobStatus.DONE: _l("done"),
    JobStatus.FAILED: _l("failed"),
}
