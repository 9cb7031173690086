"""The demo in several languages: a visitor who switches to Português sees Cascais's programme,
questions and General Assembly in Portuguese; one who switches to Русский, Baku's questions."""

from __future__ import annotations

from sqlalchemy import select

from eventsys.assembly.models import Assembly
from eventsys.demo import load_demo
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.i18n import localized
from eventsys.i18n.content import localized_options


def test_a_visitor_switching_language_sees_the_demo_content_in_it(client):
    assert load_demo(db.session) is not None
    db.session.commit()
    cascais = db.session.execute(select(Event).where(Event.slug == "cascais-2024")).scalar_one()
    day = cascais.starts_at.date().isoformat()
    programme = client.get(f"/events/cascais-2024/programme/?day={day}&lang=pt").get_data(True)
    assert "Sessão plenária de abertura" in programme
    assert "Soluções baseadas na natureza" in programme or "Pobreza energética" in programme
    assert "Opening plenary" not in programme
    english = client.get(f"/events/cascais-2024/programme/?day={day}&lang=en").get_data(True)
    assert "Opening plenary" in english and "Sessão plenária de abertura" not in english
    assembly = db.session.execute(
        select(Assembly).where(Assembly.event_id == cascais.id)
    ).scalar_one()
    assert assembly.title_translations["pt"].startswith("Assembleia Geral da Aliança para o Clima")
    event_page = client.get("/events/cascais-2024/?lang=pt").get_data(True)
    assert assembly.title_translations["pt"] in event_page
    assert any(m.title_translations.get("pt") for m in assembly.motions)
    # Both events' registration closed in 2024: their questions carry the versions.
    diet = next(q for q in cascais.questions if q.label == "Dietary needs")
    assert localized_options(diet, "pt")[-1] == ("Gluten-free", "Sem glúten")
    assert localized(diet, "label", "pt") == "Necessidades alimentares"
    baku = db.session.execute(
        select(Event).where(Event.slug == "baku-2024-south-south")
    ).scalar_one()
    assert {localized(q, "label", "ru") for q in baku.questions} >= {
        "Сфера деятельности вашей НКО", "Чем занимается ваша организация?",
    }  # fmt: skip
    assert all(c.label_translations.get("ru") for c in baku.categories)
    day = baku.starts_at.date().isoformat()
    page = client.get(f"/events/baku-2024-south-south/programme/?day={day}&lang=ru").get_data(True)
    assert "Оглашение Бакинской декларации" in page and "Зал A" in page
