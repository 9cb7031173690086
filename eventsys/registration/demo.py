"""Demo data for the organisers' registration pages: people awaiting approval in Baku, and one
mail the server refused, so the approval queue and the failed-mail list are not empty."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.mail.models import MailStatus, OutboundMail
from eventsys.registration import services
from eventsys.registration.models import Registration

# NGO representatives from the South applying to the Baku side event (names as they write them).
BAKU_APPLICANTS = [
    ("فاطمة الزهراء بنعلي", "Fatima Zahra Benali", "MA", "Association Marocaine pour le Climat"),
    ("अनन्या शर्मा", "Ananya Sharma", "IN", "Climate Action Network South Asia"),
    ("Kwame Mensah", None, "GH", "Abibiman Foundation"),
    ("Nilufar Yusupova", None, "UZ", "Ecoforum of Uzbekistan"),
    ("Gulnar Məmmədova", "Gulnar Mammadova", "AZ", "Ekoloji Maarifçilik Mərkəzi"),
]


def load(session: Session, ctx: Any) -> list[Registration]:
    """Adds pending registrations to the Baku event and flags one mail as failed."""
    event = ctx.baku
    category = next(c for c in event.categories if c.code == "observer")
    # Registered while the window was open, a month before the event.
    when = event.starts_at - timedelta(days=30)
    added = []
    for i, (name, latin, country, organisation) in enumerate(BAKU_APPLICANTS):
        registration, _token = services.register(
            session,
            event,
            services.RegistrationData(
                email=f"applicant{i + 1}@ngo.example.org",
                display_name=name,
                latin_name=latin,
                category_id=category.id,
                organisation_name=organisation,
                country=country,
            ),
            now=when + timedelta(hours=i),
        )
        registration.email_confirmed_at = None if i == 2 else when + timedelta(hours=i, minutes=5)
        added.append(registration)
    _fail_one_mail(session, added[-1])
    session.flush()
    return added


def _fail_one_mail(session: Session, registration: Registration) -> None:
    mail = (
        session.execute(
            select(OutboundMail)
            .where(OutboundMail.to_address == registration.email)
            .order_by(OutboundMail.id.desc())
        )
        .scalars()
        .first()
    )
    if mail is not None:
        mail.status, mail.attempts = MailStatus.FAILED, 5
        mail.last_error = "SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable"
