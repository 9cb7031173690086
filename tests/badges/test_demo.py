from __future__ import annotations

from types import SimpleNamespace

from eventsys.badges import demo, services
from eventsys.badges.models import BadgeLayout
from eventsys.checkin.services import checked_in_registration_ids, counts
from eventsys.extensions import db
from tests.badges.test_print import pdf_text


def test_demo_load_sets_layouts_languages_codes_and_check_ins(factory):
    organiser = factory.user(name="Demo Organiser")
    cascais = factory.event(title="Cascais 2024", organiser=organiser)
    baku = factory.event(title="Baku South-South", timezone="Asia/Baku")
    people = [
        factory.registration(cascais, name=n, country=c)
        for n, c in [("Ana Lima", "PT"), ("Алексей Петров", "RU"), ("Məmməd Əliyev", "AZ")]
    ]
    ctx = SimpleNamespace(
        organiser=organiser,
        cascais=cascais,
        baku=baku,
        registrations={cascais.slug: people, baku.slug: []},
    )
    demo.load(db.session, ctx)
    assert services.layout_of(db.session, cascais) == BadgeLayout.A4_SHEET
    assert services.layout_of(db.session, baku) == BadgeLayout.CARD
    assert len(checked_in_registration_ids(db.session, cascais.id)) == 1  # 2 arrived, 1 undone
    assert counts(db.session, cascais).confirmed == 3
    text = pdf_text(services.single_badge_pdf(db.session, people[1]))
    assert "Languages spoken: Русский, English" in text


def test_the_full_demo_asks_each_question_once_and_badges_print_one_language_line():
    from eventsys.demo import load_demo
    from eventsys.events.services import event_by_slug

    assert load_demo(db.session) is not None
    assert load_demo(db.session) is None  # a second run adds nothing
    cascais = event_by_slug(db.session, "cascais-2024")
    labels = [q.label for q in cascais.questions]
    assert len(labels) == len(set(labels)), labels
    assert labels.count("Dietary needs") == 1
    people = services.select_registrations(db.session, cascais, services.PrintFilters())
    assert len(people) > 300
    for badge in services.badge_contents(db.session, cascais, people):
        lines = [label for label, _ in badge.answers if "anguage" in label]
        assert len(lines) == 1, (badge.name, badge.answers)
    text = pdf_text(services.single_badge_pdf(db.session, people[0]))
    assert text.count("Language") == 1 and "Dietary" not in text
