"""Demo mailings: "Practical information" sent to Cascais's confirmed participants (marked as
delivered, so the demo mails nobody), and a draft of news at Baku."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from eventsys.db import utcnow
from eventsys.mail.models import MailStatus, OutboundMail
from eventsys.mail.services import PENDING_KEY
from eventsys.mailings import services
from eventsys.mailings.filters import MailingFilters
from eventsys.mailings.models import MailingRecipient

PRACTICAL_EN = """Dear {name},

welcome to Cascais! The Centro de Congressos opens at 8:00 on the first day; collect your badge
at the desk (or print it beforehand: {badge_link}).

Your registration: {registration_link}
The programme in your calendar: {calendar_link}

See you soon."""
PRACTICAL_PT = """Caro(a) {name},

bem-vindo(a) a Cascais! O Centro de Congressos abre às 8:00 do primeiro dia; levante o seu
crachá no balcão (ou imprima-o antes: {badge_link}).

A sua inscrição: {registration_link}
O programa no seu calendário: {calendar_link}

Até breve."""
NEWS_EN = """Dear {name},

the side events of the South-South pavilion are now in the programme: {calendar_link}"""
NEWS_RU = """Уважаемый(ая) {name},

сайд-ивенты павильона Юг-Юг теперь в программе: {calendar_link}"""


def load(session: Session, ctx: Any) -> None:
    sent = services.create_mailing(
        session,
        ctx.cascais,
        services.MailingData(
            kind="registration",
            subject="Practical information",
            body=PRACTICAL_EN,
            filters=MailingFilters(statuses=["confirmed"]),
            translations={"pt": ("Informações práticas", PRACTICAL_PT)},
        ),
        user_id=ctx.organiser.id,
    )
    if services.start_sending(session, sent, ctx.organiser.id):
        while services.run_batch(session, sent):
            pass
        _delivered(session, sent.id)
    services.create_mailing(
        session,
        ctx.baku,
        services.MailingData(
            kind="news",
            subject="Side events in the programme",
            body=NEWS_EN,
            translations={"ru": ("Сайд-ивенты в программе", NEWS_RU)},
        ),
        user_id=ctx.organiser.id,
    )
    session.flush()


def _delivered(session: Session, mailing_id: int) -> None:
    """The demo's mails count as sent; none is handed to the queue."""
    ids = select(MailingRecipient.outbound_mail_id).where(MailingRecipient.mailing_id == mailing_id)
    mail_ids = set(session.execute(ids).scalars())
    session.execute(
        update(OutboundMail)
        .where(OutboundMail.id.in_(ids))
        .values(status=MailStatus.SENT, sent_at=utcnow(), next_attempt_at=None, attempts=1)
        .execution_options(synchronize_session=False)
    )
    pending = session.info.get(PENDING_KEY)
    if pending:
        pending.difference_update(mail_ids)
