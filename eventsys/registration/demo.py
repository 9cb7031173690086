"""Demo data for the organisers' registration pages: people awaiting approval in Baku, and one
mail the server refused, so the approval queue and the failed-mail list are not empty."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.events.enums import QuestionKind
from eventsys.mail.models import MailStatus, OutboundMail
from eventsys.registration import services
from eventsys.registration.models import Registration

# NGO representatives from the South applying to the Baku side event (names as they write them).
BAKU_APPLICANTS = [
    ("فاطمة الزهراء بنعلي", "Fatima Zahra Benali", "MA", "Association Marocaine pour le Climat",
     "Water and drought adaptation"),
    ("अनन्या शर्मा", "Ananya Sharma", "IN", "Climate Action Network South Asia",
     "Heat action plans for cities"),
    ("Kwame Mensah", None, "GH", "Abibiman Foundation", "Community renewable energy"),
    ("Nilufar Yusupova", None, "UZ", "Ecoforum of Uzbekistan", "Aral Sea restoration"),
    ("Gulnar Məmmədova", "Gulnar Mammadova", "AZ", "Ekoloji Maarifçilik Mərkəzi",
     "Environmental education"),
]  # fmt: skip


def _answers(event: Any, country: str, field_of_work: str) -> dict[str, Any]:
    """Answers to the event's questions as an applicant would give them (required ones included)."""
    answers: dict[str, Any] = {}
    for question in event.questions:
        if question.kind == QuestionKind.TEXT:
            answers[str(question.id)] = field_of_work
        elif question.kind == QuestionKind.COUNTRY:
            answers[str(question.id)] = country
    return answers


def load(session: Session, ctx: Any) -> list[Registration]:
    """Adds pending registrations to the Baku event and flags one mail as failed."""
    event = ctx.baku
    category = next(c for c in event.categories if c.code == "observer")
    # Registered while the window was open, a month before the event.
    when = event.starts_at - timedelta(days=30)
    added = []
    for i, (name, latin, country, organisation, field_of_work) in enumerate(BAKU_APPLICANTS):
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
                answers=_answers(event, country, field_of_work),
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
