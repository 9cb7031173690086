"""Demo data of the events area: series, host, languages, questions and limits of the two events.

Called by eventsys/demo.py:load_demo() on a fresh database, after the base demo exists.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from eventsys.events import services

CASCAIS_QUESTIONS: tuple[dict[str, Any], ...] = (
    {
        "label": "Which workshop will you join on Thursday afternoon?",
        "kind": "single_choice",
        "options": ["Energy communities", "Mobility without cars", "Adaptation to heat", "Finance"],
        "on_badge": True,
    },
    {"label": "Will you take part in the General Assembly?", "kind": "yes_no"},
)  # "Dietary needs" is asked by the base demo already
BAKU_QUESTIONS: tuple[dict[str, Any], ...] = (
    {
        "label": "What does your organisation work on?",
        "kind": "multiple_choice",
        "options": ["Energy", "Water", "Food", "Just transition", "Finance"],
    },
    {"label": "Where does your organisation work?", "kind": "country", "required": True},
    {"label": "Why do you want to take part?", "kind": "long_text"},
)


def load(session: Session, ctx: Any) -> None:
    cascais, baku = ctx.cascais, ctx.baku
    conference = services.add_series(session, "Climate Alliance International Conference")
    services.update_event(
        session,
        cascais,
        series_id=conference.id,
        host_organisation_id=ctx.network.id,
        languages=["en", "pt"],
        participant_list_enabled=True,
    )
    services.update_event(session, baku, languages=["en", "ru", "az"])
    for question in CASCAIS_QUESTIONS:
        services.add_question(session, cascais, **question)
    for question in BAKU_QUESTIONS:
        services.add_question(session, baku, **question)
    press = next((c for c in cascais.categories if c.code == "press"), None)
    if press is not None:
        services.update_category(session, press, capacity=25)
    services.grant_role(session, cascais, ctx.admin, "organiser")
    session.flush()
