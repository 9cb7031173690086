"""What people read for a signature's state."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from eventsys.declarations.models import SignatureStatus

SIGNATURE_STATUS_LABELS = {
    SignatureStatus.PENDING: _l("awaiting e-mail confirmation"),
    SignatureStatus.CONFIRMED: _l("confirmed"),
    SignatureStatus.WITHDRAWN: _l("withdrawn"),
}
