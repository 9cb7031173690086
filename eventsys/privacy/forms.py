from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired

from eventsys.validation import Form


class DeleteAccountForm(Form):
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(_l("Please enter your password."))]
    )
    understood = BooleanField(
        _l("I understand that this cannot be undone."),
        validators=[DataRequired(_l("Please confirm that you understand."))],
    )


class ParticipantListForm(Form):
    enabled = BooleanField(_l("Show the participant list on the event page"))
