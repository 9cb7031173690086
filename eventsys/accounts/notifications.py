from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from eventsys.accounts import services
from eventsys.accounts.models import User
from eventsys.i18n import current_locale, mail_language
from eventsys.mail.services import queue_mail
from eventsys.web.urls import external_url


def _locales(user: User) -> tuple[str | None, ...]:
    # The account's language, else the one the person is reading right now.
    return (user.locale, current_locale())


def confirm_email(session: Session, user: User) -> None:
    token = services.make_confirmation_token(current_app.config["SECRET_KEY"], user)
    link = external_url("accounts.confirm", token=token)
    with mail_language(*_locales(user)):
        subject = _("Please confirm your e-mail address")
        text = render_template("mail/confirm_email.txt", user=user, link=link)
    queue_mail(session, to=user.email, subject=subject, text=text, kind="confirm_email")


def reset_password(session: Session, user: User) -> None:
    token = services.make_reset_token(current_app.config["SECRET_KEY"], user)
    link = external_url("accounts.reset", token=token)
    with mail_language(*_locales(user)):
        subject = _("Reset your password")
        text = render_template("mail/reset_password.txt", user=user, link=link)
    queue_mail(session, to=user.email, subject=subject, text=text, kind="reset_password")
