from __future__ import annotations

import re
from types import SimpleNamespace

from sqlalchemy import func, select

from eventsys.declarations import demo, services
from eventsys.declarations.models import Signature
from eventsys.extensions import db


def test_demo_baku_declaration(client, factory):
    baku = factory.event("baku-2024-south-south", timezone="Asia/Baku")
    registrations = [
        factory.registration(
            baku, name="Leyla Məmmədova", country="AZ", organisation_name="Eco Union"
        ),
        factory.registration(baku, name="आरव शर्मा", country="IN"),
        factory.registration(baku, name="No Country"),
    ]
    ctx = SimpleNamespace(baku=baku, registrations={baku.slug: registrations})
    declaration = demo.load(db.session, ctx)
    db.session.commit()
    counts = services.counts(db.session, declaration)
    assert (counts.total, counts.countries) == (1023, 137)
    assert 50 < counts.organisations < 300
    public = services.public_signatories(db.session, declaration)
    assert 0.7 * counts.total < len(public) < 0.9 * counts.total
    names = " ".join(s.display_name for s in public)
    for script in ("[\u0400-\u04ff]", "[\u0600-\u06ff]", "[\u0900-\u097f]", "[\u10a0-\u10ff]", "ə"):
        assert re.search(script, names), script
    everyone = {s.display_name for s in services.all_signatures(db.session, declaration)}
    assert {"Leyla Məmmədova", "आरव शर्मा"} <= everyone  # the registered participants signed
    rows = db.session.execute(
        select(func.count()).where(Signature.declaration_id == declaration.id)
    ).scalar_one()
    assert rows == 1023 + 15  # and some pending or withdrawn, not counted
    assert declaration.localized("title", "ru").startswith("Бакинская")
    page = client.get(f"/events/{baku.slug}/declarations/{declaration.slug}")
    assert page.status_code == 200 and "137" in page.get_data(as_text=True)
