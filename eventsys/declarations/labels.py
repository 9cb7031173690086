"""What people read for a signature's kind and state (pages and the signature exports)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from eventsys.declarations.models import SignatureKind, SignatureStatus

SIGNATURE_STATUS_LABELS = {
    SignatureStatus.PENDING: _l("awaiting e-mail confirmation"),
    SignatureStatus.CONFIRMED: _l("confirmed"),
    SignatureStatus.WITHDRAWN: _l("withdrawn"),
}
SIGNATURE_KIND_LABELS = {
    SignatureKind.PERSON: _l("in own name"),
    SignatureKind.ORGANISATION: _l("on behalf of an organisation"),
}
