"""Demo data for languages: the real events' titles in Portuguese and Russian.

Only fills what is empty, so the lead's own demo content always wins.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

TITLES = {
    "cascais": {
        "pt": "Conferência Internacional da Aliança do Clima — Cascais 2024",
        "ru": "Международная конференция Климатического альянса — Кашкайш, 2024",
    },
    "baku": {
        "pt": "Diálogo Sul–Sul: evento paralelo da COP29 em Baku",
        "ru": "Диалог Юг–Юг: параллельное мероприятие COP29 в Баку",
    },
}
LANGUAGES = {"cascais": ["en", "pt"], "baku": ["en", "ru"]}


def load(session: Session, ctx: Any) -> None:
    for name, titles in TITLES.items():
        event = getattr(ctx, name, None)
        if event is None:
            continue
        event.title_translations = {**titles, **(event.title_translations or {})}
        if not event.languages:
            event.languages = list(LANGUAGES[name])
    session.flush()
