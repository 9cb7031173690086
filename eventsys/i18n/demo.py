"""Demo data for languages: the real events' texts in Portuguese and Russian.

Adds only languages that are missing, so the base demo's own translations always win.
The lead registers it by adding "i18n" to AREA_DEMOS in eventsys/demo.py.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.events.models import Event

CONTENT = {
    "cascais": {
        "title": {
            "pt": "Conferência Internacional da Aliança para o Clima 2024",
            "ru": "Международная конференция Климатического альянса 2024",
        },
        "description": {
            "ru": "Три дня в Кашкайше для городов, посёлков и регионов Климатического альянса: "
            "пленарные заседания и параллельные интерактивные семинары о природных решениях, "
            "энергетической бедности, справедливом переходе и данных для муниципального "
            "планирования.\n\n"
            "В последний день проходит Общее собрание, которое голосует о приёме новой "
            "сети-члена.",
        },
    },
    "climate-alliance-workshop-next": {
        "title": {
            "pt": "Oficina da Aliança para o Clima sobre Pobreza Energética",
            "ru": "Семинар Климатического альянса по энергетической бедности",
        },
        "description": {
            "pt": "Uma oficina de um dia para os municípios membros sobre pobreza energética e "
            "reabilitação justa. As inscrições estão abertas; restam poucos lugares e depois há "
            "lista de espera.",
            "ru": "Однодневный семинар для городов-членов об энергетической бедности и "
            "справедливой реновации. Регистрация открыта; осталось немного мест, затем — лист "
            "ожидания.",
        },
    },
    "baku": {
        "title": {
            "pt": "Conferência de ONG sobre Cooperação Sul–Sul para a Ação Climática",
            "ru": "Конференция НКО по сотрудничеству Юг–Юг в интересах климата",
        },
        "description": {
            "pt": "Um evento paralelo da COP29 em Baku: ONG dos países do Sul partilham o que "
            "funciona e abrem à assinatura uma declaração sobre a cooperação Sul–Sul.",
            "ru": "Параллельное мероприятие COP29 в Баку: НКО из стран Юга делятся тем, что "
            "работает, и открывают для подписания декларацию о сотрудничестве Юг–Юг.",
        },
    },
}


def load(session: Session, ctx: Any) -> None:
    for name, fields in CONTENT.items():
        event = (
            getattr(ctx, name, None)
            or session.execute(select(Event).where(Event.slug == name)).scalar_one_or_none()
        )
        if event is None:
            continue
        for field, texts in fields.items():
            column = f"{field}_translations"
            setattr(event, column, {**texts, **(getattr(event, column) or {})})
    session.flush()
