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


# The questions' versions in the events' other languages: (label, options in the same order).
QUESTION_VERSIONS: dict[str, dict[str, tuple[str, list[str]]]] = {
    "Dietary needs": {
        "pt": ("Necessidades alimentares",
               ["Nenhuma", "Vegetariana", "Vegana", "Halal", "Sem glúten"]),
    },
    "I join the field trip to the Sintra-Cascais natural park": {
        "pt": ("Participo na visita ao Parque Natural de Sintra-Cascais", []),
    },
    "Which workshop will you join on Thursday afternoon?": {
        "pt": ("Em que oficina participa na quinta-feira à tarde?",
               ["Comunidades de energia", "Mobilidade sem carros", "Adaptação ao calor",
                "Financiamento"]),
    },
    "Will you take part in the General Assembly?": {
        "pt": ("Vai participar na Assembleia Geral?", []),
    },
    "Your NGO's field of work": {"ru": ("Сфера деятельности вашей НКО", [])},
    "Country you work in": {"ru": ("Страна, в которой вы работаете", [])},
    "What does your organisation work on?": {
        "ru": ("Чем занимается ваша организация?",
               ["Энергетика", "Вода", "Продовольствие", "Справедливый переход", "Финансы"]),
    },
    "Where does your organisation work?": {"ru": ("Где работает ваша организация?", [])},
    "Why do you want to take part?": {"ru": ("Почему вы хотите принять участие?", [])},
}  # fmt: skip


def _question_versions(session: Session, event: Any) -> None:
    """Each question of the event in its other languages, so a visitor who switches language
    reads the registration form in it."""
    for question in event.questions:
        versions = QUESTION_VERSIONS.get(question.label, {})
        labels = {code: label for code, (label, _options) in versions.items()}
        options = {code: texts for code, (_label, texts) in versions.items() if texts}
        services.update_question(session, question, label_translations=labels,
                                 options_translations=options or None)  # fmt: skip


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
    for event in (cascais, baku):
        _question_versions(session, event)
    press = next((c for c in cascais.categories if c.code == "press"), None)
    if press is not None:
        services.update_category(session, press, capacity=25)
    services.grant_role(session, cascais, ctx.admin, "organiser")
    session.flush()
