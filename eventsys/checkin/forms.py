"""Check-in desk forms. Each carries the device nonce that makes a resent scan harmless."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, Optional

from eventsys.validation import Form


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class ScanForm(Form):
    code = StringField(_l("Badge code"), validators=[Optional(), Length(max=5000)])
    nonce = HiddenField(validators=[DataRequired()], default=new_nonce)


class ManualForm(Form):
    registration_id = IntegerField(validators=[DataRequired()])
    nonce = HiddenField(validators=[DataRequired()], default=new_nonce)


class SearchForm(Form):
    class Meta:
        csrf = False  # a GET search

    q = StringField(_l("Search by name or organisation"), validators=[Optional(), Length(max=100)])
