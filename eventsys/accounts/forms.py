from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from eventsys.accounts.services import MIN_PASSWORD_LENGTH

PASSWORD_LENGTH = Length(
    min=MIN_PASSWORD_LENGTH,
    max=1000,
    message=_l("The password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
)


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])
    remember = BooleanField("Keep me logged in")


class SignupForm(FlaskForm):
    display_name = StringField(
        "Your name, as you write it", validators=[DataRequired(), Length(max=200)]
    )
    latin_name = StringField(
        "Your name in Latin letters (optional, printed under it on badges)",
        validators=[Optional(), Length(max=200)],
    )
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), PASSWORD_LENGTH])
    password_again = PasswordField(
        "Password again", validators=[DataRequired(), EqualTo("password", "The passwords differ.")]
    )


class ForgotForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])


class ResetForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), PASSWORD_LENGTH])
    password_again = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("password", "The passwords differ.")],
    )


class ProfileForm(FlaskForm):
    display_name = StringField("Your name", validators=[DataRequired(), Length(max=200)])
    latin_name = StringField("Latin spelling", validators=[Optional(), Length(max=200)])
