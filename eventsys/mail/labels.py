"""What organisers read for a mail's state in the outbox."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from eventsys.mail.models import MailStatus

MAIL_STATUS_LABELS = {
    MailStatus.QUEUED: _l("waiting to be sent"),
    MailStatus.SENT: _l("sent"),
    MailStatus.LOGGED: _l("written to the log"),
    MailStatus.FAILED: _l("failed"),
}
