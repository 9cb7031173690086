from __future__ import annotations

from types import SimpleNamespace

from eventsys.extensions import db
from eventsys.i18n import demo, localized


def test_demo_texts_in_portuguese_and_russian_without_overriding_content(factory):
    cascais = factory.event(
        "cascais-2024",
        title="Climate Alliance International Conference 2024",
        title_translations={"pt": "Conferência (do demo base)"},
    )
    baku = factory.event("baku-2024-south-south", title="NGO Conference")
    workshop = factory.event("climate-alliance-workshop-next", title="Energy Poverty Workshop")
    demo.load(db.session, SimpleNamespace(cascais=cascais, baku=baku))
    assert localized(cascais, "title", "pt") == "Conferência (do demo base)"  # kept
    assert localized(cascais, "title", "ru").startswith("Международная конференция")
    assert localized(cascais, "description", "ru").startswith("Три дня в Кашкайше")
    assert localized(baku, "title", "pt").startswith("Conferência de ONG")
    assert localized(baku, "description", "ru").startswith("Параллельное мероприятие COP29")
    assert localized(workshop, "title", "ru").startswith("Семинар")  # found by its address
