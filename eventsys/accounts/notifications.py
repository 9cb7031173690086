from __future__ import annotations

from flask import current_app, render_template
from sqlalchemy.orm import Session

from eventsys.accounts import services
from eventsys.accounts.models import User
from eventsys.mail.services import queue_mail
from eventsys.web.urls import external_url


def confirm_email(session: Session, user: User) -> None:
    token = services.make_confirmation_token(current_app.config["SECRET_KEY"], user)
    link = external_url("accounts.confirm", token=token)
    queue_mail(
        session,
        to=user.email,
        subject="Please confirm your e-mail address",
        text=render_template("mail/confirm_email.txt", user=user, link=link),
        kind="confirm_email",
    )


def reset_password(session: Session, user: User) -> None:
    token = services.make_reset_token(current_app.config["SECRET_KEY"], user)
    link = external_url("accounts.reset", token=token)
    queue_mail(
        session,
        to=user.email,
        subject="Reset your password",
        text=render_template("mail/reset_password.txt", user=user, link=link),
        kind="reset_password",
    )
