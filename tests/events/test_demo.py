from __future__ import annotations

from types import SimpleNamespace

from eventsys.events import demo
from eventsys.events.enums import QuestionKind
from eventsys.extensions import db


def test_demo_load_on_a_small_context(factory):
    organiser = factory.user()
    ctx = SimpleNamespace(
        admin=factory.user(admin=True),
        organiser=organiser,
        participant=factory.user(),
        cascais=factory.event("cascais-2024", organiser=organiser),
        baku=factory.event("baku-2024-south-south", organiser=organiser, timezone="Asia/Baku"),
        network=factory.organisation("Climate Alliance", kind="network", country="DE"),
        members=[],
        registrations={},
    )
    factory.registration(ctx.cascais)
    demo.load(db.session, ctx)
    assert ctx.cascais.series.name == "Climate Alliance International Conference"
    assert ctx.cascais.host_organisation_id == ctx.network.id
    assert ctx.cascais.languages == ["en", "pt"] and ctx.baku.languages == ["en", "ru", "az"]
    assert [q.kind for q in ctx.baku.questions] == [
        QuestionKind.MULTIPLE_CHOICE,
        QuestionKind.COUNTRY,
        QuestionKind.LONG_TEXT,
    ]
    assert ctx.cascais.questions[0].on_badge
    assert next(c for c in ctx.cascais.categories if c.code == "press").capacity == 25
