"""Demo data for badges and check-in: layouts, a "Languages spoken" question printed on the
badges, codes for everyone, and the first morning's check-ins at Cascais."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.badges import services
from eventsys.badges.models import BadgeLayout
from eventsys.checkin.models import CheckIn
from eventsys.events.enums import QuestionKind
from eventsys.events.models import Question
from eventsys.registration.enums import Status

LANGUAGES = {
    "PT": "Português, English",
    "ES": "Español, English",
    "FR": "Français, English",
    "DE": "Deutsch, English",
    "IT": "Italiano, English",
    "RO": "Română, English",
    "RU": "Русский, English",
    "UA": "Українська, Русский, English",
    "AZ": "Azərbaycan, Русский, English",
    "GE": "ქართული, English",
    "IN": "हिन्दी, English",
    "JO": "العربية, English",
    "EG": "العربية, English",
}


def load(session: Session, ctx: Any) -> None:
    services.set_layout(session, ctx.cascais, BadgeLayout.A4_SHEET.value)
    services.set_layout(session, ctx.baku, BadgeLayout.CARD.value)
    _languages_on_badges(session, ctx.cascais, ctx.registrations.get(ctx.cascais.slug, []))
    for event in (ctx.cascais, ctx.baku):
        confirmed = [
            r for r in ctx.registrations.get(event.slug, []) if r.status == Status.CONFIRMED
        ]
        if confirmed:
            services.credentials_for(session, confirmed)
    _first_morning_check_ins(session, ctx)
    session.flush()


def _languages_on_badges(session: Session, event: Any, registrations: list) -> None:
    question = Question(
        event=event,
        label="Languages spoken",
        label_translations={"pt": "Línguas faladas", "ru": "Языки"},
        kind=QuestionKind.TEXT,
        on_badge=True,
        position=len(event.questions),
    )
    session.add(question)
    session.flush()
    for registration in registrations:
        spoken = LANGUAGES.get(registration.country or "", "English")
        registration.answers = {**(registration.answers or {}), str(question.id): spoken}


def _first_morning_check_ins(session: Session, ctx: Any) -> None:
    """About two thirds arrive between 08:30 and 10:00 on the first day, scanned by the
    organiser; one mistaken scan was undone."""
    rng = random.Random(6)
    confirmed = [
        r for r in ctx.registrations.get(ctx.cascais.slug, []) if r.status == Status.CONFIRMED
    ]
    doors_open = ctx.cascais.starts_at - timedelta(minutes=30)
    arrived = rng.sample(confirmed, k=len(confirmed) * 2 // 3)
    for index, registration in enumerate(arrived):
        session.add(
            CheckIn(
                event_id=ctx.cascais.id,
                registration_id=registration.id,
                nonce=f"demo-{registration.id:06d}",
                staff_user_id=ctx.organiser.id,
                method="scan" if index % 10 else "manual",
                checked_in_at=doors_open + timedelta(seconds=rng.randint(0, 90 * 60)),
            )
        )
    if arrived:
        session.flush()
        mistaken = arrived[0]
        undone = session.execute(
            select(CheckIn).where(CheckIn.registration_id == mistaken.id)
        ).scalar_one()
        undone.reverted_at = undone.checked_in_at + timedelta(minutes=2)
        undone.reverted_by_id = ctx.organiser.id
