"""A badge in its wearer's language: the category band, question labels and chosen options."""

from __future__ import annotations

from eventsys.badges import services
from eventsys.events.services import add_question
from eventsys.extensions import db


def test_each_badge_in_its_wearers_language(factory, event):
    question = add_question(
        db.session, event, label="Workshop", kind="single_choice", options=["Energy", "Water"],
        on_badge=True, label_translations={"ru": "Семинар"},
        options_translations={"ru": ["Энергия", "Вода"]},
    )  # fmt: skip
    russian = factory.user(name="Олег Петров")
    russian.locale = "ru"
    english = factory.user(name="Jane Doe")
    answers = {str(question.id): "Water"}
    registrations = [
        factory.registration(event, user=russian, answers=answers),
        factory.registration(event, user=english, answers=answers),
    ]
    first, second = services.badge_contents(db.session, event, registrations)
    assert first.category_label == "Делегат организации-члена"
    assert first.answers == [("Семинар", "Вода")]
    assert second.category_label == "Delegate of a member organisation"
    assert second.answers == [("Workshop", "Water")]
    [forced] = services.badge_contents(db.session, event, registrations[:1], "en")
    assert forced.category_label == "Delegate of a member organisation"
