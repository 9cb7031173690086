from __future__ import annotations

from types import SimpleNamespace

from eventsys.extensions import db
from eventsys.i18n import demo, localized


def test_demo_titles_in_portuguese_and_russian_without_overriding_content(factory):
    cascais = factory.event("cascais-2024", title="Climate Alliance Conference")
    baku = factory.event(
        "baku-2024-south-south", title="South-South", title_translations={"ru": "Юг–Юг"}
    )
    demo.load(db.session, SimpleNamespace(cascais=cascais, baku=baku))
    assert localized(cascais, "title", "pt").startswith("Conferência Internacional")
    assert localized(baku, "title", "ru") == "Юг–Юг"  # already there: kept
    assert localized(baku, "title", "pt").startswith("Diálogo Sul–Sul")
    assert cascais.languages == ["en", "pt"]
