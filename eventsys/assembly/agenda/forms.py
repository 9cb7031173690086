"""Forms of the agenda: an item, a speaker the chair adds, the remote-quorum setting."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from eventsys.choices import options
from eventsys.validation import Form

ITEM_KIND_LABELS = {
    "report": _l("Report"),
    "motion": _l("Motion"),
    "application": _l("Membership application"),
    "election": _l("Election"),
    "other": _l("Other"),
}
ITEM_KIND_CHOICES = options(ITEM_KIND_LABELS.items())


class AgendaItemForm(Form):
    kind = SelectField(_l("Kind"), choices=ITEM_KIND_CHOICES)
    title = StringField(_l("Title"), validators=[Optional(), Length(max=300)])
    text = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    motion_id = SelectField(_l("Motion"), choices=[], validate_choice=False)
    application_id = SelectField(_l("Application"), choices=[], validate_choice=False)
    speaking_seconds = IntegerField(
        _l("Speaking time per speaker (seconds, 0 for no limit)"),
        default=180,
        validators=[NumberRange(min=0, max=3600)],
    )


class SpeakerForm(Form):
    email = EmailField(_l("E-mail of the person registered"), validators=[DataRequired(), Email()])


class RemoteQuorumForm(Form):
    counts = SelectField(
        _l("Delegates present remotely"),
        choices=options(
            [("0", _l("do not count for the quorum")), ("1", _l("count for the quorum"))]
        ),
    )
