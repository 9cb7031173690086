from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from eventsys.accounts.services import MIN_PASSWORD_LENGTH
from eventsys.choices import options
from eventsys.i18n import language_name
from eventsys.validation import Form

PASSWORD_LENGTH = Length(
    min=MIN_PASSWORD_LENGTH,
    max=1000,
    message=_l("The password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
)


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])
    remember = BooleanField(_l("Keep me logged in"))


class SignupForm(Form):
    display_name = StringField(
        _l("Your name, as you write it"), validators=[DataRequired(), Length(max=200)]
    )
    latin_name = StringField(
        _l("Your name in Latin letters (optional, printed under it on badges)"),
        validators=[Optional(), Length(max=200)],
    )
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), PASSWORD_LENGTH])
    password_again = PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))],
    )


class ForgotForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])


class ResetForm(Form):
    password = PasswordField(_l("New password"), validators=[DataRequired(), PASSWORD_LENGTH])
    password_again = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))],
    )


class ProfileForm(Form):
    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    latin_name = StringField(_l("Latin spelling"), validators=[Optional(), Length(max=200)])
    locale = SelectField(_l("Language of pages and e-mails"), validators=[Optional()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.locale.choices = options(
            (code, language_name(code), {"lang": code}) for code in current_app.config["LANGUAGES"]
        )
