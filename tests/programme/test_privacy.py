"""An erased account leaves no name in the programme, its feeds and exports, nor stars or
personal feed tokens behind."""

from __future__ import annotations

from sqlalchemy import func, select

from eventsys.extensions import db
from eventsys.privacy.services import erase_person, export_person
from eventsys.programme import personal, services, versions
from eventsys.programme.models import FeedToken, ProgrammeVersion, SessionSpeaker, Star
from tests.programme.conftest import at

NAME = "Zhazira Unique-Speaker"


def test_an_erased_speaker_disappears_from_programme_feeds_and_exports(client, conf, factory):
    user = factory.user(name=NAME)
    row = conf.add(
        "Energy poverty",
        at(9, 10),
        at(9, 11),
        speakers=[
            services.SpeakerData(NAME, user.id),
            services.SpeakerData("Guest Speaker Without Account"),
        ],
    )
    versions.publish(db.session, conf.event)
    personal.set_star(db.session, row, user, True)
    secret = personal.new_feed_token(db.session, conf.event, user)
    exported = export_person(db.session, user)["programme"]
    assert exported["speaking"] and exported["starred"] and exported["feed_tokens"]
    db.session.commit()
    slug = conf.event.slug
    pages = [
        f"/events/{slug}/programme/",
        f"/events/{slug}/programme/sessions/{row.id}",
        f"/events/{slug}/calendar.ics",
        f"/events/{slug}/schedule.xml",
        f"/events/{slug}/schedule.json",
    ]
    assert all(NAME in client.get(url).get_data(as_text=True) for url in pages)

    erase_person(db.session, user)
    db.session.commit()

    for url in pages:
        body = client.get(url).get_data(as_text=True)
        assert NAME not in body, url
        assert "Guest Speaker Without Account" in body, url
    assert client.get(f"/calendar/{secret}.ics").status_code == 404
    assert db.session.execute(select(func.count(Star.id))).scalar_one() == 0
    assert db.session.execute(select(func.count(FeedToken.id))).scalar_one() == 0
    names = db.session.execute(select(SessionSpeaker.name)).scalars().all()
    assert names == ["Guest Speaker Without Account"]
    for version in db.session.execute(select(ProgrammeVersion)).scalars():
        assert NAME not in str(version.snapshot)
