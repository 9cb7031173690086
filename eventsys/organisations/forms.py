"""Forms of the member register pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, EmailField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from eventsys.choices import options
from eventsys.organisations.countries import country_choices
from eventsys.organisations.labels import ORGANISATION_KIND_LABELS
from eventsys.organisations.models import MembershipStatus
from eventsys.validation import Form

STATUS_LABELS = {
    MembershipStatus.ACTIVE: _l("Active"),
    MembershipStatus.SUSPENDED: _l("Suspended"),
    MembershipStatus.LEFT: _l("Left"),
}


class MemberForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=60)])
    kind = SelectField(
        _l("Kind"), choices=options([(k.value, v) for k, v in ORGANISATION_KIND_LABELS.items()])
    )
    country = SelectField(_l("Country"), validators=[Optional()])
    city = StringField(_l("City"), validators=[Optional(), Length(max=200)])
    code = StringField(_l("Member number"), validators=[Optional(), Length(max=40)])
    member_since = DateField(_l("Member since"), validators=[Optional()])
    status = SelectField(
        _l("Status"), choices=options([(k.value, v) for k, v in STATUS_LABELS.items()])
    )
    weight = IntegerField(
        _l("Voting weight"), default=1, validators=[NumberRange(min=1, max=10_000)]
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = [("", "—"), *country_choices()]


class ImportForm(Form):
    file = FileField(_l("CSV or XLSX file"), validators=[DataRequired()])
    end_missing = BooleanField(_l("Members missing from the file have left"))


class ContactForm(Form):
    email = EmailField(_l("E-mail of the contact's account"), validators=[DataRequired(), Email()])
    manager = BooleanField(_l("May keep the register (networks only)"))
