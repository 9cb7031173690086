"""The mail a signature sends: the link that confirms it (and later withdraws it)."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from eventsys.declarations.models import Signature
from eventsys.i18n import localized
from eventsys.mail.services import queue_mail
from eventsys.web.urls import external_url


def confirm_signature(session: Session, signature: Signature, token: str) -> None:
    declaration = signature.declaration
    queue_mail(
        session,
        to=signature.email or "",
        subject=_("Confirm your signature: %(title)s", title=localized(declaration, "title")),
        text=render_template(
            "mail/declaration_confirm.txt",
            signature=signature,
            declaration=declaration,
            event=declaration.event,
            link=external_url("declarations.by_token", token=token),
        ),
        event_id=declaration.event_id,
        kind="declaration_confirm",
    )
